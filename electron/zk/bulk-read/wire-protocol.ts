/**
 * The few records of ZooKeeper's client protocol (jute, big-endian, length-prefixed frames) that a
 * read-only bulk reader needs: the session handshake, digest auth, ping, close, getData,
 * getChildren, getACL and multiRead (OpCode 22, ZooKeeper 3.6+).
 *
 * Why a second, hand-rolled codec next to node-zookeeper-client: that client cannot send multiRead
 * (its response parser drops the connection on an unknown op), and multiRead is what makes whole
 * cluster loads fast: one request reads a table's 129 nodes, where the server otherwise pays its
 * per-request pipeline cost (thread hand-offs, a selector wake-up, a socket write) 129 times.
 * Record layouts: zookeeper-jute/src/main/resources/zookeeper.jute; multi framing:
 * MultiOperationRecord / MultiResponse in the server sources.
 */

export const OP = {
  getData: 4,
  getACL: 6,
  getChildren: 8,
  ping: 11,
  multiRead: 22,
  auth: 100,
  closeSession: -11,
  /** MultiHeader type of a failed op inside a multi response. */
  error: -1,
} as const;

export const XID = { notification: -1, ping: -2, auth: -4 } as const;

/** ZooKeeper's KeeperException codes this reader tells apart. */
export const ERR = {
  ok: 0,
  unimplemented: -6,
  noNode: -101,
  noAuth: -102,
  authFailed: -115,
} as const;

/** A frame larger than this is treated as a corrupt stream (ZooKeeper's own default limit is 1 MiB per node). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/**
 * Reads a multiRead can carry. getACL is not one of them: a 3.8 server answers a multiRead holding
 * one with MARSHALLINGERROR (measured), so ACLs go as plain requests, pipelined.
 */
export type MultiReadOpType = typeof OP.getData | typeof OP.getChildren;
export type ReadOpType = MultiReadOpType | typeof OP.getACL;

export interface ReadOp {
  type: ReadOpType;
  /** The path as the server sees it (chroot already prefixed). */
  serverPath: string;
}

/** The stat fields a reader reports; times are epoch ms, the owner is 0x-hex as zkCli prints it. */
export interface WireStat {
  version: number;
  /** ACL version: what a version-checked setACL needs. */
  aversion: number;
  dataLength: number;
  numChildren: number;
  ctime: number;
  mtime: number;
  ephemeralOwner: string;
  /**
   * The rest of ZooKeeper's stat, only from a session opened with `fullStat` (a snapshot keeps each
   * node's whole stat; other readers skip formatting three zxids per node).
   */
  czxid?: string;
  mzxid?: string;
  pzxid?: string;
  cversion?: number;
}

/** One ACL entry as the server sends it: a permission bitmask for scheme:id. */
export interface WireAclEntry {
  perms: number;
  scheme: string;
  id: string;
}

export type ReadResult =
  | { ok: true; type: typeof OP.getData; data: Buffer; stat: WireStat }
  | { ok: true; type: typeof OP.getChildren; children: string[] }
  | { ok: true; type: typeof OP.getACL; acl: readonly WireAclEntry[]; stat: WireStat }
  | { ok: false; err: number };

export interface ReplyHeader {
  xid: number;
  err: number;
}

/** Grows as records are appended; one allocation per frame in the common case. */
class Writer {
  private buffer: Buffer;
  private offset = 4; // room for the frame length

  constructor(sizeHint: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(64, sizeHint + 4));
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }

  int(value: number): this {
    this.ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  long(value: bigint): this {
    this.ensure(8);
    this.offset = this.buffer.writeBigInt64BE(value, this.offset);
    return this;
  }

  bool(value: boolean): this {
    this.ensure(1);
    this.offset = this.buffer.writeUInt8(value ? 1 : 0, this.offset);
    return this;
  }

  bytes(value: Buffer): this {
    this.int(value.length);
    this.ensure(value.length);
    this.offset += value.copy(this.buffer, this.offset);
    return this;
  }

  string(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.int(length);
    this.ensure(length);
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    return this;
  }

  /** The frame: a 4-byte length, then the body. */
  frame(): Buffer {
    this.buffer.writeInt32BE(this.offset - 4, 0);
    return this.buffer.subarray(0, this.offset);
  }
}

