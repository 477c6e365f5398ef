/**
 * Progress of a streaming walk whose size nobody knows in advance (ZooKeeper has no subtree count):
 * the rate over the recent window (the copy engine's ProgressMeter), and a total that is either
 * known (a count the operator confirmed, a snapshot's node count) or estimated, from the last
 * capture of the same subtree or, failing that, from the nodes the walk already knows about (visited
 * plus listed but not yet visited: a lower bound that firms up as the walk goes). Events are
 * throttled, so a 100k-node walk sends a few per second, not one per node.
 */
import type { JobProgressEvent } from '../../../shared/api/background-job';
import { ProgressMeter } from '../zk-copy/progress';

export interface WalkProgressOptions {
  phase: string;
  /** An exact total (a confirmed count); wins over any estimate. */
  knownTotal?: number | null;
  /** A total from a previous capture of the same subtree. */
  estimatedTotal?: number | null;
  /** Minimum ms between two events (default 250). */
  intervalMs?: number;
  emit(event: JobProgressEvent): void;
}

export class WalkProgress {
  private readonly meter: ProgressMeter;
  private readonly started = Date.now();
  private last = 0;
  private done = 0;
  private bytes = 0;

  constructor(private readonly options: WalkProgressOptions) {
    this.meter = new ProgressMeter(options.knownTotal ?? null);
  }

  /**
   * Records the counts; emits when the interval passed (or `force`). `pending` is what the walk
   * still knows it has to visit, for the estimate when no total is known.
   */
  update(
    done: number,
    bytes: number,
    extras: { pending?: number; counts?: Record<string, number>; samples?: Record<string, string[]> } = {},
    force = false,
  ): void {
    this.done = done;
    this.bytes = bytes;
    this.meter.update(done, bytes);
    const now = Date.now();
    if (!force && now - this.last < (this.options.intervalMs ?? 250)) return;
    this.last = now;
    const { total, estimate } = this.total(extras.pending);
    this.meter.setTotal(total);
    const snapshot = this.meter.snapshot();
    this.options.emit({
      type: 'progress',
      phase: this.options.phase,
      done,
      total,
      totalIsEstimate: estimate,
      rate: snapshot.rate,
      bytes,
      etaSeconds: snapshot.etaSeconds,
      elapsedMs: now - this.started,
      ...(extras.counts ? { counts: extras.counts } : {}),
      ...(extras.samples ? { samples: extras.samples } : {}),
    });
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  get counted(): { done: number; bytes: number } {
    return { done: this.done, bytes: this.bytes };
  }

  private total(pending: number | undefined): { total: number | null; estimate: boolean } {
    const known = this.options.knownTotal;
    if (known !== undefined && known !== null) return { total: known, estimate: false };
    const previous = this.options.estimatedTotal ?? null;
    const lowerBound = pending !== undefined ? this.done + pending : null;
    if (previous !== null && (lowerBound === null || previous >= lowerBound)) {
      return { total: Math.max(previous, this.done), estimate: true };
    }
    return { total: lowerBound, estimate: lowerBound !== null };
  }
}
