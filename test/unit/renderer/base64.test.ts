import { describe, expect, it } from 'vitest';
import { Base64Error, base64ToBytes, bytesToBase64 } from '../../../renderer/src/lib/base64';

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('base64ToBytes', () => {
  it('decodes all 256 byte values exactly', () => {
    const encoded = Buffer.from(allBytes).toString('base64');
    expect(Array.from(base64ToBytes(encoded))).toEqual(Array.from(allBytes));
  });

  it('keeps a NUL in the middle and high bytes', () => {
    const data = Uint8Array.from([0x61, 0x00, 0x62, 0xff, 0xfe, 0x00]);
    expect(Array.from(base64ToBytes(Buffer.from(data).toString('base64')))).toEqual(Array.from(data));
  });

  it('decodes empty data to an empty array', () => {
    expect(base64ToBytes('')).toHaveLength(0);
  });

  it('handles every length mod 3, with and without padding', () => {
    for (let length = 0; length < 40; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      const padded = Buffer.from(data).toString('base64');
      expect(Array.from(base64ToBytes(padded))).toEqual(Array.from(data));
      expect(Array.from(base64ToBytes(padded.replace(/=+$/, '')))).toEqual(Array.from(data));
    }
  });

  it('accepts the URL-safe alphabet', () => {
    const data = Uint8Array.from([0xfb, 0xff, 0xbf]);
    expect(Array.from(base64ToBytes(Buffer.from(data).toString('base64url')))).toEqual(Array.from(data));
  });

  it('rejects characters outside the alphabet and impossible lengths', () => {
    expect(() => base64ToBytes('ab$d')).toThrow(Base64Error);
    expect(() => base64ToBytes('abcde')).toThrow(/impossible/);
    expect(() => base64ToBytes('ab===')).toThrow(/padding/);
    expect(() => base64ToBytes('é')).toThrow(Base64Error);
  });
});

describe('bytesToBase64', () => {
  it('matches Buffer for all byte values and odd lengths', () => {
    expect(bytesToBase64(allBytes)).toBe(Buffer.from(allBytes).toString('base64'));
    for (let length = 0; length < 10; length++) {
      const data = allBytes.subarray(250 - length, 250);
      expect(bytesToBase64(data)).toBe(Buffer.from(data).toString('base64'));
    }
  });

  it('round-trips a megabyte of pseudo-random bytes', () => {
    const data = new Uint8Array(1024 * 1024);
    let seed = 12345;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      data[i] = seed >>> 24;
    }
    const encoded = bytesToBase64(data);
    expect(encoded).toBe(Buffer.from(data).toString('base64'));
    expect(Buffer.from(base64ToBytes(encoded)).equals(Buffer.from(data))).toBe(true);
  });
});
