/**
 * The backup the recovery is measured against (reference §4 steps 4-5): `ls -o` and `nodes -d -o`
 * through the shell, written to files in the work directory and parsed from there; without a shell,
 * /meta/apps and /meta/nodes?detail; without either, the commands to run by hand. A replica server
 * that is UNALIVE refuses the recovery: `recover` would have to skip it and its replicas.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { lsCommand, nodesCommand } from '../../pegasus/commands';
import { type ParseResult, parseAppList, parseNodeList } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { type AnyStepContext, messageOf } from '../pegasus-steps/cluster-profile';
import { readMetaApps, readMetaNodes } from '../pegasus-steps/meta-http-step';
import { manualShellOutcome, parsedOrFailure, runShellCommand } from '../pegasus-steps/shell-step';
import {
  type ClusterBackup,
  nodesFromHttp,
  nodesFromShell,
  tablesFromHttp,
  tablesFromShell,
  unaliveNodes,
} from './cluster-backup';
import type { ZkMigrationRecoveryParams } from './params';
import { recoveryFacts, STEP } from './run-facts';
import { countOf, noun } from '../../../shared/plural';

type Failed = Extract<StepOutcome, { status: 'failed' }>;

/**
 * Runs a `-o file` command and parses the file it wrote; when there is no file, what it printed
 * (a shell that cannot reach the meta prints the error instead of writing).
 */
export async function shellToFile<T>(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  command: GeneratedCommand,
  file: string,
  parse: (text: string) => ParseResult<T>,
): Promise<
  { kind: 'value'; value: T } | { kind: 'unavailable'; reason: string } | { kind: 'failed'; outcome: Failed }
> {
  try {
    mkdirSync(dirname(file), { recursive: true });
    rmSync(file, { force: true });
  } catch (error) {
    return {
      kind: 'failed',
      outcome: {
        status: 'failed',
        summary: `Cannot prepare ${file}: ${messageOf(error)}`,
        hint: 'Fix the cause, then retry.',
      },
    };
  }
  const run = await runShellCommand(ctx, profile, command, { timeoutMs: 120_000 });
  if (run.kind !== 'output') return run;
  let text = run.text;
  if (existsSync(file)) {
    text = readFileSync(file, 'utf8');
    ctx.log(`${file}:`);
    for (const line of text.split('\n').slice(0, 200)) ctx.log(`  ${line}`);
  }
  const parsed = parsedOrFailure(ctx, profile, parse(text));
  return parsed.ok ? { kind: 'value', value: parsed.value } : { kind: 'failed', outcome: parsed.outcome };
}

function backupSummary(backup: ClusterBackup): string {
  const available = backup.tables.filter((table) => table.status === 'AVAILABLE').length;
  return `${countOf(available, 'available table')} and ${countOf(backup.nodes.length, 'replica server')}, all ALIVE (through ${backup.source === 'shell' ? 'the shell' : 'meta HTTP'})`;
}

function judge(backup: ClusterBackup): StepOutcome {
  const result: JsonObject = { backup: backup as unknown as JsonObject };
  const unalive = unaliveNodes(backup.nodes);
  if (unalive.length > 0) {
    return {
      status: 'failed',
      summary: `Refused: ${countOf(unalive.length, 'replica server')} ${noun(unalive.length, 'is', 'are')} not ALIVE: ${unalive.map((node) => `${node.address} ${node.status}`).join(', ')}`,
      hint: 'A recovery collects replicas from every replica server; an UNALIVE one would be skipped with its replicas. Bring it back (or remove it from the cluster), then retry this step.',
      result,
    };
  }
  if (backup.tables.length === 0) {
    return {
      status: 'failed',
      summary: 'The table list is empty: there is nothing to compare the recovery with',
      hint: 'Check that the shell reaches this cluster (ls shows its tables), then retry this step.',
      result,
    };
  }
  if (backup.nodes.length === 0) {
    return {
      status: 'failed',
      summary: 'The node list is empty: recover needs the replica servers to collect from',
      hint: 'Check that the shell reaches this cluster (nodes -d lists its replica servers), then retry.',
      result,
    };
  }
  return { status: 'succeeded', summary: `Backed up ${backupSummary(backup)}`, result };
}

export const backupStep: StepDefinition<ZkMigrationRecoveryParams> = {
  id: STEP.backup,
  kind: 'action',
  title: 'Back up the table list and the node list',
  why:
    'After the recovery the cluster must have the same tables and the same replica servers with the same ' +
    'replica counts: this is the record to compare with, taken while the metas still run. Every replica ' +
    'server must be ALIVE: recover collects the tables from all of them, and one that is down takes its ' +
    'replicas with it.',
  async execute(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const { profile } = facts;
    try {
      mkdirSync(facts.workDir, { recursive: true });
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot create the work directory ${facts.workDir}: ${messageOf(error)}`,
        hint: 'Start a new run with a work directory this user can write to.',
      };
    }
    const tableFile = join(facts.workDir, `${facts.cluster}.apps`);
    const nodeFile = join(facts.workDir, `${facts.cluster}.nodes`);
    const commands = [lsCommand({ outFile: tableFile }), nodesCommand({ detailed: true, outFile: nodeFile })];
    const tables = await shellToFile(ctx, profile, commands[0]!, tableFile, parseAppList);
    if (tables.kind === 'failed') return tables.outcome;
    if (tables.kind === 'value') {
      const nodes = await shellToFile(ctx, profile, commands[1]!, nodeFile, parseNodeList);
      if (nodes.kind === 'failed') return nodes.outcome;
      if (nodes.kind === 'value') {
        return judge({
          source: 'shell',
          takenAt: ctx.services.now(),
          tables: tablesFromShell(tables.value),
          nodes: nodesFromShell(nodes.value),
          tableFile,
          nodeFile,
        });
      }
    }
    const shellReason = tables.kind === 'unavailable' ? tables.reason : 'the shell stopped answering';
    ctx.log(`${shellReason}; taking the backup over meta HTTP instead`);
    const [apps, nodes] = await Promise.all([readMetaApps(ctx, profile), readMetaNodes(ctx, profile)]);
    if (apps.ok && nodes.ok) {
      return judge({
        source: 'meta-http',
        takenAt: ctx.services.now(),
        tables: tablesFromHttp(apps.value),
        nodes: nodesFromHttp(nodes.value),
        tableFile: null,
        nodeFile: null,
      });
    }
    const httpReason = !apps.ok ? apps.reason : !nodes.ok ? nodes.reason : '';
    return manualShellOutcome(
      profile,
      `${shellReason}, and ${httpReason}. Take the backup by hand (keep both files: later steps compare with them)`,
      [
        lsCommand({ outFile: `${facts.cluster}.apps` }),
        nodesCommand({ detailed: true, outFile: `${facts.cluster}.nodes` }),
      ],
    );
  },
};
