/**
 * ZooKeeper's multi (a transaction of create / setData / check / remove that the server applies all
 * or nothing) as the app describes it, plus the byte arithmetic of its request.
 *
 * Why the byte arithmetic lives here: the server drops the connection when a request exceeds
 * jute.maxbuffer, failing every other request in flight on it (zookeeper-reference.md, section 1), so
 * callers must know a batch's wire size before sending it, not find out afterwards.
 */
import { ZkError } from './errors';
import type { CreateMode, ZkAcl, ZkErrorCode, ZkSessionLike, ZkStatRaw } from './types';

export type MultiOp =
  | { type: 'create'; path: string; data: Buffer; acl: readonly ZkAcl[]; mode?: CreateMode }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'check'; path: string; version: number }
  | { type: 'remove'; path: string; version: number };

export interface MultiOpResult {
  /** True when the op succeeded, or (in a failed multi) would have: the server rolled it back. */
  ok: boolean;
  /** Set on the op that failed the multi. Ops after it carry RUNTIME_INCONSISTENCY from the server. */
  code?: ZkErrorCode;
  /** The created path (sequential modes append the counter). */
  createdPath?: string;
}

export interface MultiResult {
  /** Whether the server applied the whole multi. */
  ok: boolean;
  results: MultiOpResult[];
  /** Index of the op that failed the multi; -1 when it succeeded or the server named no culprit. */
  failedIndex: number;
}

/** The write surface engines need beyond ZkSessionLike; ZkSession implements it. */
export interface ZkWriteSession extends ZkSessionLike {
  multi(ops: readonly MultiOp[]): Promise<MultiResult>;
  setACL(path: string, acl: readonly ZkAcl[], version: number): Promise<ZkStatRaw>;
  /** The chroot of the connect string ('/pegasus'), or undefined: paths on the wire are longer by it. */
  readonly chroot: string | undefined;
}

/** Narrows a session to the write surface, with a message instead of "multi is not a function". */
export function asWriteSession(session: ZkSessionLike): ZkWriteSession {
  const candidate = session as Partial<ZkWriteSession>;
  if (typeof candidate.multi !== 'function' || typeof candidate.setACL !== 'function') {
    throw new ZkError(
      'BAD_ARGUMENTS',
      'This ZooKeeper session cannot run multi transactions (it is not a ZkSession); engines need one to write',
    );
  }
  return session as ZkWriteSession;
}

/** Request header: xid + type. */
export const REQUEST_HEADER_BYTES = 8;
/** Each op is preceded by a MultiHeader (type int, done boolean, err int); one more ends the list. */
export const MULTI_HEADER_BYTES = 9;

function utf8(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A jute ustring / buffer: a 4-byte length, then the bytes. */
function field(bytes: number): number {
  return 4 + bytes;
}

/** Bytes of an ACL vector on the wire: count, then per entry perms + scheme + id. */
export function aclBytes(acl: readonly ZkAcl[]): number {
  let total = 4;
  for (const entry of acl) total += 4 + field(utf8(entry.scheme)) + field(utf8(entry.id));
  return total;
}

/**
 * Wire bytes one op adds to a multi request, including its MultiHeader. `chrootBytes` is the length
 * of the connect string's chroot, which the client prefixes to every path.
 */
export function multiOpBytes(op: MultiOp, chrootBytes = 0): number {
  const path = field(chrootBytes + utf8(op.path));
  switch (op.type) {
    case 'create':
      return MULTI_HEADER_BYTES + path + field(op.data.length) + aclBytes(op.acl) + 4;
    case 'setData':
      return MULTI_HEADER_BYTES + path + field(op.data.length) + 4;
    case 'check':
    case 'remove':
      return MULTI_HEADER_BYTES + path + 4;
  }
}

/** Wire bytes of a whole multi request (what jute.maxbuffer bounds) from the sum of its ops' bytes. */
export function multiRequestBytes(opsBytes: number): number {
  return REQUEST_HEADER_BYTES + opsBytes + MULTI_HEADER_BYTES;
}

/**
 * Wire bytes of the same op sent alone as a plain request: no MultiHeaders, so a node near 1 MiB that
 * no multi can carry may still fit.
 */
export function singleOpRequestBytes(op: MultiOp, chrootBytes = 0): number {
  return REQUEST_HEADER_BYTES + multiOpBytes(op, chrootBytes) - MULTI_HEADER_BYTES;
}
