/**
 * How far a duplication's confirmed decrees trail the partitions' committed decrees, from what the
 * cluster model already reads (cluster-model.ts: `<dupid>/<pidx>` progress nodes beside each
 * partition's `last_committed_decree`, one DuplicationPartitionProgress per partition).
 *
 * ZooKeeper's figures are coarse (an inference from the meta's code, to be handled defensively):
 * progress nodes are written at most every `dup_progress_min_update_period_ms` and only once a
 * partition's progress first changes, and a partition node's `last_committed_decree` is not rewritten
 * on every commit. A partition can therefore have no progress node (never written to, or not yet
 * confirmed) or be "ahead" (confirmed past the stale committed decree). Both are reported, never
 * hidden; the meta HTTP API or the shell give live numbers when a cut-over needs them.
 */
import type { DuplicationModel, DuplicationPartitionProgress } from '../cluster-model-types';

export interface PartitionLag {
  partitionIndex: number;
  lag: number;
}

export interface DuplicationLag {
  partitions: number;
  /** Partitions with both a confirmed and a committed decree. */
  measured: number;
  /** Partitions without a progress node yet (or one that did not decode). */
  withoutProgress: number[];
  /** Partitions whose node (and so its committed decree) could not be read. */
  withoutCommitted: number[];
  /** Partitions confirmed past the committed decree ZooKeeper holds for them (counted as lag 0). */
  ahead: number[];
  /** Sum over measured partitions; null when none is measured. */
  totalLag: number | null;
  maxLag: number | null;
  /** Measured partitions with lag > 0, largest first. */
  lagging: PartitionLag[];
}

export function summarizeDuplicationLag(progress: readonly DuplicationPartitionProgress[]): DuplicationLag {
  const withoutProgress: number[] = [];
  const withoutCommitted: number[] = [];
  const ahead: number[] = [];
  const measured: PartitionLag[] = [];
  for (const partition of progress) {
    if (partition.confirmedDecree === null) withoutProgress.push(partition.partitionIndex);
    if (partition.lastCommittedDecree === null) withoutCommitted.push(partition.partitionIndex);
    if (partition.confirmedDecree === null || partition.lastCommittedDecree === null) continue;
    const lag = partition.lastCommittedDecree - partition.confirmedDecree;
    if (lag < 0) ahead.push(partition.partitionIndex);
    measured.push({ partitionIndex: partition.partitionIndex, lag: Math.max(0, lag) });
  }
  return {
    partitions: progress.length,
    measured: measured.length,
    withoutProgress,
    withoutCommitted,
    ahead,
    totalLag: measured.length > 0 ? measured.reduce((sum, entry) => sum + entry.lag, 0) : null,
    maxLag: measured.length > 0 ? Math.max(...measured.map((entry) => entry.lag)) : null,
    lagging: measured
      .filter((entry) => entry.lag > 0)
      .sort((a, b) => b.lag - a.lag || a.partitionIndex - b.partitionIndex),
  };
}

export function duplicationLagOf(dup: Pick<DuplicationModel, 'progress'>): DuplicationLag {
  return summarizeDuplicationLag(dup.progress);
}

export type LagVerdict =
  | { state: 'caught-up'; summary: string }
  /** Some partition trails by more than the threshold. */
  | { state: 'lagging'; waitingFor: string }
  /** Not every partition can be measured from ZooKeeper: the caller decides (or asks the meta). */
  | { state: 'unknown'; waitingFor: string };

const list = (indexes: readonly number[]) =>
  indexes.length > 8
    ? `${indexes.slice(0, 8).join(', ')} and ${indexes.length - 8} more`
    : indexes.join(', ');

/** Whether every partition trails by at most `maxLag` decrees, and if not, what it is waiting for. */
export function judgeDuplicationLag(lag: DuplicationLag, maxLag: number): LagVerdict {
  const over = lag.lagging.filter((entry) => entry.lag > maxLag);
  if (over.length > 0) {
    const worst = over[0]!;
    return {
      state: 'lagging',
      waitingFor: `${over.length} of ${lag.partitions} partitions trail by more than ${maxLag} decrees (worst: partition ${worst.partitionIndex}, ${worst.lag} behind; ${lag.totalLag} in total)`,
    };
  }
  const unmeasured = [...new Set([...lag.withoutProgress, ...lag.withoutCommitted])].sort((a, b) => a - b);
  if (unmeasured.length > 0) {
    return {
      state: 'unknown',
      waitingFor: `${unmeasured.length} of ${lag.partitions} partitions cannot be measured from ZooKeeper (partitions ${list(unmeasured)}): a progress node appears only once a partition's first mutation is confirmed, so a partition without writes never gets one; check the live figures (meta HTTP /meta/app/duplication or the shell's query_dup -d)`,
    };
  }
  return {
    state: 'caught-up',
    summary: `all ${lag.partitions} partitions within ${maxLag} decrees (max ${lag.maxLag ?? 0}, total ${lag.totalLag ?? 0})${
      lag.ahead.length > 0 ? `; ${lag.ahead.length} confirmed past the committed decree ZooKeeper holds` : ''
    }`,
  };
}
