/**
 * Before the bulk load of a dual-write migration: the source table, the target created with
 * rocksdb.allow_ingest_behind=true (it cannot be turned on later), the application's asynchronous
 * double writes, and the backup split offline for the target's partition count.
 */
import {
  adminCliBackupCommand,
  adminCliBackupStatusCommand,
  createTableCommand,
} from '../../pegasus/commands';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import {
  findTable,
  loadProfileModel,
  loadSourceTable,
  tableFacts,
  tableHealthVerdict,
} from '../table-steps/source-table';
import type { TableDualWriteParams } from './params';
import { bulkLoadClusterOf, DUAL_STEP, type DualContext, sourceFactsOf, targetTableOf } from './run-facts';

type Step = StepDefinition<TableDualWriteParams>;

export const precheckSourceStep: Step = {
  id: DUAL_STEP.source,
  kind: 'precheck',
  severity: 'block',
  title: 'Source table exists and is healthy',
  why: 'The backup reads every partition through its primary; an unhealthy table fails it.',
  async execute(ctx): Promise<StepOutcome> {
    const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
    if (!found.ok) return found.outcome;
    const health = tableHealthVerdict(found.value.table);
    if (!health.healthy) {
      return {
        status: 'failed',
        summary: `${ctx.params.table} is not healthy: ${health.text}`,
        hint: 'Wait until it is, then retry.',
      };
    }
    return {
      status: 'succeeded',
      summary: `${ctx.params.table} is app ${found.value.table.appId} with ${found.value.table.partitionCount} partitions: ${health.text}`,
      result: tableFacts(found.value.table),
    };
  },
};

function createCommand(ctx: DualContext) {
  const partitionCount = ctx.params.partitionCount || sourceFactsOf(ctx)?.partitionCount || 8;
  return createTableCommand({
    table: targetTableOf(ctx.params),
    partitionCount,
    envs: { 'rocksdb.allow_ingest_behind': 'true' },
  });
}

export const createTargetStep: Step = {
  id: DUAL_STEP.createTarget,
  kind: 'action',
  title: 'Create the target with ingest behind enabled',
  why:
    'The backup is bulk-loaded while the application already writes to the target: it must go below those writes ' +
    '(--ingest_behind), which needs rocksdb.allow_ingest_behind=true from creation on.',
  commands: (ctx) => [createCommand(ctx)],
  async execute(ctx): Promise<StepOutcome> {
    const loaded = await loadProfileModel(ctx, ctx.params.targetProfile);
    if (!loaded.ok) return loaded.outcome;
    const name = targetTableOf(ctx.params);
    const found = findTable(loaded.model, loaded.profile, name);
    if (!found.ok) {
      return {
        status: 'manual',
        reason: `${name} does not exist on '${loaded.profile.name}' yet: create it with ingest behind, then confirm`,
        commands: [createCommand(ctx)],
      };
    }
    if (found.table.envs['rocksdb.allow_ingest_behind'] !== 'true') {
      return {
        status: 'failed',
        summary: `${name} exists on '${loaded.profile.name}' without rocksdb.allow_ingest_behind=true: a bulk load behind new writes is impossible`,
        hint: 'Drop it (it must hold no data yet) and create it again with the command shown, or choose another target table name.',
      };
    }
    return {
      status: 'succeeded',
      summary: `${name} exists on '${loaded.profile.name}' (app ${found.table.appId}, ${found.table.partitionCount} partitions) with ingest behind enabled`,
      result: { appId: found.table.appId, partitionCount: found.table.partitionCount },
    };
  },
};

export const asyncWritesStep: Step = {
  id: DUAL_STEP.asyncWrites,
  kind: 'manual',
  title: 'Application: asynchronous double writes',
  why:
    'From now on every write also goes to the target, asynchronously (a failure there is logged, not returned): the ' +
    'target then holds every change made after the backup. Reads stay on the source.',
  commands: (ctx) => [
    {
      label: 'Check before confirming',
      kind: 'config',
      text: [
        `every writer of ${ctx.params.table} runs the double-writing version`,
        `target ${targetTableOf(ctx.params)}: write QPS follows the source's`,
        'the double-write failure counter is at or near 0 (failures are repaired by reconciliation)',
      ].join('\n'),
    },
  ],
};

export const backupSplitStep: Step = {
  id: DUAL_STEP.backupSplit,
  kind: 'manual',
  title: 'Back up the source and split it offline',
  why:
    'The backup is taken after double writes started, so together they cover every row. The offline split (Pegasus-spark) ' +
    "rewrites it for the target's partition count under the bulk load root.",
  commands(ctx) {
    const appId = sourceFactsOf(ctx)?.appId ?? 1;
    return [
      adminCliBackupCommand({ tableId: appId, providerType: ctx.params.providerType }),
      adminCliBackupStatusCommand(appId),
      {
        label: 'Offline split job (Pegasus-spark): output',
        kind: 'config',
        text: `${ctx.params.bulkLoadRoot}/${bulkLoadClusterOf(ctx)}/${targetTableOf(ctx.params)}`,
      },
    ];
  },
};
