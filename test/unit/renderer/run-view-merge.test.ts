/**
 * How the run view folds the host's answers and stream together: an older view never replaces a
 * newer one, output lines arrive once each in print order whatever the mix of live lines and pages
 * (a reconnect reads the tail again), the kept window is bounded, and progress patches one step.
 */
import { describe, expect, it } from 'vitest';
import type { RunOutputLine, RunView, StepView } from '../../../shared/api/run-views';
import { applyProgress, mergeOutput, newer } from '../../../renderer/src/stores/run-view-merge';

function line(seq: number): RunOutputLine {
  return { runId: 'r1', index: 0, seq, at: 1000 + seq, stream: 'log', line: `line ${seq}` };
}

function run(updatedAt: number, steps: Partial<StepView>[] = []): RunView {
  return { id: 'r1', updatedAt, steps } as unknown as RunView;
}

describe('newer', () => {
  it('keeps the view the host wrote last', () => {
    const known = run(200);
    expect(newer(known, run(100))).toBe(known);
    const incoming = run(300);
    expect(newer(known, incoming)).toBe(incoming);
    expect(newer(null, incoming)).toBe(incoming);
  });
});

describe('mergeOutput', () => {
  it('appends live lines', () => {
    expect(mergeOutput([line(1), line(2)], [line(3)]).map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('takes a page that overlaps what is held once per line, in print order', () => {
    const merged = mergeOutput([line(1), line(3), line(4)], [line(2), line(3), line(4), line(5)]);
    expect(merged.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps only the newest lines', () => {
    const many = Array.from({ length: 10 }, (_, i) => line(i + 1));
    expect(mergeOutput([], many, 4).map((l) => l.seq)).toEqual([7, 8, 9, 10]);
  });

  it('returns what it held when nothing came', () => {
    const known = [line(1)];
    expect(mergeOutput(known, [])).toBe(known);
  });
});

describe('applyProgress', () => {
  it('patches the progress and the wait of one step only', () => {
    const before = run(1, [
      { index: 0, progress: null, waitingFor: null },
      { index: 1, progress: null, waitingFor: null },
    ]);
    const progress = {
      done: 5,
      total: 10,
      unit: 'nodes',
      ratePerSec: 2,
      etaSeconds: 2.5,
      fraction: 0.5,
    };
    const after = applyProgress(before, { runId: 'r1', index: 1, progress, waitingFor: 'a lock node' });
    expect(after.steps[1]).toMatchObject({ progress, waitingFor: 'a lock node' });
    expect(after.steps[0]).toBe(before.steps[0]);
    expect(before.steps[1]?.progress).toBeNull();
  });
});
