/**
 * The load half of a cold-backup migration: either `restore` from the backup (same partition count;
 * the source table's metadata must still exist), or a bulk load of offline-split files (any partition
 * count): usage scenario bulk_load, start_bulk_load, poll query_bulk_load_status, scenario back to normal.
 */
import { adminCliRestoreCommand } from '../../pegasus/commands';
import { parseRestore } from '../../pegasus/shell-output';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { deploymentClusterName, lookUpProfile } from '../pegasus-steps/cluster-profile';
import { adminCliAction } from '../table-steps/admin-cli-action';
import { bulkLoadSteps } from '../table-steps/bulk-load-steps';
import { findTable, loadProfileModel, loadSourceTable } from '../table-steps/source-table';
import { backupIdOf, COLD_STEP, sourceFacts } from './backup-steps';
import type { TableColdBackupParams } from './params';

type Step = StepDefinition<TableColdBackupParams>;
type Ctx = StepContext<TableColdBackupParams>;

export function targetTableName(params: TableColdBackupParams): string {
  return params.newTable === '' ? params.table : params.newTable;
}

function restoreCommand(ctx: Ctx, sourceCluster: string) {
  return adminCliRestoreCommand({
    oldCluster: sourceCluster,
    oldTable: ctx.params.table,
    oldTableId: sourceFacts(ctx)?.appId ?? 1,
    backupId: backupIdOf(ctx) ?? 1,
    providerType: ctx.params.providerType,
    ...(ctx.params.newTable ? { newTable: ctx.params.newTable } : {}),
    ...(ctx.params.restorePath ? { restorePath: ctx.params.restorePath } : {}),
  });
}

function sourceClusterOf(ctx: Ctx): string {
  if (ctx.params.sourceClusterName !== '') return ctx.params.sourceClusterName;
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  return lookup.ok ? deploymentClusterName(lookup.profile) : 'source';
}

export const restoreStep: Step = {
  id: COLD_STEP.restore,
  kind: 'action',
  title: 'Restore the backup on the target (admin-cli restore)',
  why:
    'restore recreates the table on the target from the backup, with the same partition count as the source. It reads ' +
    "the source table's metadata, so the source table must still exist; the target must not have a table of that name.",
  commands: (ctx) => [restoreCommand(ctx, sourceClusterOf(ctx))],
  async execute(ctx): Promise<StepOutcome> {
    const target = lookUpProfile(ctx, ctx.params.targetProfile);
    if (!target.ok) return target.outcome;
    const source = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
    if (!source.ok) {
      return {
        ...source.outcome,
        summary: `restore needs the source table: ${source.outcome.summary}`,
        hint: 'Recall the source table (recall <app_id>) or restore by hand with the policy name of a pre-2.2 backup.',
      };
    }
    const restored = await adminCliAction(
      ctx,
      target.profile,
      restoreCommand(ctx, sourceClusterOf(ctx)),
      parseRestore,
      {
        timeoutMs: ctx.params.backupWaitMinutes * 60_000,
      },
    );
    if (!restored.ok) return restored.outcome;
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: 'pegasus.restore-started',
      target: `${target.profile.name}/${targetTableName(ctx.params)}`,
      detail: { runId: ctx.runId, backupId: backupIdOf(ctx), from: ctx.params.table },
    });
    return {
      status: 'succeeded',
      summary: `Restore of backup ${backupIdOf(ctx)} into ${targetTableName(ctx.params)} on '${target.profile.name}' started`,
      result: { ...restored.value },
    };
  },
};

export function verifyRestoreStep(params: TableColdBackupParams): Step {
  return {
    id: COLD_STEP.verifyRestore,
    kind: 'wait',
    title: 'Wait until the restored table is healthy on the target',
    why: 'The restored table serves only once every partition has downloaded its data and is fully healthy.',
    wait: {
      intervalMs: 10_000,
      timeoutMs: params.backupWaitMinutes * 60_000,
      describe: () => `${targetTableName(params)} fully healthy on the target`,
    },
    async execute(ctx): Promise<StepOutcome> {
      const loaded = await loadProfileModel(ctx, ctx.params.targetProfile);
      if (!loaded.ok) return loaded.outcome;
      const name = targetTableName(ctx.params);
      const found = findTable(loaded.model, loaded.profile, name);
      if (!found.ok)
        return { status: 'pending', waitingFor: `${name} is not on '${loaded.profile.name}' yet` };
      const { table } = found;
      const expected = sourceFacts(ctx)?.partitionCount ?? table.partitionCount;
      if (table.partitionCount !== expected) {
        return {
          status: 'failed',
          summary: `${name} on the target has ${table.partitionCount} partitions, the source ${expected}`,
          hint: 'A restore keeps the partition count: this table is not the restored one. Check the target table name.',
        };
      }
      if (table.health.fullyHealthy < table.partitionCount) {
        return {
          status: 'pending',
          waitingFor: `${table.health.fullyHealthy}/${table.partitionCount} partitions of ${name} fully healthy`,
        };
      }
      return {
        status: 'succeeded',
        summary: `${name} is app ${table.appId} on '${loaded.profile.name}', ${table.partitionCount} partitions, all fully healthy`,
        result: { appId: table.appId, partitionCount: table.partitionCount },
      };
    },
  };
}

function bulkLoadCluster(ctx: Ctx): string {
  return ctx.params.bulkLoadCluster !== '' ? ctx.params.bulkLoadCluster : sourceClusterOf(ctx);
}

export const offlineSplitStep: Step = {
  id: COLD_STEP.split,
  kind: 'manual',
  title: 'Split the backup offline for the target partition count',
  why:
    "Bulk load ingests SST files already split for the target table's partition count. The offline split " +
    '(Pegasus-spark) reads the backup and writes them under <root>/<cluster>/<table>; the target table must exist with that partition count.',
  commands(ctx) {
    return [
      {
        label: 'Offline split job (Pegasus-spark): input and output',
        kind: 'config',
        text: [
          `input: backup ${backupIdOf(ctx) ?? '<backup_id>'} of ${ctx.params.table} (${ctx.params.providerType}${ctx.params.backupPath ? `, ${ctx.params.backupPath}` : ''})`,
          `output: ${ctx.params.bulkLoadRoot}/${bulkLoadCluster(ctx)}/${targetTableName(ctx.params)}`,
          `partition count: that of ${targetTableName(ctx.params)} on the target`,
        ].join('\n'),
      },
    ];
  },
};

/** The bulk load of the offline-split files into the target table. */
export function coldBulkLoadSteps(params: TableColdBackupParams): Step[] {
  return bulkLoadSteps<TableColdBackupParams>({
    ids: {
      scenario: COLD_STEP.scenario,
      start: COLD_STEP.startBulkLoad,
      wait: COLD_STEP.waitBulkLoad,
      scenarioBack: COLD_STEP.scenarioBack,
    },
    targetProfile: (ctx) => ctx.params.targetProfile,
    table: targetTableName,
    cluster: bulkLoadCluster,
    provider: (p) => p.bulkLoadProvider,
    root: (p) => p.bulkLoadRoot,
    ingestBehind: false,
    waitMs: params.backupWaitMinutes * 60_000,
  });
}
