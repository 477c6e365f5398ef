/**
 * Progress of a walk of unknown size: a known total wins, a previous capture's size is the estimate
 * while the walk knows less, the walk's own lower bound (visited + known pending) takes over when it
 * is larger, events are throttled, and a forced event always goes out.
 */
import { describe, expect, it } from 'vitest';
import type { JobProgressEvent } from '../../../shared/api/background-job';
import { WalkProgress } from '../../../electron/engines/snapshots/walk-progress';

function collect(options: {
  knownTotal?: number | null;
  estimatedTotal?: number | null;
  intervalMs?: number;
}) {
  const events: JobProgressEvent[] = [];
  const progress = new WalkProgress({ phase: 'snapshot', ...options, emit: (event) => events.push(event) });
  return { progress, events };
}

describe('walk progress', () => {
  it('uses a known total as exact', () => {
    const { progress, events } = collect({ knownTotal: 1000, intervalMs: 0 });
    progress.update(10, 100, { pending: 5 });
    expect(events[0]).toMatchObject({
      type: 'progress',
      phase: 'snapshot',
      done: 10,
      total: 1000,
      totalIsEstimate: false,
    });
  });

  it("estimates from the previous capture until the walk's own count is larger", () => {
    const { progress, events } = collect({ estimatedTotal: 500, intervalMs: 0 });
    progress.update(100, 0, { pending: 50 });
    expect(events.at(-1)).toMatchObject({ total: 500, totalIsEstimate: true });
    progress.update(400, 0, { pending: 300 });
    expect(events.at(-1)).toMatchObject({ total: 700, totalIsEstimate: true });
  });

  it('falls back to the lower bound, and to no total without one', () => {
    const { progress, events } = collect({ intervalMs: 0 });
    progress.update(5, 0, {});
    expect(events.at(-1)).toMatchObject({ total: null, etaSeconds: null });
    progress.update(20, 0, { pending: 80 });
    expect(events.at(-1)).toMatchObject({ total: 100, totalIsEstimate: true });
  });

  it('throttles events but never drops a forced one', () => {
    const { progress, events } = collect({ knownTotal: 10, intervalMs: 60_000 });
    progress.update(1, 0);
    progress.update(2, 0);
    progress.update(3, 0);
    expect(events).toHaveLength(1);
    progress.update(10, 0, { pending: 0 }, true);
    expect(events).toHaveLength(2);
    expect(events.at(-1)?.done).toBe(10);
  });
});
