/**
 * A bulk reader opened with `fullStat` (what a snapshot captures with) reports the whole stat, in
 * exactly the form ZkSession gives it (electron/zk/stat.ts): zxids as 0x hex, cversion, the rest
 * unchanged. Without it the zxids are skipped, as the copy engine's walks want.
 */
import { describe, expect, it } from 'vitest';
import { decodeReadBody, OP, Reader } from '../../../electron/zk/bulk-read/wire-protocol';
import { toStatView } from '../../../electron/zk/stat';

/** A jute Stat record: czxid, mzxid, ctime, mtime, version, cversion, aversion, owner, dataLength, numChildren, pzxid. */
function statRecord(): Buffer {
  const stat = Buffer.alloc(68);
  stat.writeBigUInt64BE(0x1_0000_0005n, 0); // czxid, epoch 1
  stat.writeBigUInt64BE(0x2_0000_00a0n, 8); // mzxid, epoch 2
  stat.writeBigInt64BE(1_733_480_000_000n, 16); // ctime
  stat.writeBigInt64BE(1_733_480_000_500n, 24); // mtime
  stat.writeInt32BE(7, 32); // version
  stat.writeInt32BE(12, 36); // cversion
  stat.writeInt32BE(3, 40); // aversion
  stat.writeBigUInt64BE(0xff00_0000_0000_0001n, 44); // ephemeralOwner, top bit set
  stat.writeInt32BE(4, 52); // dataLength
  stat.writeInt32BE(2, 56); // numChildren
  stat.writeBigUInt64BE(0x2_0000_00b1n, 60); // pzxid
  return stat;
}

function clientStat(bytes: Buffer) {
  return {
    czxid: bytes.subarray(0, 8),
    mzxid: bytes.subarray(8, 16),
    ctime: bytes.subarray(16, 24),
    mtime: bytes.subarray(24, 32),
    version: bytes.readInt32BE(32),
    cversion: bytes.readInt32BE(36),
    aversion: bytes.readInt32BE(40),
    ephemeralOwner: bytes.subarray(44, 52),
    dataLength: bytes.readInt32BE(52),
    numChildren: bytes.readInt32BE(56),
    pzxid: bytes.subarray(60, 68),
  };
}

describe('whole stats from the bulk reader', () => {
  it('matches what ZkSession reports for the same record, field for field and in order', () => {
    const record = statRecord();
    const data = Buffer.from([0x00, 0xff, 0x0a, 0x80]);
    const length = Buffer.alloc(4);
    length.writeInt32BE(data.length);
    const result = decodeReadBody(new Reader(Buffer.concat([length, data, record]), true), OP.getData);
    if (!result.ok || result.type !== OP.getData) throw new Error('expected a getData result');
    expect(result.data.equals(data)).toBe(true);
    const expected = toStatView(clientStat(record));
    expect(result.stat).toEqual(expected);
    expect(Object.keys(result.stat)).toEqual(Object.keys(expected));
    expect(result.stat).toMatchObject({
      czxid: '0x100000005',
      mzxid: '0x2000000a0',
      pzxid: '0x2000000b1',
      cversion: 12,
      ephemeralOwner: '0xff00000000000001',
    });
  });

  it('skips the zxids and cversion without fullStat', () => {
    const stat = new Reader(statRecord()).stat();
    expect(stat).not.toHaveProperty('czxid');
    expect(stat).not.toHaveProperty('cversion');
    expect(stat).toMatchObject({ version: 7, aversion: 3, numChildren: 2, dataLength: 4 });
  });
});
