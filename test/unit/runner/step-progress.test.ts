/** Honest progress for steps: rate from the recent window, no ETA below 1 %, never above 100 %. */
import { describe, expect, it } from 'vitest';
import { RATE_WINDOW_MS, StepProgressMeter } from '../../../electron/runner/step-progress';

function meterAt(start = 1_000_000) {
  let now = start;
  const meter = new StepProgressMeter(() => now);
  return {
    meter,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('StepProgressMeter', () => {
  it('has no rate until there is a window, then the rate over it', () => {
    const { meter, advance } = meterAt();
    const first = meter.update({ done: 0, total: 1000, unit: 'nodes' });
    expect(first.ratePerSec).toBeNull();
    expect(first.etaSeconds).toBeNull();
    advance(1000);
    const second = meter.update({ done: 100, total: 1000, unit: 'nodes' });
    expect(second.ratePerSec).toBe(100);
    expect(second.fraction).toBeCloseTo(0.1);
    expect(second.etaSeconds).toBe(9);
  });

  it('measures the recent window, not the average since the start', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: 100_000, unit: 'nodes' });
    // Fast at first: 1000/s for 20 s ...
    for (let i = 1; i <= 20; i += 1) {
      advance(1000);
      meter.update({ done: i * 1000, total: 100_000, unit: 'nodes' });
    }
    // ... then slow: 10/s for longer than the window.
    let view = meter.update({ done: 20_000, total: 100_000, unit: 'nodes' });
    for (let i = 1; i <= RATE_WINDOW_MS / 1000 + 2; i += 1) {
      advance(1000);
      view = meter.update({ done: 20_000 + i * 10, total: 100_000, unit: 'nodes' });
    }
    expect(view.ratePerSec).toBe(10);
  });

  it('hides the ETA below 1 %', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: 100_000, unit: 'nodes' });
    advance(2000);
    const below = meter.update({ done: 999, total: 100_000, unit: 'nodes' });
    expect(below.ratePerSec).toBeGreaterThan(0);
    expect(below.etaSeconds).toBeNull();
    advance(1000);
    const above = meter.update({ done: 1000, total: 100_000, unit: 'nodes' });
    expect(above.etaSeconds).not.toBeNull();
    expect(above.etaSeconds!).toBeGreaterThan(0);
  });

  it('clamps the fraction to 1 when the work outgrew its total, with an ETA of 0', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: 100, unit: 'nodes' });
    advance(1000);
    const view = meter.update({ done: 116, total: 100, unit: 'nodes' });
    expect(view.fraction).toBe(1);
    expect(view.etaSeconds).toBe(0);
  });

  it('has no fraction or ETA without a total, and never a negative figure', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: null, unit: 'lines' });
    advance(1000);
    const view = meter.update({ done: 50, total: null, unit: 'lines', label: 'reading' });
    expect(view.fraction).toBeNull();
    expect(view.etaSeconds).toBeNull();
    expect(view.total).toBeNull();
    expect(view.ratePerSec).toBe(50);
    expect(view.label).toBe('reading');
    const negative = meter.update({ done: -5, total: 0, unit: 'lines' });
    expect(negative.done).toBe(0);
    expect(negative.total).toBeNull();
  });

  it('starts a new window when the count goes backwards (a new pass)', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: 1000, unit: 'nodes' });
    advance(1000);
    meter.update({ done: 900, total: 1000, unit: 'nodes' });
    advance(100);
    const restarted = meter.update({ done: 10, total: 1000, unit: 'nodes' });
    expect(restarted.ratePerSec).toBeNull();
    advance(1000);
    expect(meter.update({ done: 110, total: 1000, unit: 'nodes' }).ratePerSec).toBe(100);
  });

  it('keeps slow rates instead of rounding them to zero', () => {
    const { meter, advance } = meterAt();
    meter.update({ done: 0, total: 10, unit: 'tables' });
    advance(4000);
    const view = meter.update({ done: 1, total: 10, unit: 'tables' });
    expect(view.ratePerSec).toBe(0.25);
    expect(view.etaSeconds).toBe(36);
  });
});
