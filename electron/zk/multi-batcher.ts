/**
 * Multi batches sized by bytes, and their commit with the failing op split out.
 *
 * Why bytes and not a count: a multi larger than jute.maxbuffer makes the server drop the connection
 * (every request in flight on it fails, nothing is applied), so 1,000 ops of 1 KB break where 1,000
 * ops of 100 B do not; zkcopy's `-b` count is exactly that bug. A node near 1 MiB goes alone, and is
 * then sent as a plain request, which has no multi headers and so fits where a multi would not.
 *
 * Why split: a multi is all or nothing, so one op that fails (NODE_EXISTS, NO_AUTH...) rolls back the
 * others. The server names the failing op; the caller decides what to do with it (skip it, replace it
 * with another op, stop), and the rest is sent again. When the server names no culprit the batch is
 * bisected.
 */
import { isZkError, ZkError } from './errors';
import {
  MULTI_HEADER_BYTES,
  type MultiOp,
  type MultiResult,
  multiOpBytes,
  multiRequestBytes,
  REQUEST_HEADER_BYTES,
  type ZkWriteSession,
} from './multi';
import { MAX_REQUEST_BYTES } from './zk-session';
import type { ZkErrorCode } from './types';

/** Headroom under jute.maxbuffer: big transactions also strain followers (ZOOKEEPER-3496). */
export const DEFAULT_BATCH_BYTES = 512 * 1024;

export interface BatchEntry<T> {
  op: MultiOp;
  tag: T;
}

export interface Batch<T> {
  entries: BatchEntry<T>[];
  /** Wire bytes of the multi request for these entries. */
  requestBytes: number;
}

export interface MultiBatcherOptions {
  /** Upper bound on a batch's request bytes (default 512 KiB); a larger single op goes alone. */
  maxBytes?: number;
  /**
   * Optional bound on ops per batch. Not a size limit (bytes are): a latency knob, so a pipeline of
   * small ops keeps several multis in flight instead of one huge one.
   */
  maxOps?: number;
  /** Bytes of the writer's chroot, which the client prefixes to every path on the wire. */
  chrootBytes?: number;
}

/** Accumulates ops and hands back batches whose request stays under the byte bound. */
export class MultiBatcher<T> {
  readonly maxBytes: number;
  readonly maxOps: number;
  private readonly chrootBytes: number;
  private entries: BatchEntry<T>[] = [];
  private opsBytes = 0;

  constructor(options: MultiBatcherOptions = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_BATCH_BYTES;
    const floor = REQUEST_HEADER_BYTES + 2 * MULTI_HEADER_BYTES + 64;
    if (!Number.isInteger(maxBytes) || maxBytes < floor || maxBytes > MAX_REQUEST_BYTES) {
      throw new RangeError(
        `maxBytes must be a whole number between ${floor} and ${MAX_REQUEST_BYTES} (jute.maxbuffer), got ${maxBytes}`,
      );
    }
    const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
    if (!(maxOps >= 1)) throw new RangeError(`maxOps must be at least 1, got ${maxOps}`);
    this.maxBytes = maxBytes;
    this.maxOps = maxOps;
    this.chrootBytes = options.chrootBytes ?? 0;
  }

  /** Ops waiting for a batch. */
  get size(): number {
    return this.entries.length;
  }

  /** Adds an op; returns the batches this sealed (none, one, or two when a large op goes alone). */
  add(op: MultiOp, tag: T): Batch<T>[] {
    const bytes = multiOpBytes(op, this.chrootBytes);
    const sealed: Batch<T>[] = [];
    if (multiRequestBytes(bytes) > this.maxBytes) {
      // Too big to share a batch: whatever waits goes first (order matters: parents before children).
      const before = this.flush();
      if (before) sealed.push(before);
      sealed.push({ entries: [{ op, tag }], requestBytes: multiRequestBytes(bytes) });
      return sealed;
    }
    if (this.entries.length > 0 && multiRequestBytes(this.opsBytes + bytes) > this.maxBytes) {
      const full = this.flush();
      if (full) sealed.push(full);
    }
    this.entries.push({ op, tag });
    this.opsBytes += bytes;
    if (this.entries.length >= this.maxOps) {
      const full = this.flush();
      if (full) sealed.push(full);
    }
    return sealed;
  }

  /** Seals what waits, if anything. */
  flush(): Batch<T> | undefined {
    if (this.entries.length === 0) return undefined;
    const batch = { entries: this.entries, requestBytes: multiRequestBytes(this.opsBytes) };
    this.entries = [];
    this.opsBytes = 0;
    return batch;
  }
}

/** Codes that answer for one op (the server processed the request); anything else is "no answer". */
const OP_LEVEL_CODES: ReadonlySet<ZkErrorCode> = new Set([
  'NODE_EXISTS',
  'NO_NODE',
  'NOT_EMPTY',
  'BAD_VERSION',
  'NO_AUTH',
  'INVALID_ACL',
  'NO_CHILDREN_FOR_EPHEMERALS',
  'BAD_ARGUMENTS',
]);

