import { describe, expect, it } from 'vitest';
import { decodeUtf8Marked, REPLACEMENT_CHAR } from '../../../renderer/src/lib/utf8-marked';

const reference = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const bytesOf = (...values: number[]) => Uint8Array.from(values);

describe('decodeUtf8Marked', () => {
  it('decodes empty input to no segments', () => {
    expect(decodeUtf8Marked(new Uint8Array())).toEqual({
      text: '',
      segments: [],
      valid: true,
      invalidSequences: 0,
    });
  });

  it('decodes ASCII and multi-byte text as one valid segment', () => {
    const bytes = new TextEncoder().encode('héllo, 世界 🙂');
    const decoded = decodeUtf8Marked(bytes);
    expect(decoded.valid).toBe(true);
    expect(decoded.text).toBe('héllo, 世界 🙂');
    expect(decoded.segments).toEqual([
      { text: 'héllo, 世界 🙂', invalid: false, byteOffset: 0, byteLength: bytes.length },
    ]);
  });

  it('keeps a NUL in the middle as a valid character', () => {
    const decoded = decodeUtf8Marked(bytesOf(0x61, 0x00, 0x62));
    expect(decoded.valid).toBe(true);
    expect(decoded.text).toBe('a\u0000b');
  });

  it('treats every single byte like TextDecoder does, marking 0x80-0xFF as invalid', () => {
    for (let byte = 0; byte < 256; byte++) {
      const decoded = decodeUtf8Marked(bytesOf(byte));
      expect(decoded.text).toBe(reference(bytesOf(byte)));
      expect(decoded.valid).toBe(byte < 0x80);
      if (byte >= 0x80)
        expect(decoded.segments).toEqual([
          { text: REPLACEMENT_CHAR, invalid: true, byteOffset: 0, byteLength: 1 },
        ]);
    }
  });

  it('marks the exact byte ranges of invalid sequences', () => {
    // 'a', a lone continuation byte, 'b', a truncated 3-byte sequence, 'c'
    const decoded = decodeUtf8Marked(bytesOf(0x61, 0x80, 0x62, 0xe2, 0x82, 0x63));
    expect(decoded.valid).toBe(false);
    expect(decoded.invalidSequences).toBe(2);
    expect(decoded.segments).toEqual([
      { text: 'a', invalid: false, byteOffset: 0, byteLength: 1 },
      { text: REPLACEMENT_CHAR, invalid: true, byteOffset: 1, byteLength: 1 },
      { text: 'b', invalid: false, byteOffset: 2, byteLength: 1 },
      { text: REPLACEMENT_CHAR, invalid: true, byteOffset: 3, byteLength: 2 },
      { text: 'c', invalid: false, byteOffset: 5, byteLength: 1 },
    ]);
  });

  it('tells a real U+FFFD in the data from a broken byte', () => {
    const decoded = decodeUtf8Marked(bytesOf(0xef, 0xbf, 0xbd, 0xff));
    expect(decoded.text).toBe(`${REPLACEMENT_CHAR}${REPLACEMENT_CHAR}`);
    expect(decoded.segments.map((segment) => segment.invalid)).toEqual([false, true]);
  });

  it('rejects overlongs, surrogates and code points above U+10FFFF', () => {
    for (const bad of [
      bytesOf(0xc0, 0xaf),
      bytesOf(0xe0, 0x80, 0xaf),
      bytesOf(0xed, 0xa0, 0x80),
      bytesOf(0xf4, 0x90, 0x80, 0x80),
      bytesOf(0xf8, 0x88, 0x80, 0x80, 0x80),
    ]) {
      const decoded = decodeUtf8Marked(bad);
      expect(decoded.valid).toBe(false);
      expect(decoded.text).toBe(reference(bad));
    }
  });

  it('marks a truncated sequence at the end of the data', () => {
    const decoded = decodeUtf8Marked(bytesOf(0x61, 0xf0, 0x9f, 0x99));
    expect(decoded.segments.at(-1)).toEqual({
      text: REPLACEMENT_CHAR,
      invalid: true,
      byteOffset: 1,
      byteLength: 3,
    });
  });

  it('agrees with TextDecoder on all 256 values in every position and on random data', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeUtf8Marked(all).text).toBe(reference(all));
    let seed = 7;
    for (let round = 0; round < 300; round++) {
      const data = new Uint8Array(1 + (round % 40));
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        // Bias towards the interesting lead and continuation bytes.
        data[i] = seed % 3 === 0 ? 0x80 + ((seed >>> 8) % 0x80) : (seed >>> 16) & 0xff;
      }
      const decoded = decodeUtf8Marked(data);
      expect(decoded.text).toBe(reference(data));
      const covered = decoded.segments.reduce((sum, segment) => sum + segment.byteLength, 0);
      expect(covered).toBe(data.length);
    }
  });

  it('decodes a megabyte without overflowing the stack', () => {
    const data = new Uint8Array(1024 * 1024).fill(0x41);
    expect(decodeUtf8Marked(data).text.length).toBe(data.length);
  });
});
