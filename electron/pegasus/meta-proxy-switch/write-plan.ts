/**
 * A planned write of one MetaProxy entry (a switch or a rollback): the entry as read, with the
 * version the compare-and-set will expect, and the exact bytes that would replace it. Planning only
 * reads, so the CLI can show the plan, ask for --yes, and apply it later: whatever happens in
 * between is caught by the compare-and-set.
 */
import {
  type MetaProxyEntryBytes,
  type MetaProxyEntrySnapshot,
  type MetaProxyZk,
  readMetaProxyEntry,
} from './entry-snapshot';
import { metaProxyEntryTarget } from './entry-target';
import { type MetaProxyRefusal, type MetaProxyWriteKind, refusal } from './refusal';

export interface MetaProxyPlan {
  ok: true;
  kind: MetaProxyWriteKind;
  root: string;
  table: string;
  path: string;
  /** The entry as read; its version is what the write compares against. */
  current: MetaProxyEntrySnapshot;
  /** Exactly what would be written. */
  next: MetaProxyEntryBytes;
  /** The entry already routes where `next` does: nothing to write. */
  unchanged: boolean;
  /** The cluster the current entry had to name (switch: always; rollback: when given). */
  expectCluster: string | null;
  /** Rollback: what this tool last wrote there, when known (the record, or the audit log). */
  lastWrite: MetaProxyLastWrite | null;
  /** Rollback with --force: the entry was not what this tool last wrote, and it goes ahead anyway. */
  forced: boolean;
  /** Things the operator should read before confirming. */
  notes: string[];
}

/** The value this tool last wrote to an entry, and the version that write got. */
export interface MetaProxyLastWrite {
  version: number;
  digest: string;
  clusterName: string | null;
  metaAddrs: string | null;
  /** The audit event that recorded it, when it came from the log. */
  eventId?: number | null;
  at?: number | null;
}

export type PlanOutcome = MetaProxyPlan | MetaProxyRefusal;

/** Validates the target and reads the entry: the first half of every plan. */
export async function readPlanTarget(
  zk: MetaProxyZk,
  kind: MetaProxyWriteKind,
  root: string,
  table: string,
  next: MetaProxyEntryBytes | null,
): Promise<
  { ok: true; root: string; table: string; path: string; current: MetaProxyEntrySnapshot } | MetaProxyRefusal
> {
  const target = metaProxyEntryTarget(root, table);
  if (!target.ok) {
    return refusal(
      kind,
      'invalid-target',
      `Cannot ${kind} ${table}: ${target.problem}. Nothing was written.`,
      {
        problems: [target.problem],
        attempted: next,
      },
    );
  }
  const current = await readMetaProxyEntry(zk, target.path);
  if (current === null) {
    return refusal(
      kind,
      'missing-entry',
      `There is no MetaProxy entry at ${target.path}: table '${table}' is not routed through this root, so there is nothing to ${kind}. Check the root (meta-proxy's zookeeper.root) and the table name against the listed entries. Nothing was written.`,
      { path: target.path, attempted: next },
    );
  }
  return { ok: true, root: target.root, table: target.table, path: target.path, current };
}
