/**
 * The target table must exist before copy_data (it does not create it). With the target's profile the
 * step looks in its ZooKeeper; when the table is not there, or there is no target profile, it becomes
 * a manual step with the `create` command for the partition count chosen (copy_data re-hashes every
 * row, so the target's partition count may differ from the source's).
 */
import { createTableCommand } from '../../pegasus/commands';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { shellCommandsFor } from '../pegasus-steps/shell-step';
import { findTable, loadProfileModel } from '../table-steps/source-table';
import { COPY_STEP, targetTableOf } from './copy-options';
import type { TableCopyDataParams } from './params';

type Step = StepDefinition<TableCopyDataParams>;

function partitionCountFor(ctx: StepContext<TableCopyDataParams>): number {
  if (ctx.params.partitionCount > 0) return ctx.params.partitionCount;
  const source = ctx.results[COPY_STEP.source] as { partitionCount?: number } | undefined;
  return source?.partitionCount ?? 8;
}

function createCommands(ctx: StepContext<TableCopyDataParams>) {
  const table = targetTableOf(ctx.params);
  return [
    {
      ...createTableCommand({ table, partitionCount: partitionCountFor(ctx) }),
      label: `On the target cluster ${ctx.params.targetCluster}: create ${table} with ${partitionCountFor(ctx)} partitions`,
    },
  ];
}

export const targetTableStep: Step = {
  id: COPY_STEP.targetTable,
  kind: 'action',
  title: 'The target table exists',
  why:
    'copy_data writes into an existing table and fails with "test target app failed: ERR_OBJECT_NOT_FOUND" otherwise. ' +
    'Create it with the partition count the target needs: the copy re-hashes every row.',
  commands: createCommands,
  async execute(ctx): Promise<StepOutcome> {
    const table = targetTableOf(ctx.params);
    if (ctx.params.targetProfile === '') {
      return {
        status: 'manual',
        reason: `No target cluster profile is given, so whether ${table} exists on ${ctx.params.targetCluster} cannot be checked here: check (ls on the target), create it if missing`,
        commands: createCommands(ctx),
      };
    }
    const loaded = await loadProfileModel(ctx, ctx.params.targetProfile);
    if (!loaded.ok) return loaded.outcome;
    const found = findTable(loaded.model, loaded.profile, table);
    if (!found.ok) {
      return {
        status: 'manual',
        reason: `${table} does not exist on '${loaded.profile.name}': create it, then confirm`,
        commands: shellCommandsFor(loaded.profile, createCommands(ctx)),
      };
    }
    return {
      status: 'succeeded',
      summary: `${table} exists on '${loaded.profile.name}' (app ${found.table.appId}, ${found.table.partitionCount} partitions)`,
      result: { appId: found.table.appId, partitionCount: found.table.partitionCount },
    };
  },
};
