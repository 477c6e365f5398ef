/**
 * Where the table's duplications stand, from every source there is: the shell (`query_dup -d`: what
 * the meta says now, status and fail mode), ZooKeeper (the per-partition confirmed decrees against
 * the committed ones: how far the follower trails) and the meta HTTP API (`/meta/app/duplication`,
 * with partition_states on 2.6+). After an action it also checks the action's result, since the meta
 * answers "succeed" before the status is persisted.
 */
import { queryDupCommand } from '../../pegasus/commands';
import { duplicationLagOf } from '../../pegasus/duplication-rules';
import { metaHttpGet } from '../../pegasus/meta-http';
import { type DuplicationEntry, parseDuplicationList } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { runShellCommand, parsedOrFailure } from '../pegasus-steps/shell-step';
import { DUPLICATION_MONITORING } from '../table-steps/dup-progress';
import { loadSourceTable } from '../table-steps/source-table';
import { actionCommand } from './apply-step';
import type { DuplicationParams } from './params';
import { DUP_STEP } from './prechecks';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<DuplicationParams>;

interface DupRow {
  dupid: number;
  remote: string | null;
  status: string | null;
  failMode: string | null;
  /** From ZooKeeper: partitions with a progress node, of all. */
  confirmedPartitions: number | null;
  partitions: number | null;
  totalLag: number | null;
  maxLag: number | null;
  /** Where the status came from. */
  from: string;
}

function expectedAfter(
  params: DuplicationParams,
  addedDupid: number | null,
  rows: readonly DuplicationEntry[],
): string | null {
  const row = rows.find((entry) => entry.dupid === (params.action === 'add' ? addedDupid : params.dupid));
  switch (params.action) {
    case 'list':
      return null;
    case 'add':
      return row ? null : `duplication ${addedDupid} is not listed by the meta server`;
    case 'remove':
      return row && row.status !== 'DS_REMOVED'
        ? `duplication ${params.dupid} is still listed (${row.status})`
        : null;
    case 'pause':
      return row?.status === 'DS_PAUSE'
        ? null
        : `duplication ${params.dupid} is ${row?.status ?? 'not listed'}, not DS_PAUSE`;
    case 'start':
      return row?.status === 'DS_LOG'
        ? null
        : `duplication ${params.dupid} is ${row?.status ?? 'not listed'}, not DS_LOG`;
    case 'set-fail-mode': {
      const wanted = params.failMode === 'skip' ? 'FAIL_SKIP' : 'FAIL_SLOW';
      if (!row) return `duplication ${params.dupid} is not listed`;
      return row.failMode === null || row.failMode === wanted
        ? null
        : `duplication ${params.dupid} is ${row.failMode}, not ${wanted}`;
    }
  }
}

