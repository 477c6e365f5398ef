/**
 * The MetaProxy switch found done after a restart. The process can die between the compare-and-set
 * and what follows it (the audit event, the step's result with the rollback record): the entry then
 * routes to the target while the run holds no record of the write. Running the switch again would
 * write nothing (the plan finds the entry already switched) but would not bring the record back, and
 * a rollback would then restore a value rebuilt from the precheck's fields instead of the bytes that
 * were there.
 *
 * The precheck kept the entry it read (bytes, digest, version). When the entry is now exactly one
 * version later with the target route, the write is ours (a compare-and-set against that version:
 * nothing else wrote in between), and the record is rebuilt from the precheck's bytes, with the audit
 * event the stopped process never appended (marked `recovered`). Otherwise the entry routes to the
 * target without being attributable to this run: the step is done without a record, and the rollback
 * falls back to the precheck's route, guarded by the expected cluster.
 */
import type { RecoveredOutcome } from '../../runner/runbook-definition';
import type { EventsRepo, JsonObject } from '../../store/types';
import {
  describeRoute,
  findLastMetaProxyWrite,
  type MetaProxyEntrySnapshot,
  METAPROXY_ACTIONS,
  type MetaProxyAudit,
  rollbackRecord,
} from '../../pegasus/meta-proxy-switch';
import { describeEntryBytes } from '../../pegasus/meta-proxy-switch/entry-snapshot';
import { entryDetail } from '../../pegasus/meta-proxy-switch/write-audit';
import { HOT_STEP, type HotContext } from './run-facts';

interface PrecheckEntry {
  path: string;
  version: number;
  base64: string;
  digest: string;
}

function precheckBytesOf(ctx: HotContext): PrecheckEntry | null {
  const found = ctx.results[HOT_STEP.metaProxy] as Partial<Record<keyof PrecheckEntry, unknown>> | undefined;
  if (
    typeof found?.path !== 'string' ||
    typeof found.version !== 'number' ||
    typeof found.base64 !== 'string' ||
    typeof found.digest !== 'string'
  )
    return null;
  return { path: found.path, version: found.version, base64: found.base64, digest: found.digest };
}

/**
 * `current` routes to the target: the outcome of the switch step, with the rollback record when the
 * write can be told to be this run's.
 */
export function recoveredSwitch(
  ctx: HotContext,
  current: MetaProxyEntrySnapshot,
  audit: Omit<MetaProxyAudit, 'events'> & { events: EventsRepo },
): RecoveredOutcome {
  const precheck = precheckBytesOf(ctx);
  const previousBytes = precheck ? describeEntryBytes(Buffer.from(precheck.base64, 'base64')) : null;
  if (
    !precheck ||
    !previousBytes ||
    previousBytes.digest !== precheck.digest ||
    precheck.path !== current.path ||
    current.version !== precheck.version + 1
  ) {
    return {
      status: 'done',
      summary: `${current.path} routes to ${describeRoute(current)} (version ${current.version}), but this run cannot tell the write was its own (the precheck read version ${precheck?.version ?? '?'}): no rollback record; a rollback restores the source route the precheck read, if the entry still routes to '${ctx.params.targetCluster}'`,
      result: { path: current.path, changed: null, rollback: null, auditEventId: null, recovered: true },
    };
  }
  const previous: MetaProxyEntrySnapshot = {
    ...previousBytes,
    path: precheck.path,
    version: precheck.version,
  };
  // The stopped process may have appended the event just before it died: do not record the write twice.
  const last = findLastMetaProxyWrite(audit.events, audit.target);
  const eventId =
    last && last.version === current.version && last.digest === current.digest
      ? (last.eventId ?? null)
      : audit.events.append({
          actor: audit.actor,
          action: METAPROXY_ACTIONS.switch.done,
          target: audit.target,
          detail: {
            path: current.path,
            root: ctx.params.metaProxyRoot,
            table: ctx.params.table,
            expectedVersion: precheck.version,
            before: entryDetail(previous),
            after: entryDetail(current),
            recovered: true,
            runId: ctx.runId,
            note: 'Found written after a restart: the process stopped between the compare-and-set and its record.',
          },
        }).id;
  const record = rollbackRecord(
    { root: ctx.params.metaProxyRoot, table: ctx.params.table, path: current.path },
    previous,
    current,
    eventId,
  );
  return {
    status: 'done',
    summary: `${current.path} routes ${ctx.params.table} to ${describeRoute(current)} (version ${current.version}); it routed to ${describeRoute(previous)} (version ${previous.version}), kept for the rollback`,
    result: {
      path: current.path,
      changed: true,
      rollback: record as unknown as JsonObject,
      auditEventId: eventId,
      recovered: true,
    },
  };
}
