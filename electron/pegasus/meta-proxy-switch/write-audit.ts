/**
 * Audit events for MetaProxy writes (store.events, append-only). Both values go in whole: digests,
 * versions and the JSON itself, since a route (cluster name, meta addresses) is not a secret and a
 * change ticket needs to show exactly what the table pointed at before and after.
 */
import type { EventsRepo } from '../../store/types';
import type { MetaProxyEntryBytes, MetaProxyEntrySnapshot } from './entry-snapshot';
import type { MetaProxyRefusal, MetaProxyWriteKind } from './refusal';
import type { MetaProxyPlan } from './write-plan';

export interface MetaProxyAudit {
  events: Pick<EventsRepo, 'append'>;
  actor: string;
  /** What the events are about; the CLI uses zk://<servers><entry path>, so one entry's history is one target. */
  target: string;
}

export const METAPROXY_ACTIONS = {
  switch: {
    done: 'metaproxy.switched',
    unchanged: 'metaproxy.switch-unchanged',
    refused: 'metaproxy.switch-refused',
    failed: 'metaproxy.switch-failed',
  },
  rollback: {
    done: 'metaproxy.rolled-back',
    unchanged: 'metaproxy.rollback-unchanged',
    refused: 'metaproxy.rollback-refused',
    failed: 'metaproxy.rollback-failed',
  },
} as const satisfies Record<MetaProxyWriteKind, Record<string, string>>;

/** The actions that changed an entry: a rollback looks for the latest of these. */
export const METAPROXY_WRITE_ACTIONS: readonly string[] = [
  METAPROXY_ACTIONS.switch.done,
  METAPROXY_ACTIONS.rollback.done,
];

export function entryDetail(
  entry: MetaProxyEntryBytes | MetaProxyEntrySnapshot | null,
): Record<string, unknown> | null {
  if (entry === null) return null;
  return {
    ...('version' in entry ? { version: entry.version } : {}),
    clusterName: entry.clusterName,
    metaAddrs: entry.metaAddrs,
    json: entry.text,
    // Only when the bytes are not text: the JSON above is then null and this is the only copy.
    ...(entry.text === null ? { base64: entry.base64 } : {}),
    digest: entry.digest,
    bytes: entry.bytes,
  };
}

function planDetail(plan: MetaProxyPlan): Record<string, unknown> {
  return {
    path: plan.path,
    root: plan.root,
    table: plan.table,
    expectCluster: plan.expectCluster,
    expectedVersion: plan.current.version,
    ...(plan.kind === 'rollback' ? { lastWrite: plan.lastWrite, forced: plan.forced } : {}),
    notes: plan.notes,
  };
}

export function auditWrite(
  audit: MetaProxyAudit,
  plan: MetaProxyPlan,
  after: MetaProxyEntrySnapshot,
): number {
  return audit.events.append({
    actor: audit.actor,
    action: METAPROXY_ACTIONS[plan.kind].done,
    target: audit.target,
    detail: { ...planDetail(plan), before: entryDetail(plan.current), after: entryDetail(after) },
  }).id;
}

export function auditUnchanged(audit: MetaProxyAudit, plan: MetaProxyPlan): number {
  return audit.events.append({
    actor: audit.actor,
    action: METAPROXY_ACTIONS[plan.kind].unchanged,
    target: audit.target,
    detail: { ...planDetail(plan), current: entryDetail(plan.current) },
  }).id;
}

export function auditRefusal(audit: MetaProxyAudit, refused: MetaProxyRefusal): number {
  return audit.events.append({
    actor: audit.actor,
    action: METAPROXY_ACTIONS[refused.kind].refused,
    target: audit.target,
    detail: {
      path: refused.path,
      code: refused.code,
      message: refused.message,
      problems: refused.problems,
      expected: entryDetail(refused.expected),
      found: entryDetail(refused.current),
      attempted: entryDetail(refused.attempted),
      written: false,
    },
  }).id;
}

/** A write that failed for another reason (no permission, connection lost); `written` says what is known. */
export function auditFailure(
  audit: MetaProxyAudit,
  plan: MetaProxyPlan,
  error: { code?: string; message: string },
  written: false | 'unknown',
): number {
  return audit.events.append({
    actor: audit.actor,
    action: METAPROXY_ACTIONS[plan.kind].failed,
    target: audit.target,
    detail: {
      ...planDetail(plan),
      error: { code: error.code ?? null, message: error.message },
      written,
      before: entryDetail(plan.current),
      attempted: entryDetail(plan.next),
    },
  }).id;
}
