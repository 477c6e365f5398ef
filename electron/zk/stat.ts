/**
 * node-zookeeper-client hands 64-bit stat fields (zxids, times, ephemeralOwner) over as raw 8-byte
 * big-endian Buffers, because it predates BigInt. They become the API's view here: ids as 0x hex the
 * way zkCli prints them, times as epoch milliseconds.
 */
import type { ZkStatView } from '../../shared/api/zk-node';

/** The shape node-zookeeper-client's Stat record has at runtime (see lib/jute/specification.json). */
export interface ClientStat {
  czxid: Buffer;
  mzxid: Buffer;
  pzxid: Buffer;
  ctime: Buffer;
  mtime: Buffer;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: Buffer;
  dataLength: number;
  numChildren: number;
}

/** Reads an 8-byte big-endian signed long; shorter input is treated as zero-padded on the left. */
export function readLong(buffer: Buffer): bigint {
  if (buffer.length === 8) return buffer.readBigInt64BE(0);
  if (buffer.length > 8) throw new RangeError(`expected an 8-byte long, got ${buffer.length} bytes`);
  const padded = Buffer.alloc(8);
  buffer.copy(padded, 8 - buffer.length);
  return padded.readBigInt64BE(0);
}

/** '0x' + lowercase hex without leading zeros, '0x0' for zero; reads the bits as unsigned. */
export function longToHex(buffer: Buffer): string {
  const value = BigInt.asUintN(64, readLong(buffer));
  return `0x${value.toString(16)}`;
}

/** Epoch milliseconds; a time beyond Number's safe range cannot come from a real server. */
export function longToEpochMs(buffer: Buffer): number {
  return Number(readLong(buffer));
}

export function toStatView(stat: ClientStat): ZkStatView {
  return {
    czxid: longToHex(stat.czxid),
    mzxid: longToHex(stat.mzxid),
    pzxid: longToHex(stat.pzxid),
    ctime: longToEpochMs(stat.ctime),
    mtime: longToEpochMs(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: longToHex(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}
