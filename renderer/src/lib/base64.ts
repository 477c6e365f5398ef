/**
 * Base64 <-> bytes without going through strings: node data is bytes (binary, non-UTF-8, NUL), and
 * `atob` yields a "binary string" that is one careless `TextDecoder`/`encodeURIComponent` away from
 * corrupting it. Accepts the standard and the URL-safe alphabet, with or without padding.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const DECODE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62;
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

export class Base64Error extends Error {
  override name = 'Base64Error';
}

export function base64ToBytes(input: string): Uint8Array {
  let end = input.length;
  while (end > 0 && input.charCodeAt(end - 1) === 61 /* = */) end--;
  if (input.length - end > 2) throw new Base64Error('base64 has more than two padding characters');
  if (end % 4 === 1)
    throw new Base64Error(`base64 length ${end} is impossible (a group cannot hold 1 character)`);

  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < end; i++) {
    const code = input.charCodeAt(i);
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) throw new Base64Error(`base64 has an invalid character at position ${i}`);
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    chunk += ALPHABET[(triple >> 18) & 63];
    chunk += ALPHABET[(triple >> 12) & 63];
    chunk += i + 1 < bytes.length ? ALPHABET[(triple >> 6) & 63] : '=';
    chunk += i + 2 < bytes.length ? ALPHABET[triple & 63] : '=';
    // Flush now and then: one long += chain over megabytes makes deep string ropes.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}
