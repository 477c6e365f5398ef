/**
 * The link between a phase and its run: the phase says how far it got, the run turns that into a
 * ProgressEvent (with the run id, state, phase) that is emitted to subscribers and saved with the
 * checkpoint. Emission is throttled here, so phases can report after every item.
 */
import { ProgressMeter } from './progress';
import type { ProgressCounts, ProgressEvent } from './types';

export type PhaseProgress = Pick<
  ProgressEvent,
  'done' | 'total' | 'percent' | 'rate' | 'bytes' | 'bytesPerSecond' | 'etaSeconds' | 'counts' | 'message'
>;

/** Builds the run's event from a phase's progress (and emits it). */
export type ProgressSink = (progress: PhaseProgress) => ProgressEvent;

export class PhaseProgressReporter {
  private readonly meter: ProgressMeter;
  private lastEmit = 0;
  private message: string | undefined;
  private latest: ProgressEvent | undefined;

  constructor(
    private readonly sink: ProgressSink | undefined,
    total: number | null,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {
    this.meter = new ProgressMeter(total, 5000, now);
  }

  setMessage(message: string | null): void {
    this.message = message ?? undefined;
  }

  /** Once the phase knows how much it will do (e.g. after counting). */
  setTotal(total: number | null): void {
    this.meter.setTotal(total);
  }

  /**
   * Records how far the phase got; emits when the interval passed (or `force`) and returns the latest
   * event. `counts` is only called when emitting, so calling this for every item costs nothing.
   */
  update(
    done: number,
    bytes: number,
    counts: () => ProgressCounts,
    force = false,
  ): ProgressEvent | undefined {
    const at = this.now();
    if (!force && at - this.lastEmit < this.intervalMs) return this.latest;
    this.meter.update(done, bytes);
    this.lastEmit = at;
    return this.emit(counts());
  }

  finish(done: number, bytes: number, counts: ProgressCounts): ProgressEvent | undefined {
    this.meter.update(done, bytes);
    this.meter.finish();
    this.message = undefined;
    return this.emit(counts);
  }

  private emit(counts: ProgressCounts): ProgressEvent | undefined {
    if (!this.sink) return undefined;
    const snapshot = this.meter.snapshot();
    const progress: PhaseProgress = { ...snapshot, counts };
    if (this.message) progress.message = this.message;
    this.latest = this.sink(progress);
    return this.latest;
  }
}