/** ConnectRequest for a new session, plus the readOnly flag 3.4+ servers accept. */
export function encodeConnectRequest(sessionTimeoutMs: number): Buffer {
  return new Writer(45)
    .int(0) // protocolVersion
    .long(0n) // lastZxidSeen
    .int(sessionTimeoutMs)
    .long(0n) // sessionId: a new session
    .bytes(Buffer.alloc(16)) // passwd
    .bool(false) // readOnly
    .frame();
}

export interface ConnectResponse {
  timeoutMs: number;
  sessionId: string;
}

export function decodeConnectResponse(body: Buffer): ConnectResponse {
  const reader = new Reader(body);
  reader.int(); // protocolVersion
  const timeoutMs = reader.int();
  const sessionId = reader.hexLong();
  return { timeoutMs, sessionId };
}

export function encodeAuth(scheme: string, credential: string): Buffer {
  return new Writer(32 + credential.length)
    .int(XID.auth)
    .int(OP.auth)
    .int(0) // type
    .string(scheme)
    .bytes(Buffer.from(credential, 'utf8'))
    .frame();
}

export function encodePing(): Buffer {
  return new Writer(8).int(XID.ping).int(OP.ping).frame();
}

export function encodeCloseSession(xid: number): Buffer {
  return new Writer(8).int(xid).int(OP.closeSession).frame();
}

/** A plain getData or getChildren request (watch off), or a getACL request (a path, no watch flag). */
export function encodeRead(xid: number, op: ReadOp): Buffer {
  const writer = new Writer(13 + op.serverPath.length * 3).int(xid).int(op.type).string(op.serverPath);
  return op.type === OP.getACL ? writer.frame() : writer.bool(false).frame();
}

/** One multiRead: a MultiHeader(type, done=false, err=-1) plus the request per op, then the end marker. */
export function encodeMultiRead(xid: number, ops: readonly ReadOp[]): Buffer {
  for (const op of ops) {
    if (op.type === OP.getACL) throw new RangeError('getACL cannot go in a multiRead: send it alone');
  }
  let hint = 8 + 9;
  for (const op of ops) hint += 9 + 5 + op.serverPath.length * 3;
  const writer = new Writer(hint).int(xid).int(OP.multiRead);
  for (const op of ops) writer.int(op.type).bool(false).int(-1).string(op.serverPath).bool(false);
  return writer.int(-1).bool(true).int(-1).frame();
}