/** Whether an error is the answer for one op, as opposed to an unknown outcome or a dead session. */
export function isOpLevelError(error: unknown): error is ZkError {
  return isZkError(error) && OP_LEVEL_CODES.has(error.code);
}

/**
 * Sends ops: a single op as a plain request (smaller on the wire, see above), several as one multi.
 * The answer has the same shape either way; a missing answer (connection loss, expiry, timeout)
 * rejects, because then nobody knows whether it was applied.
 */
export async function commitOps(session: ZkWriteSession, ops: readonly MultiOp[]): Promise<MultiResult> {
  if (ops.length !== 1) return session.multi(ops);
  const op = ops[0]!;
  try {
    switch (op.type) {
      case 'create': {
        const createdPath = await session.create(op.path, op.data, {
          acl: [...op.acl],
          mode: op.mode ?? 'persistent',
        });
        return { ok: true, results: [{ ok: true, createdPath }], failedIndex: -1 };
      }
      case 'setData':
        await session.setData(op.path, op.data, op.version);
        break;
      case 'remove':
        await session.remove(op.path, op.version);
        break;
      case 'check': {
        const stat = await session.exists(op.path);
        if (!stat) return { ok: false, results: [{ ok: false, code: 'NO_NODE' }], failedIndex: 0 };
        if (op.version !== -1 && stat.version !== op.version) {
          return { ok: false, results: [{ ok: false, code: 'BAD_VERSION' }], failedIndex: 0 };
        }
        break;
      }
    }
    return { ok: true, results: [{ ok: true }], failedIndex: -1 };
  } catch (error) {
    if (isOpLevelError(error)) {
      return { ok: false, results: [{ ok: false, code: error.code }], failedIndex: 0 };
    }
    throw error;
  }
}

/**
 * A commit that lost its answer part-way: `applied` are known to be in, `unsettled` may or may not be
 * (check them before sending them again).
 */
export class BatchCommitError<T> extends Error {
  override name = 'BatchCommitError';
  constructor(
    readonly reason: ZkError,
    readonly applied: BatchEntry<T>[],
    readonly unsettled: BatchEntry<T>[],
  ) {
    super(reason.message, { cause: reason });
  }
}

/**
 * Decides what becomes of the op that failed a multi: the entries to put in its place (empty to drop
 * it, e.g. a create whose node turned out to exist with the same data), or a throw to stop.
 */
export type CulpritResolver<T> = (entry: BatchEntry<T>, code: ZkErrorCode) => Promise<BatchEntry<T>[]>;

export interface SplitCommitResult<T> {
  /** Entries the server applied, in order (including replacements the resolver returned). */
  applied: BatchEntry<T>[];
  /** Requests sent, for the record: 1 when nothing failed. */
  requests: number;
}

/**
 * Commits entries, splitting out each op that fails the multi and letting `resolve` decide its fate,
 * then sending the rest again (in the original order, since later ops may depend on earlier ones).
 */
export async function commitSplitting<T>(
  session: ZkWriteSession,
  entries: readonly BatchEntry<T>[],
  resolve: CulpritResolver<T>,
): Promise<SplitCommitResult<T>> {
  const applied: BatchEntry<T>[] = [];
  let requests = 0;
  let pending = entries.slice();
  // Every round either applies everything or settles one culprit, so this bound is generous.
  const maxRounds = 2 * entries.length + 8;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= maxRounds) {
      throw new ZkError(
        'UNKNOWN',
        `A batch of ${entries.length} operations starting at ${entries[0]?.op.path} kept failing after ${round} attempts`,
        { path: entries[0]?.op.path },
      );
    }
    let result: MultiResult;
    try {
      requests += 1;
      result = await commitOps(
        session,
        pending.map((entry) => entry.op),
      );
    } catch (error) {
      if (isZkError(error)) throw new BatchCommitError(error, applied, pending);
      throw error;
    }
    if (result.ok) {
      applied.push(...pending);
      pending = [];
      break;
    }
    let index = result.failedIndex;
    if (index < 0 && pending.length > 1) {
      // No culprit named: bisect, committing each half with the same rules.
      const half = pending.length >> 1;
      const halves = [pending.slice(0, half), pending.slice(half)];
      pending = [];
      for (let h = 0; h < halves.length; h += 1) {
        try {
          const sub = await commitSplitting(session, halves[h]!, resolve);
          applied.push(...sub.applied);
          requests += sub.requests;
        } catch (error) {
          if (error instanceof BatchCommitError) {
            const rest = h === 0 ? halves[1]! : [];
            throw new BatchCommitError<T>(
              error.reason,
              [...applied, ...(error.applied as BatchEntry<T>[])],
              [...(error.unsettled as BatchEntry<T>[]), ...rest],
            );
          }
          throw error;
        }
      }
      break;
    }
    if (index < 0) index = 0;
    const culprit = pending[index]!;
    const code = result.results[index]?.code ?? 'UNKNOWN';
    const replacement = await resolve(culprit, code);
    pending = [...pending.slice(0, index), ...replacement, ...pending.slice(index + 1)];
  }
  return { applied, requests };
}
