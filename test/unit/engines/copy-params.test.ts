import { describe, expect, it } from 'vitest';
import { compareParams, copyParams } from '../../../electron/engines/zk-copy/copy-params';
import type { EndpointRef } from '../../../electron/engines/zk-copy/types';

const source: EndpointRef = { kind: 'zk', connectString: '127.0.0.1:2181', path: '/a' };
const target: EndpointRef = { kind: 'zk', connectString: '127.0.0.1:2182', path: '/b' };

describe('CopyParams builders', () => {
  it('starts a copy from the usual defaults, options over them', () => {
    expect(copyParams(source, target)).toStrictEqual({
      source,
      target,
      mode: 'create-only',
      copyAcl: true,
      include: [],
      exclude: [],
      reconcilePasses: 0,
      verify: true,
    });
    expect(
      copyParams(source, target, { mode: 'mirror', copyAcl: false, reconcilePasses: 2, verify: false }),
    ).toMatchObject({ mode: 'mirror', copyAcl: false, reconcilePasses: 2, verify: false, include: [] });
  });

  it('keeps a read-rate ceiling, and leaves the field out when there is none (unset, null or 0)', () => {
    expect(copyParams(source, target, { maxNodesPerSecond: 500 }).maxNodesPerSecond).toBe(500);
    for (const none of [undefined, null, 0]) {
      expect('maxNodesPerSecond' in copyParams(source, target, { maxNodesPerSecond: none })).toBe(false);
    }
  });

  it('records a comparison as a verify-only create-only run, with or without ACLs', () => {
    expect(compareParams(source, target)).toStrictEqual(copyParams(source, target));
    expect(compareParams(source, target, { compareAcl: false, maxNodesPerSecond: 20 })).toStrictEqual({
      ...copyParams(source, target),
      copyAcl: false,
      maxNodesPerSecond: 20,
    });
  });
});
