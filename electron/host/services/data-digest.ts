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
 * One digest over many nodes (a deleted subtree): each node contributes its path and the SHA-256 of
 * its data, in the order given (callers sort by path), so the same subtree always yields the same value.
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
