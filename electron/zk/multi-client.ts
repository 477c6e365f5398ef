/**
 * Translation between MultiOp and node-zookeeper-client's Transaction, kept apart from ZkSession so
 * the client's quirks stay in one place:
 * - Transaction.setData/check/remove turn version 0 into -1 (`version || -1`), which would silently
 *   drop the version check of a node never written since creation; the version is set back here.
 * - A failed multi calls back with an error *and* the per-op results; only the results are kept, so
 *   the caller sees which op failed and why.
 */
import zookeeper from 'node-zookeeper-client';
import { toClientAcl } from './acl';
import { zkErrorCodeFromClientCode } from './errors';
import type { MultiOp, MultiOpResult, MultiResult } from './multi';
import type { CreateMode, ZkAcl } from './types';

const CREATE_MODES: Readonly<Record<CreateMode, number>> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  'persistent-sequential': zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  'ephemeral-sequential': zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

/** jute.OP_CODES.ERROR: the result type of every op of a failed multi. */
const OP_ERROR = -1;
/** Exception.RUNTIME_INCONSISTENCY: what the server reports for ops after the failing one. */
const RUNTIME_INCONSISTENCY = -2;

interface ClientOpRecord {
  version?: number;
}

interface ClientMultiResult {
  type: number;
  err?: number;
  path?: string;
}

/**
 * Client ACL objects by entry: a copy creates thousands of nodes with the same few ACLs, and
 * converting each entry again (letters to bits, two objects) showed up in profiles.
 */
const clientAclCache = new Map<string, zookeeper.ACL>();
const CLIENT_ACL_CACHE_LIMIT = 1024;

function cachedClientAcl(entry: ZkAcl): zookeeper.ACL {
  const key = `${entry.scheme}\u0000${entry.id}\u0000${entry.perms}`;
  let acl = clientAclCache.get(key);
  if (!acl) {
    if (clientAclCache.size >= CLIENT_ACL_CACHE_LIMIT) clientAclCache.clear();
    acl = toClientAcl(entry);
    clientAclCache.set(key, acl);
  }
  return acl;
}

/** Builds the client's transaction for ops (validated by the client's own asserts). */
export function buildTransaction(client: zookeeper.Client, ops: readonly MultiOp[]): zookeeper.Transaction {
  const transaction = client.transaction();
  const records = (transaction as unknown as { ops: ClientOpRecord[] }).ops;
  for (const op of ops) {
    switch (op.type) {
      case 'create':
        transaction.create(
          op.path,
          op.data,
          op.acl.map(cachedClientAcl),
          CREATE_MODES[op.mode ?? 'persistent'],
        );
        continue;
      case 'setData':
        transaction.setData(op.path, op.data, op.version);
        break;
      case 'check':
        transaction.check(op.path, op.version);
        break;
      case 'remove':
        transaction.remove(op.path, op.version);
        break;
    }
    const record = records[records.length - 1];
    if (record) record.version = op.version;
  }
  return transaction;
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
