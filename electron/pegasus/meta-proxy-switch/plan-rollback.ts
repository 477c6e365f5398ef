/**
 * Plans a rollback: put back the value an entry held before our switch.
 *
 * The value comes either from the rollback record our switch kept (restored byte for byte) or from
 * the operator (`--to-cluster/--to-metas`, e.g. copied from a change ticket when the record is not at
 * hand). The write is a compare-and-set against the version read now, and, when we know what this
 * tool last wrote (the record, or the audit log), against that too: if the entry is no longer what we
 * wrote, someone changed it after us and a rollback would silently undo their change.
 *
 * `force` exists for one situation: clients are failing on the new cluster, the operator has checked
 * the later change (often a re-run of the same switch by a colleague, or a tool rewriting the same
 * value, which bumps the version), and needs the old route back now. It skips only the "changed since
 * our write" check; the expected-cluster check and the compare-and-set against the version just read
 * still apply, and the audit event records that it was forced and what was overridden.
 */
import { dataDigest } from '../../host/services/data-digest';
import { buildMetaProxyPayload } from './entry-payload';
import {
  describeEntryBytes,
  describeRoute,
  describeSnapshot,
  type MetaProxyEntryBytes,
  type MetaProxyZk,
} from './entry-snapshot';
import { type MetaProxyEntryValue, newEntryProblems, sameEntryValue } from './entry-validation';
import { refusal } from './refusal';
import { lastWriteOf, type MetaProxyRollbackRecord } from './rollback-record';
import { type MetaProxyLastWrite, type PlanOutcome, readPlanTarget } from './write-plan';

export interface MetaProxyRollbackInput {
  root: string;
  table: string;
  /** The value to put back: from the operator, or the record of our switch (restored byte for byte). */
  restore: { value: MetaProxyEntryValue } | { record: MetaProxyRollbackRecord };
  /** When given, the entry must name this cluster now (the cluster we switched to). */
  expectCluster?: string | null;
  /** What this tool last wrote there; defaults to the record's `written`. */
  lastWrite?: MetaProxyLastWrite | null;
  /** Go ahead although the entry is no longer what this tool last wrote (see the file comment). */
  force?: boolean;
}

function restoreBytes(
  input: MetaProxyRollbackInput,
): { ok: true; next: MetaProxyEntryBytes } | { ok: false; problems: string[] } {
  if ('value' in input.restore) {
    const problems = newEntryProblems(input.restore.value);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, next: describeEntryBytes(buildMetaProxyPayload(input.restore.value)) };
  }
  const record = input.restore.record;
  const data = Buffer.from(record.previous.base64, 'base64');
  if (dataDigest(data) !== record.previous.digest) {
    return {
      ok: false,
      problems: ["the record's previous value does not match its digest: the record is damaged"],
    };
  }
  const next = describeEntryBytes(data);
  if (next.problems.length > 0) {
    return { ok: false, problems: next.problems.map((problem) => `the recorded previous value: ${problem}`) };
  }
  return { ok: true, next };
}

function describeLastWrite(write: MetaProxyLastWrite): string {
  const route =
    write.clusterName === null
      ? `data with digest ${write.digest}`
      : `cluster '${write.clusterName}' at ${write.metaAddrs}`;
  return `${route} (version ${write.version})`;
}

export async function planMetaProxyRollback(
  zk: MetaProxyZk,
  input: MetaProxyRollbackInput,
): Promise<PlanOutcome> {
  const restored = restoreBytes(input);
  if (!restored.ok) {
    return refusal(
      'rollback',
      'invalid-restore',
      `The value to restore for ${input.table} is refused, nothing was written: ${restored.problems.join('; ')}.`,
      { problems: restored.problems },
    );
  }
  const { next } = restored;
  const record = 'record' in input.restore ? input.restore.record : null;
  const read = await readPlanTarget(zk, 'rollback', input.root, input.table, next);
  if (!read.ok) return read;
  if (record && record.path !== read.path) {
    return refusal(
      'rollback',
      'invalid-target',
      `The rollback record is for ${record.path}, not ${read.path}: nothing was written.`,
      { path: read.path, problems: [`record for ${record.path}`], attempted: next },
    );
  }
  const { current } = read;
  const lastWrite = input.lastWrite ?? (record ? lastWriteOf(record) : null);
  const expectCluster = input.expectCluster ?? null;
  const base = {
    ok: true as const,
    kind: 'rollback' as const,
    root: read.root,
    table: read.table,
    path: read.path,
    current,
    next,
    expectCluster,
    lastWrite,
  };
  const alreadyThere =
    current.digest === next.digest ||
    (current.clusterName !== null &&
      current.metaAddrs !== null &&
      next.clusterName !== null &&
      next.metaAddrs !== null &&
      sameEntryValue(
        { clusterName: current.clusterName, metaAddrs: current.metaAddrs },
        { clusterName: next.clusterName, metaAddrs: next.metaAddrs },
      ));
  if (alreadyThere) {
    return {
      ...base,
      unchanged: true,
      forced: false,
      notes: [`${read.path} already routes to ${describeRoute(next)}: nothing to restore`],
    };
  }
  if (expectCluster !== null && current.clusterName !== expectCluster) {
    return refusal(
      'rollback',
      current.clusterName === null ? 'unreadable-entry' : 'wrong-cluster',
      `The entry at ${read.path} routes ${read.table} to ${describeSnapshot(current)}, not to '${expectCluster}' as expected. Nothing was written.`,
      { path: read.path, current, attempted: next, problems: current.problems },
    );
  }
  const notes: string[] = [];
  let forced = false;
  if (lastWrite && (current.version !== lastWrite.version || current.digest !== lastWrite.digest)) {
    const what = `The entry at ${read.path} changed since this tool wrote it: it wrote ${describeLastWrite(lastWrite)}, it now holds ${describeSnapshot(current)}.`;
    if (!input.force) {
      return refusal(
        'rollback',
        'changed-since-write',
        `${what} Someone or something switched it after us, and restoring ${describeRoute(next)} would overwrite that change. Find out who changed it; if restoring is still right, run the rollback again with --force (still a compare-and-set against the version read then). Nothing was written.`,
        { path: read.path, current, attempted: next },
      );
    }
    forced = true;
    notes.push(`forced: ${what}`);
  }
  if (!lastWrite) {
    notes.push(
      'no record of what this tool wrote to this entry: the only guards are the expected cluster (if given) and the compare-and-set against the version read now',
    );
  }
  return { ...base, unchanged: false, forced, notes };
}
