/**
 * The duplication half of a hot migration (reference §3.5 steps 2, 3 and 5): `add_dup -s` to the
 * target (a checkpoint copy, then the log), then two waits on the backlog (the replicas' unshipped
 * mutations over replica HTTP, else the confirmed-decree lag): under the threshold before writes are
 * denied, and zero before the switch.
 */
import { addDupCommand, queryDupCommand } from '../../pegasus/commands';
import { parseAddDup, parseDuplicationList } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { runShellCommand } from '../pegasus-steps/shell-step';
import { findDuplication, lagAnswer, liveDuplicationGap } from '../table-steps/dup-progress';
import { backlogResult, replicaBacklog } from '../table-steps/replica-backlog';
import { shellAction } from '../table-steps/shell-action';
import { loadSourceTable } from '../table-steps/source-table';
import type { TableHotMigrationParams } from './params';
import { dupidOf, HOT_STEP, type HotContext, waitTimeoutMs } from './run-facts';

type Step = StepDefinition<TableHotMigrationParams>;

/** A live duplication of the table to the target, as the shell lists it (query_dup). */
async function listedDupid(ctx: HotContext): Promise<number | null> {
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return null;
  const ran = await runShellCommand(ctx, lookup.profile, queryDupCommand(ctx.params.table), {
    timeoutMs: 60_000,
  });
  if (ran.kind !== 'output') return null;
  const list = parseDuplicationList(ran.text);
  if (!list.ok) return null;
  const live = list.value.entries
    .filter((entry) => entry.remote === ctx.params.targetCluster && entry.status !== 'DS_REMOVED')
    .sort((a, b) => b.dupid - a.dupid);
  return live[0]?.dupid ?? null;
}

export const dupAddStep: Step = {
  id: HOT_STEP.dupAdd,
  kind: 'action',
  title: 'Duplicate the table to the target (checkpoint first)',
  why:
    'With a checkpoint (-s) the target first receives a full copy of the table, then every mutation from the log: ' +
    'without it only new writes would arrive and the target would miss the existing data.',
  commands: (ctx) => [
    addDupCommand({ table: ctx.params.table, remoteCluster: ctx.params.targetCluster, checkpoint: true }),
  ],
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const existing = (ctx.results[HOT_STEP.source] as { existingDupids?: number[] } | undefined)
      ?.existingDupids;
    const reuse = existing?.[0] ?? (await listedDupid(ctx));
    if (reuse) {
      return {
        status: 'succeeded',
        summary: `${ctx.params.table} already duplicates to ${ctx.params.targetCluster} (dupid ${reuse}): reused, nothing added`,
        result: { dupid: reuse, reused: true },
      };
    }
    const command = addDupCommand({
      table: ctx.params.table,
      remoteCluster: ctx.params.targetCluster,
      checkpoint: true,
    });
    const added = await shellAction(ctx, lookup.profile, command, parseAddDup, { timeoutMs: 120_000 });
    if (!added.ok) {
      if (added.outcome.status === 'failed') {
        added.outcome.hint =
          `${added.outcome.hint ?? ''} If the detail says the remote cluster is not in the cluster list of the meta server, add ${ctx.params.targetCluster} to [pegasus.clusters] and [duplication-group] of the source meta servers and restart them.`.trim();
      }
      return added.outcome;
    }
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: 'pegasus.dup-added',
      target: `${lookup.profile.name}/${ctx.params.table}`,
      detail: {
        runId: ctx.runId,
        dupid: added.value.dupid,
        remote: ctx.params.targetCluster,
        checkpoint: true,
      },
    });
    return {
      status: 'succeeded',
      summary: `Duplication ${added.value.dupid} of ${ctx.params.table} to ${ctx.params.targetCluster} added (checkpoint first)`,
      result: { dupid: added.value.dupid, reused: false, warnings: added.value.warnings },
    };
  },
  async postcondition(ctx) {
    return (await listedDupid(ctx)) === null ? 'not-done' : 'done';
  },
};

function skippedNote(reason: string | null): string {
  return reason ? ` [replica HTTP not used: ${reason}]` : '';
}

