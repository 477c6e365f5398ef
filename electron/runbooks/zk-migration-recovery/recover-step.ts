/**
 * `recover -f <node list>` through the shell (reference §4 step 10, §8): the one meta in recovery
 * mode asks every listed replica server for its tables and replicas and writes the tree on the new
 * ensemble. Only `Recover result: ERR_OK` goes on. ERR_TRY_AGAIN comes with hints that say which node
 * or partition failed; they are shown, with what to do about them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { joinZkPath } from '../../../shared/zk-path';
import { recoverCommand, recoverNodeListContents } from '../../pegasus/commands';
import { parseRecover, type RecoverResult } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { messageOf } from '../pegasus-steps/cluster-profile';
import { manualShellOutcome, parsedOrFailure, runShellCommand } from '../pegasus-steps/shell-step';
import type { ZkMigrationRecoveryParams } from './params';
import { backupOf, nodeListPath, type RecoveryContext, recoveryFacts } from './run-facts';
import { countOf } from '../../../shared/plural';

/** The shell's own wait plus time to start and print. */
const SHELL_MARGIN_MS = 60_000;

function recoverResultJson(parsed: RecoverResult): JsonObject {
  return {
    result: parsed.result,
    ok: parsed.ok,
    timedOut: parsed.timedOut,
    nodes: parsed.nodes,
    waitedSeconds: parsed.waitedSeconds,
    errors: parsed.errors,
    warnings: parsed.warnings,
    hints: parsed.hints,
  };
}

/** The node list file, written again from the backup when it is not there (a restart, another machine). */
function ensureNodeList(ctx: RecoveryContext, path: string): string | null {
  if (existsSync(path)) return null;
  const backup = backupOf(ctx);
  if (!backup) return `${path} does not exist and there is no backup in this run to write it from`;
  try {
    const alive = backup.nodes.filter((node) => node.status === 'ALIVE').map((node) => node.address);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, recoverNodeListContents(alive, `the backup of run ${ctx.runId.slice(0, 8)}`));
    ctx.log(`Wrote ${path} again from the backup`);
    return null;
  } catch (error) {
    return `Cannot write ${path}: ${messageOf(error)}`;
  }
}

export const recoverStep: StepDefinition<ZkMigrationRecoveryParams> = {
  id: 'recover',
  kind: 'action',
  title: 'Recover the metadata from the replica servers (recover -f)',
  why:
    'The started meta waits for this: it collects the tables and replicas from every listed replica server ' +
    'and writes the cluster root on the new ensemble. Anything but "Recover result: ERR_OK" means the tree ' +
    'is not complete. ERR_TRY_AGAIN names the node that did not answer or the partition no node has; going ' +
    "past it (-b, -l) loses those replicas, which is the operator's decision, not this tool's.",
  async postcondition(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return 'not-done';
    const session = await ctx.services.zk(ctx.params.target);
    const apps = joinZkPath(found.facts.targetRoot, 'apps');
    const stat = await session.exists(apps);
    if (!stat || stat.numChildren === 0) return 'not-done';
    const { data } = await session.getData(apps);
    return data.toString('latin1') === 'unlock' ? 'done' : 'not-done';
  },
  async execute(ctx): Promise<StepOutcome> {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const { params } = ctx;
    const file = nodeListPath(ctx, facts);
    const command = recoverCommand({
      nodeListFile: file,
      waitSeconds: params.recoverWaitSeconds,
      skipBadNodes: params.skipBadNodes,
      skipLostPartitions: params.skipLostPartitions,
    });
    if (ctx.services.pegasus.shell(facts.profile.id)) {
      const missing = ensureNodeList(ctx, file);
      if (missing)
        return {
          status: 'failed',
          summary: missing,
          hint: 'Retry the node list step, or write the file by hand, then retry.',
        };
    }
    const run = await runShellCommand(ctx, facts.profile, command, {
      timeoutMs: params.recoverWaitSeconds * 1000 + SHELL_MARGIN_MS,
      // The shell prints a line each second it waits: a progress bar against recover -w.
      onLine(line) {
        const waited = /^Wait recovery for (\d+) seconds/.exec(line.trim());
        if (waited) {
          ctx.progress({
            done: Math.min(Number(waited[1]) + 1, params.recoverWaitSeconds),
            total: params.recoverWaitSeconds,
            unit: 's',
            label: 'waiting for the replica servers to answer (recover -w)',
          });
        }
      },
    });
    if (run.kind === 'unavailable') {
      return manualShellOutcome(
        facts.profile,
        `${run.reason}: run recover by hand and confirm only when it prints "Recover result: ERR_OK"`,
        [command],
      );
    }
    if (run.kind === 'failed') return run.outcome;
    const parsed = parsedOrFailure(ctx, facts.profile, parseRecover(run.text));
    if (!parsed.ok) return parsed.outcome;
    const recovered = parsed.value;
    const result = recoverResultJson(recovered);
    for (const hint of recovered.hints) ctx.log(`Hint: ${hint}`, recovered.ok ? 'log' : 'stderr');
    if (recovered.timedOut) {
      return {
        status: 'failed',
        summary: `recover waited ${params.recoverWaitSeconds} s without a result ("Wait recovery failed"): the meta may still be recovering`,
        hint: 'Watch the meta log (and nodes -d) for progress. Retry sends recover again; a larger recover -w needs a new run.',
        result,
      };
    }
    if (recovered.result === 'ERR_TRY_AGAIN') {
      const shown = (recovered.errors.length > 0 ? recovered.errors : recovered.hints).slice(0, 5);
      return {
        status: 'failed',
        summary: `Recover result: ERR_TRY_AGAIN${shown.length > 0 ? `: ${shown.join(' | ')}` : ''}`,
        hint:
          'The hints name the replica server that did not answer or the partition no server has. Start that server (or fix the network to it), wait until nodes shows it ALIVE, then retry this step. ' +
          'If it is gone for good: recover by hand with -b (skip bad nodes: its replicas are lost) or -l (skip lost partitions: recreated empty), ' +
          'then skip this step with a reason; or start a new run with those parameters.',
        result,
      };
    }
    if (!recovered.ok) {
      return {
        status: 'failed',
        summary: `Recover result: ${recovered.result}`,
        hint: 'Read the meta log for the cause; fix it, then retry this step.',
        result,
      };
    }
    if (recovered.warnings.length > 0) {
      return {
        status: 'warning',
        summary: `Recover result: ERR_OK, with ${countOf(recovered.warnings.length, 'warning')}: ${recovered.warnings.slice(0, 3).join(' | ')}`,
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `Recover result: ERR_OK from ${countOf(recovered.nodes.length, 'replica server')}`,
      result,
    };
  },
};