/** Sequential reads of one frame body. */
export class Reader {
  offset = 0;
  constructor(
    private readonly buffer: Buffer,
    /** Whether stat() also formats the zxids and cversion (see WireStat). */
    private readonly fullStat = false,
  ) {}

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) {
      throw new RangeError(
        `truncated ZooKeeper reply: needed ${bytes} bytes at ${this.offset} of ${this.buffer.length}`,
      );
    }
  }

  int(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A signed 64-bit value as a Number: exact for times and small counters. */
  longNumber(): number {
    this.need(8);
    const high = this.buffer.readInt32BE(this.offset);
    const low = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return high * 4294967296 + low;
  }

  /** '0x' + lowercase hex without leading zeros, '0x0' for zero (as electron/zk/stat.ts prints ids). */
  hexLong(): string {
    this.need(8);
    const high = this.buffer.readUInt32BE(this.offset);
    const low = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    // Persistent nodes (all but a few) share one string instead of formatting a new one each.
    if (high === 0) return low === 0 ? '0x0' : `0x${low.toString(16)}`;
    return `0x${high.toString(16)}${low.toString(16).padStart(8, '0')}`;
  }

  bool(): boolean {
    this.need(1);
    return this.buffer[this.offset++] !== 0;
  }

  /** A jute buffer; -1 (null) becomes an empty Buffer, as ZkSession reports empty data. Copied out of the frame. */
  bytes(): Buffer {
    const length = this.int();
    if (length < 0) return Buffer.alloc(0);
    this.need(length);
    const copy = Buffer.from(this.buffer.subarray(this.offset, this.offset + length));
    this.offset += length;
    return copy;
  }

  /** The bytes between two offsets of this frame (not copied). */
  slice(start: number, end: number): Buffer {
    return this.buffer.subarray(start, end);
  }

  string(): string {
    const length = this.int();
    if (length < 0) return '';
    this.need(length);
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  stat(): WireStat {
    if (this.fullStat) return this.wholeStat();
    this.offset += 8; // czxid
    this.offset += 8; // mzxid
    const ctime = this.longNumber();
    const mtime = this.longNumber();
    const version = this.int();
    this.int(); // cversion
    const aversion = this.int();
    const ephemeralOwner = this.hexLong();
    const dataLength = this.int();
    const numChildren = this.int();
    this.need(8);
    this.offset += 8; // pzxid
    return { version, aversion, dataLength, numChildren, ctime, mtime, ephemeralOwner };
  }

  /** Every stat field, in the order (and format) electron/zk/stat.ts gives ZkSession's stats. */
  private wholeStat(): WireStat {
    const czxid = this.hexLong();
    const mzxid = this.hexLong();
    const ctime = this.longNumber();
    const mtime = this.longNumber();
    const version = this.int();
    const cversion = this.int();
    const aversion = this.int();
    const ephemeralOwner = this.hexLong();
    const dataLength = this.int();
    const numChildren = this.int();
    const pzxid = this.hexLong();
    return {
      czxid,
      mzxid,
      pzxid,
      ctime,
      mtime,
      version,
      cversion,
      aversion,
      ephemeralOwner,
      dataLength,
      numChildren,
    };
  }

  stringVector(): string[] {
    const count = this.int();
    if (count < 0) return [];
    const items = new Array<string>(count);
    for (let i = 0; i < count; i += 1) items[i] = this.string();
    return items;
  }
}

/** The reply header at the start of every frame after the handshake: xid, zxid (skipped), err. */
export function decodeReplyHeader(reader: Reader): ReplyHeader {
  const xid = reader.int();
  reader.longNumber(); // zxid
  const err = reader.int();
  return { xid, err };
}

/**
 * Decoded ACL vectors by their bytes: a tree holds a handful of distinct ACLs, so a copy of 100k
 * nodes gets the same few frozen arrays back (cheap to hold, and equal ACLs are the same object).
 */
const aclCache = new Map<string, readonly WireAclEntry[]>();
const ACL_CACHE_LIMIT = 4096;

/** A jute vector<ACL>: count, then per entry perms, scheme, id. */
function readAclVector(reader: Reader): readonly WireAclEntry[] {
  const start = reader.offset;
  const count = reader.int();
  if (count <= 0) return [];
  const entries: WireAclEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    const perms = reader.int();
    const scheme = reader.string();
    const id = reader.string();
    entries.push({ perms, scheme, id });
  }
  const key = reader.slice(start, reader.offset).toString('latin1');
  const cached = aclCache.get(key);
  if (cached) return cached;
  if (aclCache.size >= ACL_CACHE_LIMIT) aclCache.clear();
  const frozen = Object.freeze(entries.map((entry) => Object.freeze(entry)));
  aclCache.set(key, frozen);
  return frozen;
}

/** The body of a successful plain read. */
export function decodeReadBody(reader: Reader, type: ReadOpType): ReadResult {
  if (type === OP.getData) {
    const data = reader.bytes();
    return { ok: true, type, data, stat: reader.stat() };
  }
  if (type === OP.getACL) {
    const acl = readAclVector(reader);
    return { ok: true, type, acl, stat: reader.stat() };
  }
  return { ok: true, type, children: reader.stringVector() };
}

/** The body of a multiRead reply: one result per op, in order. */
export function decodeMultiReadBody(reader: Reader, expected: number): ReadResult[] {
  const results: ReadResult[] = [];
  for (;;) {
    const type = reader.int();
    const done = reader.bool();
    const err = reader.int();
    if (done) break;
    if (type === OP.getData || type === OP.getChildren) results.push(decodeReadBody(reader, type));
    else if (type === OP.error) results.push({ ok: false, err: reader.int() || err });
    else throw new RangeError(`unexpected op type ${type} in a multiRead reply`);
  }
  if (results.length !== expected) {
    throw new RangeError(`a multiRead reply carried ${results.length} results for ${expected} reads`);
  }
  return results;
}
