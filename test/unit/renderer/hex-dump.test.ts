import { describe, expect, it } from 'vitest';
import { formatHexDumpLine, hexDumpLine, hexDumpLineCount } from '../../../renderer/src/lib/hex-dump';

describe('hex dump', () => {
  it('counts 16 bytes per line', () => {
    expect(hexDumpLineCount(0)).toBe(0);
    expect(hexDumpLineCount(1)).toBe(1);
    expect(hexDumpLineCount(16)).toBe(1);
    expect(hexDumpLineCount(17)).toBe(2);
    expect(hexDumpLineCount(1024 * 1024)).toBe(65536);
  });

  it('formats a full line like hexdump -C', () => {
    const bytes = new TextEncoder().encode('Hello, ZooKeeper');
    expect(formatHexDumpLine(bytes, 0)).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 5a  6f 6f 4b 65 65 70 65 72  |Hello, ZooKeeper|',
    );
  });

  it('pads a short last line so the ASCII column stays aligned', () => {
    const bytes = Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d, 0x00, 0xff]);
    const line = formatHexDumpLine(bytes, 0);
    expect(line).toBe('00000000  7b 22 61 22 3a 31 7d 00  ff                       |{"a":1}..|');
    expect(line.indexOf('|')).toBe(formatHexDumpLine(new Uint8Array(16), 0).indexOf('|'));
  });

  it('shows all 256 byte values with printable ASCII only', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const lines = Array.from({ length: hexDumpLineCount(all.length) }, (_, i) => hexDumpLine(all, i));
    expect(lines).toHaveLength(16);
    expect(lines[0]).toEqual({
      offset: '00000000',
      hex: '00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f',
      ascii: '................',
    });
    expect(lines[2]?.ascii).toBe(' !"#$%&\'()*+,-./');
    expect(lines[7]?.ascii).toBe('pqrstuvwxyz{|}~.');
    expect(lines[15]).toEqual({
      offset: '000000f0',
      hex: 'f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff',
      ascii: '................',
    });
    const hexBytes = lines.flatMap((line) => line.hex.split(/\s+/)).map((pair) => Number.parseInt(pair, 16));
    expect(hexBytes).toEqual(Array.from(all));
  });

  it('offsets later lines of large data', () => {
    const bytes = new Uint8Array(1024 * 1024);
    expect(hexDumpLine(bytes, 65535).offset).toBe('000ffff0');
  });
});
