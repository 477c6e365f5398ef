import { describe, expect, it } from 'vitest';
import { type ClientStat, longToEpochMs, longToHex, readLong, toStatView } from '../../../electron/zk/stat';

function long(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt.asIntN(64, value));
  return buffer;
}

describe('stat conversion', () => {
  it('prints zxids as 0x lowercase hex without leading zeros', () => {
    expect(longToHex(long(0n))).toBe('0x0');
    expect(longToHex(long(1n))).toBe('0x1');
    expect(longToHex(long(0x1_0000_002an))).toBe('0x10000002a');
    expect(longToHex(Buffer.from('00000000000000ff', 'hex'))).toBe('0xff');
    expect(longToHex(Buffer.from('0000ABCDEF012345', 'hex'))).toBe('0xabcdef012345');
  });

  it('keeps all 64 bits of a session id (values above 2^53 and with the top bit set)', () => {
    // Real session ids put the server id in the top byte: 0x1000008331000a0 is > 2^53.
    expect(longToHex(Buffer.from('01000008331000a0', 'hex'))).toBe('0x1000008331000a0');
    expect(longToHex(Buffer.from('ffffffffffffffff', 'hex'))).toBe('0xffffffffffffffff');
    expect(longToHex(Buffer.from('8000000000000001', 'hex'))).toBe('0x8000000000000001');
  });

  it('reads times as epoch milliseconds', () => {
    expect(longToEpochMs(long(1_700_000_000_123n))).toBe(1_700_000_000_123);
    expect(longToEpochMs(long(0n))).toBe(0);
    expect(readLong(long(-1n))).toBe(-1n);
  });

  it('pads short buffers and refuses long ones', () => {
    expect(readLong(Buffer.from([0x01, 0x02]))).toBe(0x0102n);
    expect(() => readLong(Buffer.alloc(9))).toThrow(/8-byte/);
  });

  it('converts a whole Stat record', () => {
    const stat: ClientStat = {
      czxid: long(0x10n),
      mzxid: long(0x2an),
      pzxid: long(0x100000000n),
      ctime: long(1_600_000_000_000n),
      mtime: long(1_600_000_000_999n),
      version: 3,
      cversion: -1,
      aversion: 2,
      ephemeralOwner: Buffer.from('0100000833100000', 'hex'),
      dataLength: 17,
      numChildren: 4,
    };
    expect(toStatView(stat)).toEqual({
      czxid: '0x10',
      mzxid: '0x2a',
      pzxid: '0x100000000',
      ctime: 1_600_000_000_000,
      mtime: 1_600_000_000_999,
      version: 3,
      cversion: -1,
      aversion: 2,
      ephemeralOwner: '0x100000833100000',
      dataLength: 17,
      numChildren: 4,
    });
  });
});
