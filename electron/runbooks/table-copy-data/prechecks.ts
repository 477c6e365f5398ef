/**
 * table-copy-data's prechecks: the source table exists and is healthy (from the source's ZooKeeper),
 * and the shell that runs copy_data can reach the target by name ([pegasus.clusters] of its config).
 */
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import {
  checkShellKnowsCluster,
  clusterEntryCommand,
  describeShellClusters,
} from '../table-steps/shell-clusters';
import { loadSourceTable, tableFacts, tableHealthVerdict } from '../table-steps/source-table';
import { COPY_STEP } from './copy-options';
import type { TableCopyDataParams } from './params';

type Step = StepDefinition<TableCopyDataParams>;

export const precheckSourceStep: Step = {
  id: COPY_STEP.source,
  kind: 'precheck',
  severity: 'block',
  title: 'Source table exists and is healthy',
  why:
    'copy_data scans every partition through its primary: a partition without one stalls its split and the copy ' +
    'ends incomplete; a split in progress changes the partitions under the scanners.',
  async execute(ctx): Promise<StepOutcome> {
    const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
    if (!found.ok) return found.outcome;
    const { table, profile } = found.value;
    const health = tableHealthVerdict(table);
    const facts = tableFacts(table);
    if (!health.healthy) {
      return {
        status: 'failed',
        summary: `${ctx.params.table} (app ${table.appId}) on '${profile.name}' is not healthy: ${health.text}`,
        hint: 'Wait until every partition is fully healthy and no split runs (ls -d, app <table> -d), then retry.',
        result: facts,
      };
    }
    if (ctx.params.partition >= table.partitionCount) {
      return {
        status: 'failed',
        summary: `Partition ${ctx.params.partition} does not exist: ${ctx.params.table} has ${table.partitionCount} partitions (0-${table.partitionCount - 1})`,
        hint: 'Start a new run with a partition in range, or -1 for all.',
        result: facts,
      };
    }
    return {
      status: 'succeeded',
      summary: `${ctx.params.table} is app ${table.appId} with ${table.partitionCount} partitions: ${health.text}`,
      result: facts,
    };
  },
};

export const precheckTargetClusterStep: Step = {
  id: COPY_STEP.targetCluster,
  kind: 'precheck',
  severity: 'block',
  title: 'The shell knows the target cluster',
  why:
    "copy_data -c resolves the target through [pegasus.clusters] of the shell's config: a name missing there fails " +
    'with "get target app client failed" only once the copy is asked for.',
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const check = checkShellKnowsCluster(lookup.profile, ctx.params.targetCluster);
    const text = describeShellClusters(check, ctx.params.targetCluster);
    if (check.state === 'missing') {
      return {
        status: 'failed',
        summary: text,
        hint: `Add "${ctx.params.targetCluster} = <its meta servers>" under [pegasus.clusters] of ${check.config}, then retry.`,
        result: { config: check.config, known: check.known },
      };
    }
    if (check.state === 'unknown')
      return { status: 'warning', summary: `${text}. Check ${check.configHint} lists it.` };
    return { status: 'succeeded', summary: text, result: { config: check.config, metas: check.metas } };
  },
  commands: (ctx) => [clusterEntryCommand('the shell config', ctx.params.targetCluster, '')],
};
