/**
 * Waiting until the replica servers are back as they were (reference §4 step 11): `nodes -d` (or
 * /meta/nodes?detail, whichever took the backup) polled until every server of the backup is listed
 * with the same status and replica count. Compared as parsed values, so the `[parameters]` block that
 * kept the script's diff from ever matching plays no part.
 */
import { nodesCommand } from '../../pegasus/commands';
import { parseNodeList } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { readMetaNodes } from '../pegasus-steps/meta-http-step';
import { manualShellOutcome, parsedOrFailure, runShellCommand } from '../pegasus-steps/shell-step';
import {
  compareNodes,
  describeNodesVerdict,
  type NodeRecord,
  nodesFromHttp,
  nodesFromShell,
} from './cluster-backup';
import type { ZkMigrationRecoveryParams } from './params';
import { backupOf, type RecoveryContext, recoveryFacts } from './run-facts';

type Current = { ok: true; nodes: NodeRecord[]; via: string } | { ok: false; outcome: StepOutcome };

async function currentNodes(ctx: RecoveryContext, preferShell: boolean): Promise<Current> {
  const found = recoveryFacts(ctx);
  if (!found.ok) return found;
  const { profile } = found.facts;
  let shellReason: string | null = null;
  if (preferShell) {
    const run = await runShellCommand(ctx, profile, nodesCommand({ detailed: true }), { timeoutMs: 60_000 });
    if (run.kind === 'failed') return { ok: false, outcome: run.outcome };
    if (run.kind === 'output') {
      const parsed = parsedOrFailure(ctx, profile, parseNodeList(run.text));
      if (!parsed.ok) return { ok: false, outcome: parsed.outcome };
      return { ok: true, nodes: nodesFromShell(parsed.value), via: 'nodes -d' };
    }
    shellReason = run.reason;
  }
  const http = await readMetaNodes(ctx, profile);
  if (http.ok) return { ok: true, nodes: nodesFromHttp(http.value), via: '/meta/nodes' };
  return {
    ok: false,
    outcome: manualShellOutcome(
      profile,
      `${shellReason ? `${shellReason}, and ` : ''}${http.reason}: compare nodes -d with the backup by hand (address, status, replica_count)`,
      [nodesCommand({ detailed: true })],
    ),
  };
}

export const waitNodesStep: StepDefinition<ZkMigrationRecoveryParams> = {
  id: 'wait-nodes',
  kind: 'wait',
  title: 'Wait until the replica servers match the backup',
  why:
    'After recover the replica servers report in again and their replicas are assigned; until every server ' +
    'of the backup is ALIVE with its replica count again, the cluster is not whole. The comparison is of ' +
    'parsed values (address, status, replica_count), not of text: the script diffed two files that each ' +
    'began with their own [parameters] block, so its wait could never end.',
  wait: {
    intervalMs: 5000,
    timeoutMs: 30 * 60_000,
    describe: () => 'every replica server of the backup listed ALIVE with the same replica count',
  },
  async execute(ctx) {
    const backup = backupOf(ctx);
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    if (!backup) {
      return manualShellOutcome(
        found.facts.profile,
        'There is no backup in this run (it was taken by hand): compare nodes -d with the saved node list yourself',
        [nodesCommand({ detailed: true })],
      );
    }
    const current = await currentNodes(ctx, backup.source === 'shell');
    if (!current.ok) return current.outcome;
    const verdict = compareNodes(backup.nodes, current.nodes);
    const result: JsonObject = { via: current.via, matching: verdict.matching, expected: verdict.expected };
    if (verdict.same) {
      return { status: 'succeeded', summary: `${describeNodesVerdict(verdict)} (${current.via})`, result };
    }
    return {
      status: 'pending',
      waitingFor: describeNodesVerdict(verdict),
      result: { ...result, differences: verdict.differences },
    };
  },
};
