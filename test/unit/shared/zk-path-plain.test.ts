/**
 * The plain-path shortcut of validateZkPath accepts only what the full rules accept: the segments
 * it could be fooled by ('.', '..', empty, trailing '/') still get the full check and its message.
 */
import { describe, expect, it } from 'vitest';
import { validateZkPath } from '../../../shared/zk-path';

describe('validateZkPath on plain names', () => {
  it('accepts plain names, dotted names and the usual separators', () => {
    for (const path of [
      '/a',
      '/pegasus/c1/apps/12',
      '/a/.hidden',
      '/a/...',
      '/a:b@c-d.e_f/x1',
      '/zookeeper',
    ]) {
      expect(validateZkPath(path), path).toBeUndefined();
    }
  });

  it("still refuses '.', '..', empty segments, a trailing '/' and control characters, saying why", () => {
    expect(validateZkPath('/a/.')).toMatch(/relative segment '\.'/);
    expect(validateZkPath('/a/../b')).toMatch(/relative segment '\.\.'/);
    expect(validateZkPath('/a//b')).toMatch(/empty segment/);
    expect(validateZkPath('/a/')).toMatch(/must not end with/);
    expect(validateZkPath('a/b')).toMatch(/must start with/);
    expect(validateZkPath('/a\u0001b')).toMatch(/illegal character \(U\+0001\)/);
    expect(validateZkPath('/')).toBeUndefined();
    expect(validateZkPath('/naïve space')).toBeUndefined();
  });
});
