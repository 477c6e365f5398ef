/**
 * The table a Pegasus table runbook works on, as the cluster's ZooKeeper metadata describes it: the
 * profile (and its connection) is looked up, the cluster model is loaded from its root, and the table
 * is found by name. Every way this can go wrong is a failed outcome that says what to fix, so a
 * precheck shows it beside the step instead of throwing.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import { loadClusterFrom } from '../../pegasus/cluster-loader';
import type { ClusterModel, TableModel } from '../../pegasus/cluster-model-types';
import type { StepOutcome } from '../../runner/runbook-definition';
import { type AnyStepContext, lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';

type Failed = Extract<StepOutcome, { status: 'failed' }>;

export interface SourceTable {
  profile: PegasusProfile;
  connectionRef: string;
  model: ClusterModel;
  table: TableModel;
}

export type SourceTableLookup = { ok: true; value: SourceTable } | { ok: false; outcome: Failed };

/** The profile's cluster model, loaded through the run's session on its connection. */
export async function loadProfileModel(
  ctx: AnyStepContext,
  profileRef: string,
): Promise<
  | { ok: true; profile: PegasusProfile; connectionRef: string; model: ClusterModel }
  | { ok: false; outcome: Failed }
> {
  const lookup = lookUpProfile(ctx, profileRef);
  if (!lookup.ok) return lookup;
  const { profile, connectionRef } = lookup;
  if (!profile.clusterRoot) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The cluster profile '${profile.name}' has no cluster root, so its tables cannot be read from ZooKeeper`,
        hint: `Edit the profile '${profile.name}': set the cluster root (e.g. /pegasus/${profile.name}), then retry this step.`,
      },
    };
  }
  try {
    const session = await ctx.services.zk(connectionRef);
    const loaded = await loadClusterFrom(session, profile.clusterRoot, { signal: ctx.signal });
    return { ok: true, profile, connectionRef, model: loaded.model };
  } catch (error) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The metadata of '${profile.name}' could not be read at ${lookup.connection.label}${profile.clusterRoot}: ${messageOf(error)}`,
        hint: 'Check that the ZooKeeper ensemble answers and that the cluster root is right, then retry this step.',
      },
    };
  }
}

/** An available table by name, or why there is none (dropped, missing: with the names that exist). */
export function findTable(
  model: ClusterModel,
  profile: PegasusProfile,
  name: string,
): { ok: true; table: TableModel } | { ok: false; outcome: Failed } {
  const matches = model.tables.filter((table) => table.name === name);
  const available = matches.find((table) => table.status === 'available');
  if (available) return { ok: true, table: available };
  if (matches.length > 0) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The table '${name}' of '${profile.name}' is ${matches.map((table) => table.status).join(', ')}, not available`,
        hint: 'A dropped table can be recalled (recall <app_id>) before the migration; otherwise choose an available table.',
      },
    };
  }
  const names = model.tables
    .filter((table) => table.status === 'available' && table.name)
    .map((table) => table.name as string)
    .sort();
  const shown =
    names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
  return {
    ok: false,
    outcome: {
      status: 'failed',
      summary: `There is no table '${name}' in '${profile.name}' (${model.clusterRoot}/apps)${names.length > 0 ? `; its tables are: ${shown}` : '; it has no available table'}`,
      hint: 'Check the spelling (table names are case-sensitive), abort this run and start a new one with the right table.',
    },
  };
}

export async function loadSourceTable(
  ctx: AnyStepContext,
  profileRef: string,
  tableName: string,
): Promise<SourceTableLookup> {
  const loaded = await loadProfileModel(ctx, profileRef);
  if (!loaded.ok) return loaded;
  const found = findTable(loaded.model, loaded.profile, tableName);
  if (!found.ok) return found;
  return {
    ok: true,
    value: {
      profile: loaded.profile,
      connectionRef: loaded.connectionRef,
      model: loaded.model,
      table: found.table,
    },
  };
}

/** The table's health in the shell's words, and whether it is fit to be migrated. */
export function tableHealthVerdict(table: TableModel): { healthy: boolean; text: string } {
  const { health } = table;
  const text = `${health.fullyHealthy}/${table.partitionCount} partitions fully healthy (${health.writeUnhealthy} write-unhealthy, ${health.readUnhealthy} read-unhealthy)`;
  return {
    healthy:
      health.fullyHealthy === table.partitionCount &&
      !table.splitting &&
      table.missingPartitions.length === 0,
    text: `${text}${table.splitting ? '; a partition split is in progress' : ''}${table.bulkLoading ? '; a bulk load is in progress' : ''}`,
  };
}

/** The result a precheck stores about the table (a JSON object, for the report). */
export function tableFacts(table: TableModel): Record<string, string | number | boolean | null> {
  return {
    appId: table.appId,
    table: table.name,
    partitionCount: table.partitionCount,
    maxReplicaCount: table.maxReplicaCount,
    fullyHealthy: table.health.fullyHealthy,
    duplicating: table.duplicating,
    bulkLoading: table.bulkLoading,
  };
}
