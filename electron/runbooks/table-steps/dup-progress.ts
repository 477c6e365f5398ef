/**
 * A table's duplication as ZooKeeper holds it (`<app>/duplication/<dupid>` and its per-partition
 * `confirmed_decree` nodes, reference §1.7), and how far it trails: the figures a cut-over waits on.
 * ZooKeeper's figures are coarse (see duplication-rules/confirmed-lag.ts); every answer says so.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { DuplicationModel, TableModel } from '../../pegasus/cluster-model-types';
import { duplicationLagOf, judgeDuplicationLag } from '../../pegasus/duplication-rules';
import { metaHttpGet } from '../../pegasus/meta-http';
import { parseDuplicationList } from '../../pegasus/shell-output';
import type { JsonObject } from '../../store/types';

/** The duplication by id, else the newest live one to `remote`. */
export function findDuplication(
  table: TableModel,
  wanted: { dupid?: number | null; remote?: string | null },
): DuplicationModel | null {
  if (wanted.dupid) return table.duplications.find((dup) => dup.dupid === wanted.dupid) ?? null;
  const toRemote = table.duplications
    .filter((dup) => dup.remote === wanted.remote && dup.status !== 'DS_REMOVED')
    .sort((a, b) => b.dupid - a.dupid);
  return toRemote[0] ?? null;
}

export type LagAnswer =
  | { done: true; summary: string; result: JsonObject }
  | { done: false; waitingFor: string; result: JsonObject };

/** Whether every partition is within `maxLag` confirmed decrees, from ZooKeeper's progress nodes. */
export function lagAnswer(dup: DuplicationModel, maxLag: number): LagAnswer {
  const lag = duplicationLagOf(dup);
  const verdict = judgeDuplicationLag(lag, maxLag);
  const result: JsonObject = {
    dupid: dup.dupid,
    status: dup.statusRaw ?? null,
    partitions: lag.partitions,
    measured: lag.measured,
    totalLag: lag.totalLag,
    maxLag: lag.maxLag,
    threshold: maxLag,
  };
  if (dup.status !== 'DS_LOG') {
    return {
      done: false,
      waitingFor: `duplication ${dup.dupid} is ${dup.statusRaw ?? 'undecodable'}, not shipping the log yet (DS_LOG)${dup.status === 'DS_PAUSE' ? ': it is paused, start it (start_dup)' : ''}`,
      result,
    };
  }
  if (verdict.state === 'caught-up') return { done: true, summary: verdict.summary, result };
  return { done: false, waitingFor: verdict.waitingFor, result };
}

/** The monitoring items of a duplication, for the operator (reference §1.7, §5; the docs' metrics). */
export const DUPLICATION_MONITORING = [
  'status of each duplication (query_dup <table>, meta HTTP /meta/app/duplication?name=<table>): DS_LOG means it ships the log; DS_PREPARE/DS_APP are the checkpoint copy; DS_PAUSE ships nothing',
  'confirmed vs last committed decree per partition (query_dup -d on 2.6+, the ZooKeeper progress nodes <dupid>/<pidx>): the gap is what the follower has not confirmed; it must shrink and stay small',
  'pending mutations on the replicas (replica HTTP /replica/duplication?appid=<id>: not_confirmed_mutations_num, not_duplicated_mutations_num; only primaries answer, so ask every replica server)',
  'dup_shipped_ops / dup.disabled_non_idempotent_write_count in the replica metrics: shipped ops show traffic, non-idempotent writes (incr, check_and_set) are NOT duplicated and must stay at 0',
  'the follower cluster: its write QPS for the table should follow the source, and its failure counts stay at 0',
  'fail mode: FAIL_SLOW retries and blocks the log (the gap grows, the source keeps its logs); FAIL_SKIP drops failed mutations (data loss on the follower)',
];

/**
 * The live gap per partition from the meta HTTP API (`/meta/app/duplication`, partition_states on
 * 2.6+): fresher than ZooKeeper's throttled progress nodes. null when no meta answers or the version
 * does not report partition states.
 */
export async function liveDuplicationGap(
  profile: PegasusProfile,
  table: string,
  dupid: number,
  signal: AbortSignal,
): Promise<{ partitions: number; totalLag: number; maxLag: number; server: string } | null> {
  if (profile.metaServers.length === 0) return null;
  try {
    const answer = await metaHttpGet(
      profile.metaServers,
      '/meta/app/duplication',
      `name=${encodeURIComponent(table)}`,
      {
        timeoutMs: 5000,
        signal,
      },
    );
    const list = parseDuplicationList(JSON.stringify(answer.data));
    if (!list.ok) return null;
    const entry = list.value.entries.find((candidate) => candidate.dupid === dupid);
    const states = entry?.partitions ? Object.values(entry.partitions) : [];
    const gaps = states
      .filter((state) => state.confirmedDecree !== null && state.lastCommittedDecree !== null)
      .map((state) => Math.max(0, (state.lastCommittedDecree as number) - (state.confirmedDecree as number)));
    if (gaps.length === 0 || gaps.length < states.length) return null;
    return {
      partitions: gaps.length,
      totalLag: gaps.reduce((sum, gap) => sum + gap, 0),
      maxLag: Math.max(...gaps),
      server: answer.server,
    };
  } catch {
    return null;
  }
}
