import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  formatBytes,
  parseBase64,
  parseByteInput,
  parseHex,
  sameBytes,
} from '../../../renderer/src/lib/data-encode';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('hex input', () => {
  it('reads pairs with any spacing, colons, and a leading 0x', () => {
    expect(parseHex('00 ff 41')).toEqual({ ok: true, bytes: bytes(0, 255, 0x41) });
    expect(parseHex('0x00FF41')).toEqual({ ok: true, bytes: bytes(0, 255, 0x41) });
    expect(parseHex('de:ad\nbe ef')).toEqual({ ok: true, bytes: bytes(0xde, 0xad, 0xbe, 0xef) });
    expect(parseHex('')).toEqual({ ok: true, bytes: bytes() });
  });

  it('refuses a stray character or an odd digit count, saying where', () => {
    expect(parseHex('00 fg')).toEqual({ ok: false, error: "'g' at position 5 is not a hex digit" });
    expect(parseHex('abc')).toEqual({
      ok: false,
      error: '3 hex digits: each byte needs two (add a leading 0 to the last one?)',
    });
  });

  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const parsed = parseHex(bytesToHex(all));
    expect(parsed.ok && sameBytes(parsed.bytes, all)).toBe(true);
  });
});

describe('base64 and text input', () => {
  it('ignores line breaks from a paste and refuses invalid characters', () => {
    expect(parseBase64('AP9B\n')).toEqual({ ok: true, bytes: bytes(0, 255, 0x41) });
    expect(parseBase64('AP*B')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/invalid character at position 2/),
    });
  });

  it('encodes text as UTF-8 bytes', () => {
    expect(parseByteInput('text', 'é')).toEqual({ ok: true, bytes: bytes(0xc3, 0xa9) });
  });

  it('formats bytes for each input so that parsing gives the same bytes back', () => {
    const data = bytes(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d, 0x00, 0xff);
    for (const format of ['hex', 'base64'] as const) {
      const parsed = parseByteInput(format, formatBytes(format, data));
      expect(parsed.ok && sameBytes(parsed.bytes, data), format).toBe(true);
    }
  });
});
