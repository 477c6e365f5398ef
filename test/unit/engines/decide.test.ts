import { describe, expect, it } from 'vitest';
import {
  aclEqual,
  aclGrants,
  looksSequential,
  temporaryAcl,
  writerIdentity,
} from '../../../electron/engines/zk-copy/acl-rules';
import { type DecideOptions, decide } from '../../../electron/engines/zk-copy/decide';
import type { PairRecord } from '../../../electron/engines/zk-copy/pair-walk';
import type { NodeState, ReadResult } from '../../../electron/engines/zk-copy/tree-reader';
import { digestAcl, digestAclId } from '../../../electron/zk/acl';
import type { ZkAcl } from '../../../electron/zk/types';

const open: ZkAcl[] = [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }];
const readOnly: ZkAcl[] = [{ scheme: 'world', id: 'anyone', perms: 'r' }];
const identity = writerIdentity(['ops:pw']);

function node(data: string, extra: Partial<NodeState> = {}): ReadResult {
  return {
    state: 'present',
    node: {
      data: Buffer.from(data),
      acl: open,
      version: 3,
      aversion: 0,
      numChildren: 0,
      ephemeral: false,
      ...extra,
    },
  };
}
const absent: ReadResult = { state: 'absent' };
const record = (
  source: ReadResult,
  target: ReadResult,
  scope: 'full' | 'structural' = 'full',
): PairRecord => ({
  key: '\u0001a',
  rel: '/a',
  scope,
  source,
  target,
  targetOnlyChildren: 0,
});
const opts = (mode: DecideOptions['mode'], copyAcl = true): DecideOptions => ({ mode, copyAcl, identity });

describe('decide', () => {
  it('creates what the target lacks, with the source ACL (or the default with --no-acl)', () => {
    const secured = node('x', { acl: [digestAcl('ops', 'pw')] });
    expect(decide(record(secured, absent), opts('create-only'))).toEqual({
      action: 'create',
      acl: [digestAcl('ops', 'pw')],
      finalAcl: null,
    });
    expect(decide(record(secured, absent), opts('create-only', false))).toMatchObject({
      action: 'create',
      acl: open,
    });
  });

  it('creates a parent whose ACL locks the writer out with a temporary ACL, keeping the final one for later', () => {
    const locked = node('p', { acl: readOnly, numChildren: 2 });
    expect(decide(record(locked, absent), opts('create-only'))).toEqual({
      action: 'create',
      acl: [{ scheme: 'digest', id: digestAclId('ops', 'pw'), perms: 'cdrwa' }],
      finalAcl: readOnly,
    });
    // A leaf needs no children created under it: its ACL goes on at once.
    expect(decide(record(node('leaf', { acl: readOnly }), absent), opts('create-only'))).toMatchObject({
      finalAcl: null,
    });
  });

  it('leaves identical nodes alone in every mode', () => {
    for (const mode of ['create-only', 'overwrite', 'mirror'] as const) {
      expect(decide(record(node('same'), node('same', { version: 9 })), opts(mode))).toEqual({
        action: 'unchanged',
      });
    }
  });

  it('treats different data as a conflict in create-only, an update otherwise', () => {
    expect(decide(record(node('new'), node('old')), opts('create-only'))).toMatchObject({
      action: 'conflict',
    });
    expect(decide(record(node('new'), node('old')), opts('overwrite'))).toEqual({
      action: 'update',
      setData: true,
      acl: null,
      deferAcl: false,
    });
  });

  it('updates an ACL that differs only when ACLs are copied', () => {
    const target = node('same', { acl: readOnly });
    expect(decide(record(node('same'), target), opts('overwrite'))).toEqual({
      action: 'update',
      setData: false,
      acl: open,
      deferAcl: false,
    });
    expect(decide(record(node('same'), target), opts('overwrite', false))).toEqual({ action: 'unchanged' });
  });

  it('skips source ephemerals and never overwrites a target ephemeral', () => {
    expect(decide(record(node('e', { ephemeral: true }), absent), opts('mirror'))).toEqual({
      action: 'skip-ephemeral',
    });
    expect(decide(record(node('a'), node('b', { ephemeral: true })), opts('overwrite'))).toMatchObject({
      action: 'conflict',
    });
  });

  it('deletes target-only nodes in mirror mode only, and keeps target ephemerals', () => {
    expect(decide(record(absent, node('x')), opts('mirror'))).toEqual({ action: 'delete' });
    expect(decide(record(absent, node('x')), opts('overwrite'))).toEqual({ action: 'extra' });
    expect(decide(record(absent, node('x', { ephemeral: true })), opts('mirror'))).toEqual({
      action: 'keep-target-ephemeral',
    });
    expect(decide(record(absent, node('x'), 'structural'), opts('mirror'))).toEqual({ action: 'extra' });
  });

  it('only ensures existence above an include glob', () => {
    expect(decide(record(node('new'), node('old'), 'structural'), opts('overwrite'))).toEqual({
      action: 'unchanged',
    });
  });

  it('reports unreadable sides', () => {
    const denied: ReadResult = { state: 'unreadable', code: 'NO_AUTH', message: 'no' };
    expect(decide(record(denied, absent), opts('create-only'))).toMatchObject({
      action: 'unreadable',
      side: 'source',
    });
    expect(decide(record(node('x'), denied), opts('create-only'))).toMatchObject({
      action: 'unreadable',
      side: 'target',
    });
  });
});

describe('ACL rules', () => {
  it('compares ACLs as sets', () => {
    expect(aclEqual([...open, ...readOnly], [...readOnly, ...open])).toBe(true);
    expect(aclEqual(open, readOnly)).toBe(false);
    expect(aclEqual(undefined, undefined)).toBe(true);
  });

  it('knows which permissions an ACL grants this writer', () => {
    expect(aclGrants(open, 'cd', identity)).toBe(true);
    expect(aclGrants([digestAcl('ops', 'pw', 'cd')], 'cd', identity)).toBe(true);
    expect(aclGrants([digestAcl('other', 'pw')], 'c', identity)).toBe(false);
    expect(aclGrants([{ scheme: 'ip', id: '127.0.0.1', perms: 'cdrwa' }], 'c', identity)).toBe(false);
    expect(temporaryAcl(writerIdentity([]))).toEqual(open);
  });

  it('recognises ZooKeeper sequence suffixes', () => {
    expect(looksSequential('lock-0000000012')).toBe(true);
    expect(looksSequential('member_0000000001')).toBe(true);
    expect(looksSequential('app-12')).toBe(false);
  });
});
