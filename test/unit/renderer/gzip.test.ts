import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip, isGzip } from '../../../renderer/src/lib/gzip';

describe('gzip detection', () => {
  it('recognizes the gzip magic bytes and the deflate method', () => {
    expect(isGzip(gzipSync(Buffer.from('{"a":1}')))).toBe(true);
    expect(isGzip(Buffer.from('{"a":1}'))).toBe(false);
    // Magic bytes but too short to be a gzip member (10-byte header + 8-byte trailer).
    expect(isGzip(Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toBe(false);
    // Another compression method (CM != 8) is not something we can show.
    const other = gzipSync(Buffer.from('x'));
    other[2] = 0x07;
    expect(isGzip(other)).toBe(false);
  });
});

describe('gunzip', () => {
  it('gives back the exact bytes, binary included', async () => {
    const original = Buffer.from([0, 255, 1, 254, ...Buffer.from('{"status":"ok"}')]);
    const result = await gunzip(gzipSync(original));
    expect(result.ok).toBe(true);
    expect(result.ok && Buffer.from(result.bytes).equals(original)).toBe(true);
  });

  it('stops at the inflation bound instead of exhausting memory', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(10_000);
    const result = await gunzip(bomb, 1024 * 1024);
    expect(result).toEqual({ ok: false, error: 'It inflates to more than 1 MiB: not shown decompressed.' });
  });

  it('reports corrupt data that only looks like gzip', async () => {
    const broken = gzipSync(Buffer.from('hello world, hello world'));
    broken.fill(0x55, 12, broken.length - 8);
    const result = await gunzip(broken);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/starts like gzip but does not decompress/);
  });
});