export const statusStep: Step = {
  id: DUP_STEP.status,
  kind: 'verify',
  title: 'Duplication status and progress',
  why:
    'What the meta reports now, and how far each follower trails: a gap that grows means the follower cannot keep up ' +
    '(or a FAIL_SLOW duplication is stuck on a failure). The key monitoring items are listed in the log.',
  commands: (ctx) => [queryDupCommand(ctx.params.table, true)],
  async execute(ctx): Promise<StepOutcome> {
    const { params } = ctx;
    const lookup = lookUpProfile(ctx, params.profile);
    if (!lookup.ok) return lookup.outcome;
    const { profile } = lookup;
    const rows = new Map<number, DupRow>();
    const sources: string[] = [];
    const notes: string[] = [];

    const ran = await runShellCommand(ctx, profile, queryDupCommand(params.table, true), {
      timeoutMs: 60_000,
    });
    let listed: DuplicationEntry[] | null = null;
    if (ran.kind === 'failed') return ran.outcome;
    if (ran.kind === 'output') {
      const list = parsedOrFailure(ctx, profile, parseDuplicationList(ran.text));
      if (!list.ok) return list.outcome;
      listed = list.value.entries;
      sources.push('shell query_dup -d');
      for (const entry of listed) {
        rows.set(entry.dupid, {
          dupid: entry.dupid,
          remote: entry.remote,
          status: entry.status,
          failMode: entry.failMode,
          confirmedPartitions: null,
          partitions: null,
          totalLag: null,
          maxLag: null,
          from: 'shell',
        });
      }
    } else notes.push(`shell: ${ran.reason}`);

    const found = await loadSourceTable(ctx, params.profile, params.table);
    if (found.ok) {
      sources.push('ZooKeeper progress nodes');
      for (const dup of found.value.table.duplications) {
        const lag = duplicationLagOf(dup);
        const row = rows.get(dup.dupid);
        // A removed duplication's node is deleted; one the shell no longer lists is not live.
        if (!row && (listed !== null || dup.status === 'DS_REMOVED')) continue;
        rows.set(dup.dupid, {
          dupid: dup.dupid,
          remote: row?.remote ?? dup.remote,
          status: row?.status ?? dup.statusRaw,
          failMode: row?.failMode ?? dup.failMode,
          confirmedPartitions: dup.confirmedPartitions,
          partitions: lag.partitions,
          totalLag: lag.totalLag,
          maxLag: lag.maxLag,
          from: row ? 'shell + ZooKeeper' : 'ZooKeeper',
        });
      }
    } else notes.push(`ZooKeeper: ${found.outcome.summary}`);

    if (profile.metaServers.length > 0) {
      try {
        const answer = await metaHttpGet(
          profile.metaServers,
          '/meta/app/duplication',
          `name=${encodeURIComponent(params.table)}`,
          {
            timeoutMs: 5000,
            signal: ctx.signal,
          },
        );
        const http = parseDuplicationList(JSON.stringify(answer.data));
        if (http.ok) {
          sources.push(`meta HTTP ${answer.server}`);
          for (const entry of http.value.entries) {
            const states = entry.partitions ? Object.values(entry.partitions) : [];
            const gaps = states
              .filter((s) => s.confirmedDecree !== null && s.lastCommittedDecree !== null)
              .map((s) => Math.max(0, (s.lastCommittedDecree as number) - (s.confirmedDecree as number)));
            if (gaps.length > 0) {
              ctx.log(
                `meta HTTP: duplication ${entry.dupid} ${entry.status}, live gap ${gaps.reduce((a, b) => a + b, 0)} over ${gaps.length} partitions (max ${Math.max(...gaps)})`,
              );
            }
          }
        }
      } catch (error) {
        notes.push(`meta HTTP: ${messageOf(error)}`);
      }
    }

    if (sources.length === 0) {
      return {
        status: 'manual',
        reason: `No source of duplication status answered here (${notes.join('; ')})`,
        commands: [queryDupCommand(params.table, true)],
      };
    }
    const all = [...rows.values()].sort((a, b) => a.dupid - b.dupid);
    for (const row of all) {
      ctx.log(
        `duplication ${row.dupid} -> ${row.remote ?? '?'}: ${row.status ?? '?'} ${row.failMode ?? ''}` +
          (row.partitions !== null
            ? `; ${row.confirmedPartitions}/${row.partitions} partitions confirmed, gap ${row.totalLag ?? 'unknown'} (max ${row.maxLag ?? 'unknown'})`
            : ''),
      );
    }
    for (const note of notes) ctx.log(`not read: ${note}`, 'stderr');
    ctx.log('What to watch:');
    for (const item of DUPLICATION_MONITORING) ctx.log(`  - ${item}`);
    const result = {
      duplications: all as unknown as Record<string, unknown>[],
      sources,
      notes,
      monitoring: DUPLICATION_MONITORING,
    };
    const addedDupid = (ctx.results[DUP_STEP.apply] as { dupid?: number } | undefined)?.dupid ?? null;
    const wrong = listed === null ? null : expectedAfter(params, addedDupid, listed);
    if (wrong) {
      return {
        status: 'failed',
        summary: `The meta server accepted ${params.action}, but ${wrong}`,
        hint: `Retry this step in a few seconds (the meta persists the change first); if it stays so, repeat the command by hand: ${actionCommand(params).text}`,
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `${countOf(all.length, 'duplication')} of ${params.table}: ${all.map((row) => `${row.dupid} ${row.status}${row.totalLag !== null ? ` gap ${row.totalLag}` : ''}`).join(', ') || 'none'} (from ${sources.join(', ')})`,
      result,
    };
  },
};
