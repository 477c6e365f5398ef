/**
 * Bytes typed by the operator: text (UTF-8), hex or base64, always back to exact bytes. Input mistakes
 * are reported with the position, never repaired silently (a stray character in hex must not become
 * a different value in ZooKeeper).
 */
import { Base64Error, base64ToBytes, bytesToBase64 } from './base64';

export type ByteInputFormat = 'text' | 'hex' | 'base64';

export type ParsedBytes = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lowercase hex pairs separated by single spaces ('00 ff 41'). */
export function bytesToHex(bytes: Uint8Array): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i] as number] as string;
  return parts.join(' ');
}

/** Hex digits in pairs; whitespace, ':' and a leading 0x are ignored. */
export function parseHex(text: string): ParsedBytes {
  const digits: number[] = [];
  let start = 0;
  const trimmed = text.trimStart();
  if (/^0x/i.test(trimmed)) start = text.length - trimmed.length + 2;
  for (let i = start; i < text.length; i++) {
    const char = text[i] as string;
    if (/\s|:/.test(char)) continue;
    const value = Number.parseInt(char, 16);
    if (!/^[0-9a-fA-F]$/.test(char) || Number.isNaN(value)) {
      return { ok: false, error: `'${char}' at position ${i + 1} is not a hex digit` };
    }
    digits.push(value);
  }
  if (digits.length % 2 !== 0) {
    return {
      ok: false,
      error: `${digits.length} hex digits: each byte needs two (add a leading 0 to the last one?)`,
    };
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = ((digits[2 * i] as number) << 4) | (digits[2 * i + 1] as number);
  return { ok: true, bytes };
}

/** Standard or URL-safe base64; whitespace (line breaks from a paste) is ignored. */
export function parseBase64(text: string): ParsedBytes {
  try {
    return { ok: true, bytes: base64ToBytes(text.replace(/\s+/g, '')) };
  } catch (error) {
    return { ok: false, error: error instanceof Base64Error ? error.message : String(error) };
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The bytes an input holds in its format. */
export function parseByteInput(format: ByteInputFormat, text: string): ParsedBytes {
  if (format === 'hex') return parseHex(text);
  if (format === 'base64') return parseBase64(text);
  return { ok: true, bytes: encodeUtf8(text) };
}

/** The input text that holds exactly these bytes in a format; text is only offered for clean UTF-8. */
export function formatBytes(format: ByteInputFormat, bytes: Uint8Array): string {
  if (format === 'hex') return bytesToHex(bytes);
  if (format === 'base64') return bytesToBase64(bytes);
  // ignoreBOM: a leading BOM is data, and must survive an edit that does not touch it.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
