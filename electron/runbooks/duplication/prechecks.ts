/**
 * duplication's prechecks: the table and (for an action on one) the duplication as ZooKeeper holds
 * it, judged by the meta's state rules before any command is sent (pause only from DS_LOG, start only
 * from DS_PAUSE, nothing on a removed one); for add, the cluster-name configuration it depends on.
 */
import { checkDuplicationAction, type DuplicationAction } from '../../pegasus/duplication-rules';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import {
  checkShellKnowsCluster,
  clusterEntryCommand,
  describeShellClusters,
} from '../table-steps/shell-clusters';
import { loadSourceTable, tableFacts } from '../table-steps/source-table';
import type { DuplicationParams, DuplicationRunbookAction } from './params';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<DuplicationParams>;

export const DUP_STEP = {
  table: 'precheck-duplication',
  config: 'precheck-config',
  confirm: 'confirm-action',
  apply: 'apply-action',
  status: 'duplication-status',
} as const;

export function ruleAction(action: DuplicationRunbookAction): DuplicationAction | null {
  return action === 'add' || action === 'list' ? null : action;
}

export const precheckDuplicationStep: Step = {
  id: DUP_STEP.table,
  kind: 'precheck',
  severity: 'block',
  title: 'The table and the duplication allow this action',
  why:
    'The meta refuses an action the duplication status does not allow (pause only from DS_LOG, start only from DS_PAUSE, ' +
    'nothing on a removed one), and a second duplication to the same remote is a mistake: checked here first, with the reason.',
  async execute(ctx): Promise<StepOutcome> {
    const { action, table, remoteCluster, dupid, failMode } = ctx.params;
    const found = await loadSourceTable(ctx, ctx.params.profile, table);
    if (!found.ok) return found.outcome;
    const model = found.value.table;
    const live = model.duplications.filter((dup) => dup.status !== null && dup.status !== 'DS_REMOVED');
    const facts = { ...tableFacts(model), duplications: model.duplications.length, live: live.length };
    if (action === 'list') {
      return {
        status: 'succeeded',
        summary: `${table} (app ${model.appId}) has ${countOf(live.length, 'live duplication')} in ZooKeeper${model.duplications.length > live.length ? ` and ${model.duplications.length - live.length} ignored or removed` : ''}`,
        result: facts,
      };
    }
    if (action === 'add') {
      const existing = live.find((dup) => dup.remote === remoteCluster);
      if (existing) {
        return {
          status: 'failed',
          summary: `${table} already duplicates to ${remoteCluster} (dupid ${existing.dupid}, ${existing.statusRaw}): nothing to add`,
          hint: 'Use that duplication (start it if paused), or remove it first if it must start over with a new checkpoint.',
          result: facts,
        };
      }
      return {
        status: 'succeeded',
        summary: `${table} (app ${model.appId}, ${model.partitionCount} partitions) has no live duplication to ${remoteCluster}`,
        result: facts,
      };
    }
    const dup = model.duplications.find((candidate) => candidate.dupid === dupid);
    if (!dup) {
      return {
        status: 'failed',
        summary: `${table} has no duplication ${dupid}${model.duplications.length > 0 ? `; its duplications are ${model.duplications.map((d) => `${d.dupid} (${d.statusRaw ?? 'undecodable'})`).join(', ')}` : '; it has none'}`,
        hint: 'Run the list action to see the dupids, then start a new run with the right one.',
        result: facts,
      };
    }
    const verdict = checkDuplicationAction(dup, ruleAction(action)!, { failMode });
    const state = {
      ...facts,
      dupid: dup.dupid,
      status: dup.statusRaw,
      failModeNow: dup.failMode,
      remote: dup.remote,
    };
    if (!verdict.allowed) {
      return { status: 'failed', summary: verdict.reason, hint: verdict.hint, result: state };
    }
    return {
      status: 'succeeded',
      summary: `Duplication ${dup.dupid} of ${table} to ${dup.remote} is ${dup.statusRaw}${dup.failMode ? ` (${dup.failMode})` : ''}: ${action} is allowed${verdict.noop ? ', though it changes nothing (already in that mode)' : ''}${verdict.warning ? `. ${verdict.warning}` : ''}`,
      result: {
        ...state,
        expectedStatus: verdict.resultStatus,
        noop: verdict.noop,
        warning: verdict.warning,
      },
    };
  },
};

export const precheckConfigStep: Step = {
  id: DUP_STEP.config,
  kind: 'precheck',
  // Blocks when the shell config lacks the remote; the meta side (unreadable here) is a warning to acknowledge.
  severity: 'block',
  title: 'The remote cluster is configured on both sides',
  why:
    'add_dup names the remote cluster: the shell and the source meta servers resolve it through [pegasus.clusters], and ' +
    'the meta requires [duplication-group] ids for both clusters (unless dup_ignore_other_cluster_ids = true). A meta restarted ' +
    'without the entry skips the duplication ("failed to decode json"). The meta servers\' config cannot be read from here: acknowledge you checked it.',
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const remote = ctx.params.remoteCluster;
    const check = checkShellKnowsCluster(lookup.profile, remote);
    const metaSide = `On every source meta server: [pegasus.clusters] ${remote} = <its metas> and [duplication-group] with ids for both clusters; on the remote, the same for the source.`;
    if (check.state === 'missing') {
      return {
        status: 'failed',
        summary: `${describeShellClusters(check, remote)}: add_dup would fail`,
        hint: `Add ${remote} under [pegasus.clusters] of ${check.config}, then retry. ${metaSide}`,
        result: { config: check.config, known: check.known },
      };
    }
    return {
      status: 'warning',
      summary: `${describeShellClusters(check, remote)}. ${metaSide}`,
      result: check.state === 'listed' ? { config: check.config, metas: check.metas } : { config: null },
    };
  },
  commands: (ctx) => [
    clusterEntryCommand("the meta servers' config.ini", ctx.params.remoteCluster, ''),
    {
      label: 'And the cluster ids (same on both clusters)',
      kind: 'config',
      text: `[duplication-group]\n<source-cluster> = 1\n${ctx.params.remoteCluster} = 2`,
    },
  ],
};

export const confirmActionStep: Step = {
  id: DUP_STEP.confirm,
  kind: 'gate',
  title: 'Confirm the destructive change',
  why: 'Removing a duplication is final, and the skip fail mode drops failed mutations for good (the follower silently diverges). Type the dupid to go on.',
  confirmText: (ctx) => String(ctx.params.dupid),
  confirmPrompt: ({ params }) =>
    params.action === 'remove'
      ? `remove duplication ${params.dupid} of ${params.table}. This is final: the follower stops receiving writes, and adding it again starts over from a new checkpoint`
      : `set duplication ${params.dupid} of ${params.table} to FAIL_SKIP. Mutations that fail to ship are then dropped for good: the follower silently loses those writes (data loss), and only a full copy repairs it`,
};
