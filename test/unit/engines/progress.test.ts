import { describe, expect, it } from 'vitest';
import { PhaseProgressReporter } from '../../../electron/engines/zk-copy/phase-progress';
import { ProgressMeter } from '../../../electron/engines/zk-copy/progress';
import { fakeClock } from '../../setup/fake-clock';

describe('ProgressMeter', () => {
  it('measures the rate over the recent window, not since the start', () => {
    const time = fakeClock();
    const meter = new ProgressMeter(100_000, 5000, time.now);
    // 10 s slow, then 5 s fast: the rate is the fast one.
    for (let s = 1; s <= 10; s += 1) {
      time.advance(1000);
      meter.update(s * 100, 0);
    }
    for (let s = 1; s <= 5; s += 1) {
      time.advance(1000);
      meter.update(1000 + s * 10_000, 0);
    }
    expect(meter.snapshot().rate).toBe(10_000);
  });

  it('gives a phase shorter than one sample interval its rate from the start (not 0/s)', () => {
    const time = fakeClock();
    const meter = new ProgressMeter(23, 5000, time.now);
    time.advance(40);
    meter.update(10, 100);
    time.advance(40);
    meter.update(23, 230);
    meter.finish();
    // 23 items in 80 ms: the first sample (0 at the start) is kept as the rate's base.
    expect(meter.snapshot()).toMatchObject({ rate: 288, bytesPerSecond: 2875, percent: 100 });
  });

  it('hides the ETA below 1 % and without a total, and shows it above', () => {
    const time = fakeClock();
    const meter = new ProgressMeter(100_000, 5000, time.now);
    time.advance(1000);
    meter.update(500, 0);
    expect(meter.snapshot()).toMatchObject({ percent: 0.5, etaSeconds: null });
    time.advance(1000);
    meter.update(1500, 0);
    expect(meter.snapshot()).toMatchObject({ percent: 1.5, etaSeconds: Math.ceil(98_500 / 750) });
    const unknown = new ProgressMeter(null, 5000, time.now);
    time.advance(1000);
    unknown.update(10, 0);
    expect(unknown.snapshot()).toMatchObject({ percent: null, etaSeconds: null });
  });

  it('never shows more than 100 %, and 100 only once finished', () => {
    const time = fakeClock();
    const meter = new ProgressMeter(100, 5000, time.now);
    time.advance(1000);
    meter.update(130, 0);
    expect(meter.snapshot().percent).toBe(99.9);
    meter.finish();
    expect(meter.snapshot()).toMatchObject({ percent: 100, etaSeconds: 0 });
  });
});

describe('PhaseProgressReporter', () => {
  it('throttles events, and always emits when forced and at the end', () => {
    const time = fakeClock();
    const events: number[] = [];
    const reporter = new PhaseProgressReporter(
      (progress) => {
        events.push(progress.done);
        return { ...progress, runId: 'r', kind: 'zk-copy', state: 'running', phase: 'copy', at: time.now() };
      },
      10,
      250,
      time.now,
    );
    reporter.update(1, 0, () => ({}));
    reporter.update(2, 0, () => ({}));
    time.advance(300);
    reporter.update(3, 0, () => ({}));
    reporter.update(4, 0, () => ({}), true);
    reporter.finish(10, 0, {});
    expect(events).toEqual([1, 3, 4, 10]);
  });
});
