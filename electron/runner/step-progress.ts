/**
 * A step's progress as the run view shows it (migration-practice.md, "honest progress"): the rate
 * over the recent window, not since the start; no ETA below 1 % or without a total; never above
 * 100 %. The copy engine's ProgressMeter follows the same rules but rounds rates to whole items per
 * second, which reads as 0/s for the slow units steps count in (tables, partitions, meta servers).
 */
import type { StepProgressView } from '../../shared/api/runs';
import { ProgressSeriesBuffer } from './progress-series';
import type { StepProgress } from './runbook-definition';

interface Sample {
  at: number;
  done: number;
}

/** The window the rate is measured over. */
export const RATE_WINDOW_MS = 10_000;
/** Shorter than this, a window says more about timer jitter than about the rate. */
const MIN_WINDOW_MS = 500;
/** ETA is hidden below this fraction: early rates are too noisy to promise anything. */
export const MIN_ETA_FRACTION = 0.01;

export class StepProgressMeter {
  private samples: Sample[] = [];
  private latest: StepProgressView | null = null;
  /** The step's chart, when it reports points; one per attempt, like the meter. */
  private series: ProgressSeriesBuffer | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Records where the step is and returns the view with rate and ETA. */
  update(progress: StepProgress): StepProgressView {
    const at = this.now();
    const done = Number.isFinite(progress.done) ? Math.max(0, progress.done) : 0;
    const last = this.samples[this.samples.length - 1];
    // A count going backwards is a new pass (a reconcile, a retried phase): the old window lies.
    if (last && done < last.done) this.samples = [];
    const tail = this.samples[this.samples.length - 1];
    if (tail && at - tail.at < 100) tail.done = done;
    else this.samples.push({ at, done });
    const horizon = at - this.windowMs;
    let drop = 0;
    // Keep one sample at or before the horizon, so the window spans its full length.
    while (drop + 1 < this.samples.length && this.samples[drop + 1]!.at <= horizon) drop += 1;
    if (drop > 0) this.samples = this.samples.slice(drop);

    const total =
      progress.total !== null && Number.isFinite(progress.total) && progress.total > 0
        ? progress.total
        : null;
    const first = this.samples[0]!;
    const newest = this.samples[this.samples.length - 1]!;
    const span = newest.at - first.at;
    const ratePerSec = span >= MIN_WINDOW_MS ? Math.max(0, ((newest.done - first.done) * 1000) / span) : null;
    const fraction = total === null ? null : Math.min(1, done / total);
    let etaSeconds: number | null = null;
    if (fraction !== null && total !== null && fraction >= MIN_ETA_FRACTION && ratePerSec && ratePerSec > 0) {
      etaSeconds = fraction >= 1 ? 0 : Math.max(0, Math.ceil((total - done) / ratePerSec));
    }
    const view: StepProgressView = {
      done,
      total,
      unit: progress.unit,
      ratePerSec: ratePerSec === null ? null : Math.round(ratePerSec * 100) / 100,
      etaSeconds,
      fraction,
    };
    if (progress.label !== undefined) view.label = progress.label;
    if (progress.point) {
      this.series ??= new ProgressSeriesBuffer();
      this.series.add(progress.point);
    }
    const series = this.series?.view();
    if (series) view.series = series;
    this.latest = view;
    return view;
  }

  get current(): StepProgressView | null {
    return this.latest;
  }
}
