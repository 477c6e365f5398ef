/**
 * Classic hex dump lines (`hexdump -C` layout), one line at a time so a 1 MB node can be shown by a
 * virtualized list without building 65,536 strings up front.
 *
 *   00000000  7b 22 61 22 3a 31 7d 00  ff                       |{"a":1}..|
 */

export const BYTES_PER_LINE = 16;

export interface HexDumpLine {
  /** 8 hex digits. */
  offset: string;
  /** 16 two-digit groups, an extra space after the eighth, padded to full width on the last line. */
  hex: string;
  /** Printable ASCII as is, everything else as '.'. */
  ascii: string;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hexDumpLineCount(byteLength: number): number {
  return Math.ceil(byteLength / BYTES_PER_LINE);
}

export function isPrintableAscii(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

export function hexDumpLine(bytes: Uint8Array, lineIndex: number): HexDumpLine {
  const start = lineIndex * BYTES_PER_LINE;
  const hex: string[] = [];
  let ascii = '';
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    const at = start + i;
    const byte = at < bytes.length ? bytes[at] : undefined;
    hex.push(byte === undefined ? '  ' : (HEX[byte] as string));
    if (byte !== undefined) ascii += isPrintableAscii(byte) ? String.fromCharCode(byte) : '.';
  }
  return {
    offset: start.toString(16).padStart(8, '0'),
    hex: `${hex.slice(0, 8).join(' ')}  ${hex.slice(8).join(' ')}`,
    ascii,
  };
}

export function formatHexDumpLine(bytes: Uint8Array, lineIndex: number): string {
  const line = hexDumpLine(bytes, lineIndex);
  return `${line.offset}  ${line.hex}  |${line.ascii}|`;
}
