/**
 * Gzip-compressed node data (some tools store JSON gzipped to stay under ZooKeeper's 1 MiB): detected
 * by its magic bytes and shown decompressed. Decompression is bounded, so a small node that inflates
 * to gigabytes (a "zip bomb", or just a mistake) ends with a message instead of a frozen window.
 */

/** RFC 1952: ID1 0x1f, ID2 0x8b, CM 8 (deflate), the only method in use. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 18 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

export type GunzipResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Decompresses with the platform's DecompressionStream (Chromium, Electron, Node 18+). */
export async function gunzip(bytes: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Promise<GunzipResult> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        return {
          ok: false,
          error: `It inflates to more than ${Math.round(maxBytes / 1024 / 1024)} MiB: not shown decompressed.`,
        };
      }
      chunks.push(value);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `It starts like gzip but does not decompress (${reason}).` };
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes: out };
}
