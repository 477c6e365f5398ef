/**
 * Multi over node-zookeeper-client's connection, kept apart from ZkSession so the client's quirks
 * stay in one place:
 * - The request goes through the client's own queue (same xids, same reconnect and session-expiry
 *   handling), but its body is encoded here in one pass: the client's Transaction was slow (jute
 *   records per op) and turned version 0 into -1 (`version || -1`), silently dropping the version
 *   check of a node never written since creation.
 * - A failed multi answers with per-op results (an ERROR record per op); they are kept, so the
 *   caller sees which op failed and why.
 */
import type zookeeper from 'node-zookeeper-client';
import { zkErrorCodeFromClientCode } from './errors';
import type { MultiOp, MultiOpResult, MultiResult } from './multi';
import { encodeMultiBody } from './multi-request-encoder';

/** jute.OP_CODES.ERROR: the result type of every op of a failed multi. */
const OP_ERROR = -1;
/** Exception.RUNTIME_INCONSISTENCY: what the server reports for ops after the failing one. */
const RUNTIME_INCONSISTENCY = -2;

interface ClientMultiResult {
  type: number;
  err?: number;
  path?: string;
}

interface ClientConnectionManager {
  queue(
    request: unknown,
    callback: (error: unknown, response?: { payload?: { results?: ClientMultiResult[] } }) => void,
  ): void;
}

/** jute OpCode of multi. */
const OP_MULTI = 14;

/**
 * A multi request as the client's ConnectionManager handles its own: it reads `header.type`, sets
 * `header.xid` when sending, calls `payload.setChrootPath` when the connect string has a chroot, and
 * writes `toBuffer()`. The body is encoded in one pass (multi-request-encoder.ts).
 */
class EncodedMultiRequest {
  readonly header = { type: OP_MULTI, xid: 0 };
  readonly payload: { setChrootPath(path: string | undefined): void };
  private chroot = '';

  constructor(private readonly ops: readonly MultiOp[]) {
    this.payload = {
      setChrootPath: (path) => {
        this.chroot = path ?? '';
      },
    };
  }

  toBuffer(): Buffer {
    const body = encodeMultiBody(this.ops, this.chroot);
    const frame = Buffer.allocUnsafe(12 + body.length);
    frame.writeInt32BE(8 + body.length, 0);
    frame.writeInt32BE(this.header.xid, 4);
    frame.writeInt32BE(OP_MULTI, 8);
    body.copy(frame, 12);
    return frame;
  }
}

/**
 * Sends ops as one multi on the client's connection; calls back with the per-op results, or with
 * the error when there is no answer (or the whole request failed). Replaces the client's
 * Transaction, whose jute serialization cost ~1 s of CPU per 100k creates in a copy.
 */
export function commitMulti(
  client: zookeeper.Client,
  ops: readonly MultiOp[],
  callback: (error: unknown, results?: ClientMultiResult[]) => void,
): void {
  const manager = (client as unknown as { connectionManager: ClientConnectionManager }).connectionManager;
  manager.queue(new EncodedMultiRequest(ops), (error, response) => {
    const results = response?.payload?.results;
    // A failed op comes back as per-op results (an ERROR record per op), not as a request error.
    if (Array.isArray(results)) callback(null, results);
    else callback(error ?? new Error('ZooKeeper answered a multi without results'));
  });
}

/** Maps the client's per-op results; unknown error numbers keep their client name for the log. */
export function toMultiResult(raw: readonly ClientMultiResult[], opCount: number): MultiResult {
  const results: MultiOpResult[] = [];
  let failedIndex = -1;
  for (let index = 0; index < opCount; index += 1) {
    const entry = raw[index];
    if (!entry || entry.type !== OP_ERROR) {
      results.push(entry?.path === undefined ? { ok: true } : { ok: true, createdPath: entry.path });
      continue;
    }
    const err = entry.err ?? 0;
    if (err === 0) {
      results.push({ ok: true });
    } else if (err === RUNTIME_INCONSISTENCY && failedIndex >= 0) {
      results.push({ ok: false, code: 'UNKNOWN' });
    } else {
      if (failedIndex < 0) failedIndex = index;
      results.push({ ok: false, code: zkErrorCodeFromClientCode(err) });
    }
  }
  const ok = failedIndex < 0 && results.every((result) => result.ok);
  return { ok, results, failedIndex };
}
