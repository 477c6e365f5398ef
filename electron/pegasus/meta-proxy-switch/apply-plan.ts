/**
 * Applies a planned switch or rollback: one setData with the version the plan read (compare-and-set),
 * then the audit event and the rollback record.
 *
 * - BAD_VERSION: someone wrote between our read and our write. Nothing was written; the refusal shows
 *   what the entry holds now next to what we expected.
 * - NO_NODE: the entry was deleted meanwhile; nothing was written.
 * - A lost answer (CONNECTION_LOSS, expiry, timeout) is "outcome unknown": the entry is read again.
 *   Exactly one version later with our bytes means our write landed (the version check makes it ours);
 *   still at the planned version with the old bytes means it did not; anything else means someone else
 *   wrote, and is reported as a change underneath.
 * Every outcome, refusals and failures included, is an audit event.
 */
import { readerErrorCode, readerErrorMessage } from '../zk-reader';
import {
  describeRoute,
  describeSnapshot,
  entryBuffer,
  type MetaProxyEntrySnapshot,
  type MetaProxyZk,
  readMetaProxyEntry,
} from './entry-snapshot';
import { type MetaProxyRefusal, refusal } from './refusal';
import { type MetaProxyRollbackRecord, rollbackRecord } from './rollback-record';
import { auditFailure, auditRefusal, auditUnchanged, auditWrite, type MetaProxyAudit } from './write-audit';
import type { MetaProxyPlan } from './write-plan';

export interface MetaProxyWriteResult {
  ok: true;
  kind: MetaProxyPlan['kind'];
  table: string;
  path: string;
  /** False when the entry already routed there and nothing was written. */
  changed: boolean;
  previous: MetaProxyEntrySnapshot;
  current: MetaProxyEntrySnapshot;
  /** How to undo this write; null when nothing was written. */
  rollback: MetaProxyRollbackRecord | null;
  auditEventId: number;
  forced: boolean;
  notes: string[];
}

export interface ApplyOptions {
  audit: MetaProxyAudit;
  /**
   * Runs after the last check and right before the compare-and-set: lets a caller hold the write (a
   * test that races a concurrent writer deterministically, a runbook that logs "writing now").
   */
  beforeWrite?: () => Promise<void>;
}

const UNKNOWN_OUTCOME = new Set(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'TIMEOUT']);

export class MetaProxyWriteError extends Error {
  override name = 'MetaProxyWriteError';
  constructor(
    message: string,
    /** false: certainly not written; 'unknown': the entry could not be read back. */
    readonly written: false | 'unknown',
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function changedUnderneath(
  plan: MetaProxyPlan,
  now: MetaProxyEntrySnapshot | null,
  lostAnswer: boolean,
): MetaProxyRefusal {
  const lost = lostAnswer ? ' (the connection was lost during the write and the entry was read back)' : '';
  if (now === null) {
    return refusal(
      plan.kind,
      'deleted-underneath',
      `The entry was deleted underneath you${lost}: expected ${describeSnapshot(plan.current)}; nothing was written. meta-proxy cannot route ${plan.table} until an entry exists again.`,
      { path: plan.path, expected: plan.current, attempted: plan.next },
    );
  }
  return refusal(
    plan.kind,
    'changed-underneath',
    `The entry changed underneath you${lost}: now ${describeSnapshot(now)}, expected ${describeSnapshot(plan.current)}; nothing was written. Someone else may be switching this table: look at the entry again before deciding.`,
    { path: plan.path, current: now, expected: plan.current, attempted: plan.next },
  );
}

export async function applyMetaProxyPlan(
  zk: MetaProxyZk,
  plan: MetaProxyPlan,
  options: ApplyOptions,
): Promise<MetaProxyWriteResult | MetaProxyRefusal> {
  const { audit } = options;
  const refuse = (refused: MetaProxyRefusal) => {
    auditRefusal(audit, refused);
    return refused;
  };
  const result = (
    current: MetaProxyEntrySnapshot,
    changed: boolean,
    auditEventId: number,
    record: MetaProxyRollbackRecord | null,
  ) => ({
    ok: true as const,
    kind: plan.kind,
    table: plan.table,
    path: plan.path,
    changed,
    previous: plan.current,
    current,
    rollback: record,
    auditEventId,
    forced: plan.forced,
    notes: plan.notes,
  });

  if (plan.unchanged) {
    // Nothing to write, but the plan may be old: say "unchanged" only if it still is.
    const now = await readMetaProxyEntry(zk, plan.path);
    if (now === null || now.version !== plan.current.version)
      return refuse(changedUnderneath(plan, now, false));
    return result(now, false, auditUnchanged(audit, plan), null);
  }

  await options.beforeWrite?.();
  const data = entryBuffer(plan.next);
  const expected = plan.current.version;
  let newVersion: number;
  try {
    newVersion = (await zk.setData(plan.path, data, expected)).version;
  } catch (error) {
    const code = readerErrorCode(error);
    if (code === 'BAD_VERSION' || code === 'NO_NODE') {
      return refuse(changedUnderneath(plan, await readMetaProxyEntry(zk, plan.path), false));
    }
    const message = readerErrorMessage(error);
    if (!code || !UNKNOWN_OUTCOME.has(code)) {
      auditFailure(audit, plan, { code, message }, false);
      throw new MetaProxyWriteError(
        `Could not write ${plan.path}: ${message}. Nothing was written.`,
        false,
        code,
        {
          cause: error,
        },
      );
    }
    let now: MetaProxyEntrySnapshot | null;
    try {
      now = await readMetaProxyEntry(zk, plan.path);
    } catch (readError) {
      auditFailure(audit, plan, { code, message }, 'unknown');
      throw new MetaProxyWriteError(
        `The connection was lost while writing ${plan.path} and the entry could not be read back (${readerErrorMessage(readError)}): the write may or may not have landed. Read the entry before doing anything else; it should hold either ${describeRoute(plan.current)} or ${describeRoute(plan.next)}.`,
        'unknown',
        code,
        { cause: error },
      );
    }
    if (now && now.version === expected + 1 && now.digest === plan.next.digest) {
      newVersion = now.version;
    } else if (now && now.version === expected && now.digest === plan.current.digest) {
      auditFailure(audit, plan, { code, message }, false);
      throw new MetaProxyWriteError(
        `Could not write ${plan.path}: ${message}. The entry was read back unchanged, so nothing was written: retry when the connection is back.`,
        false,
        code,
        { cause: error },
      );
    } else {
      return refuse(changedUnderneath(plan, now, true));
    }
  }
  const current: MetaProxyEntrySnapshot = { ...plan.next, path: plan.path, version: newVersion };
  const eventId = auditWrite(audit, plan, current);
  return result(current, true, eventId, rollbackRecord(plan, plan.current, current, eventId));
}
