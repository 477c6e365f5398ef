/**
 * Plans a switch: the table's entry must exist, decode and name the cluster the operator expects
 * (admin-cli's table-migrator makes the same check against the source cluster, reference §3.5 step
 * 6), and the new entry must be one meta-proxy can route. An entry that already routes to the new
 * value is a plan with nothing to write, so re-running a switch that landed is harmless.
 */
import { buildMetaProxyPayload } from './entry-payload';
import { describeEntryBytes, describeSnapshot, type MetaProxyZk } from './entry-snapshot';
import { type MetaProxyEntryValue, newEntryProblems, sameEntryValue } from './entry-validation';
import { refusal } from './refusal';
import { type PlanOutcome, readPlanTarget } from './write-plan';

export interface MetaProxySwitchInput {
  root: string;
  table: string;
  /** The new route: the target cluster and its meta servers. */
  next: MetaProxyEntryValue;
  /** The cluster the entry must name now (the migration's source). */
  expectCluster: string;
}

export async function planMetaProxySwitch(
  zk: MetaProxyZk,
  input: MetaProxySwitchInput,
): Promise<PlanOutcome> {
  const problems = newEntryProblems(input.next);
  if (problems.length > 0) {
    return refusal(
      'switch',
      'invalid-entry',
      `The new entry for ${input.table} is refused, nothing was written: ${problems.join('; ')}.`,
      { problems },
    );
  }
  if (input.expectCluster === '') {
    return refusal(
      'switch',
      'invalid-entry',
      'The expected current cluster is empty: name the cluster the entry routes to now (the source of the migration). Nothing was written.',
      { problems: ['the expected current cluster is empty'] },
    );
  }
  const next = describeEntryBytes(buildMetaProxyPayload(input.next));
  const read = await readPlanTarget(zk, 'switch', input.root, input.table, next);
  if (!read.ok) return read;
  const { current } = read;
  const base = {
    ok: true as const,
    kind: 'switch' as const,
    root: read.root,
    table: read.table,
    path: read.path,
    current,
    next,
    expectCluster: input.expectCluster,
    lastWrite: null,
    forced: false,
  };
  if (
    current.clusterName !== null &&
    current.metaAddrs !== null &&
    sameEntryValue({ clusterName: current.clusterName, metaAddrs: current.metaAddrs }, input.next)
  ) {
    return {
      ...base,
      unchanged: true,
      notes: [
        `${read.path} already routes to ${input.next.clusterName} at ${input.next.metaAddrs}: nothing to write`,
      ],
    };
  }
  if (current.clusterName === null) {
    return refusal(
      'switch',
      'unreadable-entry',
      `The entry at ${read.path} does not decode (${current.problems.join('; ')}), so it cannot be checked against the expected cluster '${input.expectCluster}'. meta-proxy crashes re-reading such an entry: restore a known value first (rollback with the value from your ticket). Nothing was written.`,
      { path: read.path, current, attempted: next, problems: current.problems },
    );
  }
  if (current.clusterName !== input.expectCluster) {
    return refusal(
      'switch',
      'wrong-cluster',
      `The entry at ${read.path} routes ${read.table} to ${describeSnapshot(current)}, not to '${input.expectCluster}' as expected. Someone may have switched it already, or the plan names the wrong source. Nothing was written.`,
      { path: read.path, current, attempted: next },
    );
  }
  const notes: string[] = [];
  if (input.next.clusterName === current.clusterName) {
    notes.push(
      `the cluster name stays '${current.clusterName}': only the meta server list changes (meta servers moved?)`,
    );
  }
  if (current.problems.length > 0)
    notes.push(`the current entry is already broken: ${current.problems.join('; ')}`);
  return { ...base, unchanged: false, notes };
}
