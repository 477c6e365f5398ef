import { describe, expect, it } from 'vitest';
import { joinZkPath, parentZkPath, validateZkPath, zkPathName } from '../../../shared/zk-path';

describe('validateZkPath', () => {
  it('accepts absolute paths, including a child named zookeeper below the root', () => {
    for (const path of [
      '/',
      '/a',
      '/pegasus/onebox/apps/1',
      '/a/zookeeper',
      '/zookeeper',
      '/a-b_c.d',
      '/with space',
      '/ünïcödé',
    ]) {
      expect(validateZkPath(path), path).toBeUndefined();
    }
  });

  it('names what is wrong', () => {
    expect(validateZkPath('')).toBe('path is empty: paths start with /');
    expect(validateZkPath('a/b')).toBe("'a/b' must start with '/'");
    expect(validateZkPath('/a/')).toBe("'/a/' must not end with '/'");
    expect(validateZkPath('/a//b')).toBe("'/a//b' has an empty segment ('//')");
    expect(validateZkPath('/a/./b')).toBe("'/a/./b' has a relative segment '.'");
    expect(validateZkPath('/a/..')).toBe("'/a/..' has a relative segment '..'");
    expect(validateZkPath('/a\u0000b')).toMatch(/illegal character \(U\+0000\)/);
    expect(validateZkPath('/a\u001fb')).toMatch(/U\+001F/);
    expect(validateZkPath('/a\u007f')).toMatch(/U\+007F/);
    expect(validateZkPath('/a\u0085')).toMatch(/U\+0085/);
    expect(validateZkPath('/a\ue000')).toMatch(/U\+E000/);
    expect(validateZkPath('/a\ufff5')).toMatch(/U\+FFF5/);
    // Java's PathUtils checks UTF-16 units, so the surrogate pair of an emoji is refused.
    expect(validateZkPath('/emoji-\u{1F600}')).toMatch(/illegal character \(U\+1F600\)/);
  });
});

describe('path helpers', () => {
  it('join, parent and name', () => {
    expect(joinZkPath('/', 'a')).toBe('/a');
    expect(joinZkPath('/a', 'b')).toBe('/a/b');
    expect(parentZkPath('/')).toBe('/');
    expect(parentZkPath('/a')).toBe('/');
    expect(parentZkPath('/a/b/c')).toBe('/a/b');
    expect(zkPathName('/')).toBe('/');
    expect(zkPathName('/a/b')).toBe('b');
  });
});
