/**
 * Honest progress (migration-practice.md, "what the best tools have", 10): the rate comes from the
 * recent window, not the average since the start; the ETA is hidden below 1 % and without a total;
 * the percentage never goes above 100, and shows 100 only when the phase is actually finished.
 */

export interface ProgressSnapshot {
  done: number;
  total: number | null;
  percent: number | null;
  rate: number;
  bytes: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

interface Sample {
  at: number;
  done: number;
  bytes: number;
}

export class ProgressMeter {
  private samples: Sample[] = [];
  private done = 0;
  private bytes = 0;
  private finished = false;

  constructor(
    private total: number | null = null,
    private readonly windowMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.samples.push({ at: this.now(), done: 0, bytes: 0 });
  }

  /** Sets the absolute counts (done items, bytes) reached so far. */
  update(done: number, bytes: number): void {
    this.done = done;
    this.bytes = bytes;
    const at = this.now();
    // One sample per 100 ms is plenty for a 5 s window, and keeps the array short: the newest sample
    // moves with every update until it is 100 ms past the one before it, then a new one starts. The
    // first sample is never moved: it is where the rate starts from (moving it made a phase shorter
    // than 100 ms report 0/s).
    const samples = this.samples;
    const before = samples.length > 1 ? samples[samples.length - 2] : undefined;
    if (before && at - before.at < 100) {
      const last = samples[samples.length - 1]!;
      last.at = at;
      last.done = done;
      last.bytes = bytes;
    } else {
      samples.push({ at, done, bytes });
    }
    const horizon = at - this.windowMs;
    let drop = 0;
    // Keep one sample at or before the horizon, so the window spans the full length.
    while (drop + 1 < this.samples.length && this.samples[drop + 1]!.at <= horizon) drop += 1;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }

  setTotal(total: number | null): void {
    this.total = total;
  }

  finish(): void {
    this.finished = true;
  }

  snapshot(): ProgressSnapshot {
    const first = this.samples[0]!;
    const last = this.samples[this.samples.length - 1]!;
    const seconds = (last.at - first.at) / 1000;
    const rate = seconds > 0 ? Math.max(0, (last.done - first.done) / seconds) : 0;
    const bytesPerSecond = seconds > 0 ? Math.max(0, (last.bytes - first.bytes) / seconds) : 0;
    let percent: number | null = null;
    let etaSeconds: number | null = null;
    if (this.finished) {
      percent = 100;
      etaSeconds = 0;
    } else if (this.total !== null && this.total > 0) {
      // Below 100 until finished, even when the tree grew beyond the planned total.
      percent = Math.min(99.9, Math.floor((this.done / this.total) * 1000) / 10);
      if (percent >= 1 && rate > 0) etaSeconds = Math.ceil(Math.max(0, this.total - this.done) / rate);
    }
    return {
      done: this.done,
      total: this.total,
      percent,
      rate: Math.round(rate),
      bytes: this.bytes,
      bytesPerSecond: Math.round(bytesPerSecond),
      etaSeconds,
    };
  }
}
