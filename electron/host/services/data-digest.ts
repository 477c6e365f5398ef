/**
 * Digests for the audit log: a write is recorded with SHA-256 of the data before and after, so a
 * change ticket can prove what was there without the log ever holding the data (which may be secret).
 */
import { createHash } from 'node:crypto';

/** 'sha256:' + hex of the exact bytes; empty data has a digest too (it differs from a missing node). */
export function dataDigest(data: Buffer | Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The raw 32-byte SHA-256 of some bytes, for folding into a TreeDigest. */
export function sha256(data: Buffer | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Orders paths by code point, which is also the byte order of their UTF-8 (how SQLite sorts the
 * snapshot tables): a subtree's digest comes out the same whether its paths were sorted here or
 * paged out of SQLite. Plain `<` compares UTF-16 units, which differs once a name holds a character
 * beyond U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a character above U+FFFF: after every character of the basic plane.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * One digest over many nodes (a deleted subtree): each node contributes its path and the SHA-256 of
 * its data, in the order given (callers sort by path with compareCodePoints), so the same subtree
 * always yields the same value.
 */
export class TreeDigest {
  private readonly hash = createHash('sha256');
  private nodes = 0;

  add(path: string, dataSha256: Buffer): void {
    this.hash.update(path, 'utf8');
    this.hash.update('\0');
    this.hash.update(dataSha256);
    this.nodes += 1;
  }

  get count(): number {
    return this.nodes;
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
