import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  dataDigest,
  sha256,
  TreeDigest,
} from '../../../electron/host/services/data-digest';

describe('audit digests', () => {
  it('is sha256 of the exact bytes, prefixed with the algorithm', () => {
    expect(dataDigest(Buffer.from('abc'))).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    // Empty data has a digest (it differs from a missing node, which has none).
    expect(dataDigest(Buffer.alloc(0))).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    // Bytes, not text: an invalid UTF-8 byte is digested as itself.
    expect(dataDigest(Buffer.from([0xff]))).toBe(
      `sha256:${createHash('sha256')
        .update(Buffer.from([0xff]))
        .digest('hex')}`,
    );
  });

  it('digests a subtree from paths and data digests, so the same subtree gives the same value', () => {
    const build = (nodes: [string, string][]) => {
      const tree = new TreeDigest();
      for (const [path, data] of nodes) tree.add(path, sha256(Buffer.from(data)));
      return tree;
    };
    const a = build([
      ['/a', 'x'],
      ['/a/b', 'y'],
    ]);
    expect(a.count).toBe(2);
    const value = a.digest();
    expect(value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(
      build([
        ['/a', 'x'],
        ['/a/b', 'y'],
      ]).digest(),
    ).toBe(value);
    // Moving bytes between nodes, or renaming, changes the digest.
    expect(
      build([
        ['/a', 'y'],
        ['/a/b', 'x'],
      ]).digest(),
    ).not.toBe(value);
    expect(
      build([
        ['/a', 'x'],
        ['/a/c', 'y'],
      ]).digest(),
    ).not.toBe(value);
    // A path boundary cannot be faked by moving characters into the data.
    expect(
      build([
        ['/a', 'x'],
        ['/a/', 'by'],
      ]).digest(),
    ).not.toBe(value);
  });
});

describe('compareCodePoints', () => {
  it('sorts paths as UTF-8 bytes do (the order SQLite pages snapshot rows in)', () => {
    const paths = ['/a/\u{1F600}', '/a/\uFF21', '/a/z', '/a', '/a/\u00e9', '/a/b/c', '/a/b'];
    const byBytes = [...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...paths].sort(compareCodePoints)).toEqual(byBytes);
    // Plain UTF-16 order puts the emoji (a surrogate pair) before U+FF21: the case this exists for.
    expect([...paths].sort()).not.toEqual(byBytes);
  });
});