/**
 * A wait on the duplication's backlog, read at every poll from the best source that answers for every
 * partition: the replicas' unshipped mutations (replica HTTP), else the confirmed-decree gap (meta
 * HTTP partition_states on 2.6+, else ZooKeeper's progress nodes). The result names the source.
 */
export function lagWaitStep(
  params: TableHotMigrationParams,
  options: { id: string; title: string; why: string; maxLag(params: TableHotMigrationParams): number },
): Step {
  const maxLag = options.maxLag(params);
  return {
    id: options.id,
    kind: 'wait',
    title: options.title,
    why: options.why,
    wait: {
      intervalMs: 10_000,
      timeoutMs: waitTimeoutMs({ params }),
      describe: () =>
        `every partition of ${params.table} within ${maxLag} mutations (replica HTTP) or decrees (confirmed-decree gap) of the target`,
    },
    async execute(ctx): Promise<StepOutcome> {
      const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
      if (!found.ok) return found.outcome;
      const dupid = dupidOf(ctx);
      const dup = findDuplication(found.value.table, { dupid, remote: ctx.params.targetCluster });
      if (!dup) {
        return {
          status: 'pending',
          waitingFor: `duplication ${dupid ?? `to ${ctx.params.targetCluster}`} is not in ZooKeeper under ${found.value.table.path}/duplication yet`,
        };
      }
      let replicaHttpSkipped: string | null = null;
      if (dup.status === 'DS_LOG') {
        const backlog = await replicaBacklog(ctx, found.value.profile, found.value.table, dup.dupid);
        if (backlog.ok) {
          const result = { dupid: dup.dupid, ...backlogResult(backlog, maxLag) };
          const figures = `total ${backlog.totalNotDuplicated} not shipped, ${backlog.totalNotConfirmed} not confirmed; live, ${backlog.source}`;
          if (backlog.maxNotDuplicated <= maxLag) {
            return {
              status: 'succeeded',
              summary: `all ${backlog.partitions} partitions within ${maxLag} unshipped mutations (max ${backlog.maxNotDuplicated}, ${figures})`,
              result,
            };
          }
          return {
            status: 'pending',
            waitingFor: `partition ${backlog.worst.pidx} (primary ${backlog.worst.server}) has ${backlog.maxNotDuplicated} mutations not shipped, more than ${maxLag} (${figures})`,
            result,
          };
        }
        replicaHttpSkipped = backlog.reason;
        ctx.log(`Replica HTTP not used: ${backlog.reason}. Falling back to the confirmed-decree gap.`);
        const live = await liveDuplicationGap(found.value.profile, ctx.params.table, dup.dupid, ctx.signal);
        if (live) {
          const result = {
            dupid: dup.dupid,
            partitions: live.partitions,
            totalLag: live.totalLag,
            maxLag: live.maxLag,
            threshold: maxLag,
            source: `meta HTTP ${live.server}`,
            replicaHttpSkipped,
          };
          if (live.maxLag <= maxLag) {
            return {
              status: 'succeeded',
              summary: `all ${live.partitions} partitions within ${maxLag} decrees (max ${live.maxLag}, total ${live.totalLag}; live, meta HTTP ${live.server})`,
              result,
            };
          }
          return {
            status: 'pending',
            waitingFor: `the worst partition trails by ${live.maxLag} decrees, more than ${maxLag} (total ${live.totalLag}; live, meta HTTP ${live.server})${skippedNote(replicaHttpSkipped)}`,
            result,
          };
        }
      }
      const answer = lagAnswer(dup, maxLag);
      const result = { ...answer.result, source: 'ZooKeeper progress nodes', replicaHttpSkipped };
      if (answer.done) {
        return {
          status: 'succeeded',
          summary: `${answer.summary}; ZooKeeper progress nodes${skippedNote(replicaHttpSkipped)}`,
          result,
        };
      }
      return {
        status: 'pending',
        waitingFor: `${answer.waitingFor}; ZooKeeper progress nodes${skippedNote(replicaHttpSkipped)}`,
        result,
      };
    },
  };
}
