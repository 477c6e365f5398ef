/**
 * The last check of a meta recovery: the tables on the new ensemble are the backed-up ones. Read
 * twice where possible: `ls -o` through the shell (what the metas serve) and `<root>/apps` on the new
 * ZooKeeper (what they serve it from), each compared with the backup by parsed values.
 */
import { join } from 'node:path';
import { joinZkPath } from '../../../shared/zk-path';
import { lsCommand } from '../../pegasus/commands';
import { BoundedReads } from '../../pegasus/bounded-reads';
import { decodeAppInfo } from '../../pegasus/decoders/app-info';
import { parseAppList } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { messageOf } from '../pegasus-steps/cluster-profile';
import { manualShellOutcome } from '../pegasus-steps/shell-step';
import { shellToFile } from './backup-step';
import {
  compareTables,
  normalizeTableStatus,
  type TableRecord,
  type TablesVerdict,
  tablesFromShell,
} from './cluster-backup';
import type { ZkMigrationRecoveryParams } from './params';
import { backupOf, type RecoveryContext, type RecoveryFacts, recoveryFacts } from './run-facts';

/** The tables under `<root>/apps` of the new ensemble, decoded from their app JSON. */
export async function tablesInZooKeeper(ctx: RecoveryContext, facts: RecoveryFacts): Promise<TableRecord[]> {
  const session = await ctx.services.zk(ctx.params.target);
  const reads = new BoundedReads(session, 16, ctx.signal);
  const appsPath = joinZkPath(facts.targetRoot, 'apps');
  const listed = await reads.getChildren(appsPath);
  if (listed.kind === 'missing') return [];
  if (listed.kind === 'denied') throw new Error(`${appsPath} cannot be listed: ${listed.message}`);
  const ids = listed.value.filter((name) => /^\d+$/.test(name));
  const tables = await Promise.all(
    ids.map(async (id): Promise<TableRecord | null> => {
      const read = await reads.getData(joinZkPath(appsPath, id));
      if (read.kind !== 'ok') return null;
      const info = decodeAppInfo(read.value.data);
      if (!info.ok) {
        ctx.log(`${appsPath}/${id}: ${info.error}`, 'stderr');
        return {
          appId: Number(id),
          name: `(undecodable app ${id})`,
          status: 'UNKNOWN',
          partitionCount: null,
          replicaCount: null,
        };
      }
      return {
        appId: info.value.appId ?? Number(id),
        name: info.value.appName ?? '',
        status: normalizeTableStatus(info.value.statusRaw ?? ''),
        partitionCount: info.value.partitionCount,
        replicaCount: info.value.maxReplicaCount,
      };
    }),
  );
  return tables.filter((table): table is TableRecord => table !== null).sort((a, b) => a.appId - b.appId);
}

function verdictLine(where: string, verdict: TablesVerdict): string {
  return verdict.same
    ? `${where}: all ${verdict.expected} backed-up tables`
    : `${where}: ${verdict.matching} of ${verdict.expected} match; ${verdict.differences.slice(0, 5).join('; ')}${verdict.differences.length > 5 ? `; and ${verdict.differences.length - 5} more` : ''}`;
}

export const verifyTablesStep: StepDefinition<ZkMigrationRecoveryParams> = {
  id: 'verify-tables',
  kind: 'verify',
  title: 'Verify the tables on the new ensemble',
  why:
    'The recovery is only done when every backed-up table is back under its id, name, partition count and ' +
    'replica count, available. A name clash is renamed <name>__<id> by the recovery and shows here. Both ' +
    'what the metas serve (ls) and what the new ZooKeeper holds (<root>/apps) are checked.',
  async execute(ctx): Promise<StepOutcome> {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const backup = backupOf(ctx);
    if (!backup) {
      return manualShellOutcome(
        facts.profile,
        'There is no backup in this run (it was taken by hand): compare ls with the saved table list yourself',
        [lsCommand()],
      );
    }
    const lines: string[] = [];
    const result: JsonObject = { expected: backup.tables.filter((t) => t.status === 'AVAILABLE').length };
    let same = true;
    const shell = await shellToFile(
      ctx,
      facts.profile,
      lsCommand({ outFile: join(facts.workDir, `${facts.cluster}.apps.after`) }),
      join(facts.workDir, `${facts.cluster}.apps.after`),
      parseAppList,
    );
    if (shell.kind === 'failed') return shell.outcome;
    if (shell.kind === 'value') {
      const verdict = compareTables(backup.tables, tablesFromShell(shell.value));
      lines.push(verdictLine('ls', verdict));
      result.shell = { matching: verdict.matching, differences: verdict.differences };
      same &&= verdict.same;
    } else {
      ctx.log(`${shell.reason}; checking the new ZooKeeper only`);
    }
    try {
      const tables = await tablesInZooKeeper(ctx, facts);
      const verdict = compareTables(backup.tables, tables);
      lines.push(verdictLine(`${facts.targetLabel}${facts.targetRoot}/apps`, verdict));
      result.zookeeper = {
        matching: verdict.matching,
        differences: verdict.differences,
        tables: tables.length,
      };
      same &&= verdict.same;
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read the tables on the new ensemble ${facts.targetLabel}: ${messageOf(error)}`,
        hint: 'Check the connection, then retry this step.',
      };
    }
    for (const line of lines) ctx.log(line);
    if (same)
      return { status: 'succeeded', summary: `The tables match the backup (${lines.join('; ')})`, result };
    return {
      status: 'failed',
      summary: `The tables differ from the backup: ${lines.join('. ')}`,
      hint:
        'A missing table was not on any replica server that answered (recover -l recreates such partitions empty); a renamed one clashed ' +
        'with another name. Decide per table (rename back, restore from backup), then retry this step or skip it with a reason.',
      result,
    };
  },
};
