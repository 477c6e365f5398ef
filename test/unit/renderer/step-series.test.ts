/**
 * The run view's chart and reconciliation-pass rules: the live series first, a finished copy's
 * samples otherwise; a pass's figures checked and turned into the note the host parses.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPass,
  formatPercent,
  recordedPasses,
  reconcileThresholdOf,
} from '../../../renderer/src/features/runbooks/reconcile-pass';
import { stepSeries } from '../../../renderer/src/features/runbooks/step-series';
import type { StepProgressView } from '../../../shared/api/runs';

const progress = (points: { t: number; v: number }[]): StepProgressView => ({
  done: 1,
  total: 4,
  unit: 'splits',
  ratePerSec: null,
  etaSeconds: null,
  fraction: 0.25,
  series: { label: 'rows per second', unit: 'rows/s', tUnit: 's', points },
});

describe('stepSeries', () => {
  it('prefers the live series the host streams', () => {
    const series = stepSeries({ progress: progress([{ t: 1, v: 900 }]), result: { samples: [] } });
    expect(series?.points).toEqual([{ t: 1, v: 900 }]);
  });

  it('falls back to the per-second samples of a finished copy', () => {
    const series = stepSeries({
      progress: null,
      result: {
        samples: [
          { s: 1, rows: 1000, delta: 1000 },
          { s: 2, rows: 2500, delta: 1500 },
        ],
      },
    });
    expect(series).toEqual({
      label: 'rows per second',
      unit: 'rows/s',
      tUnit: 's',
      points: [
        { t: 1, v: 1000 },
        { t: 2, v: 1500 },
      ],
    });
  });

  it('has no chart for a step without points or with samples of another shape', () => {
    expect(stepSeries({ progress: progress([]), result: null })).toBeNull();
    expect(stepSeries({ progress: null, result: { samples: [{ at: 1 }] } })).toBeNull();
    expect(stepSeries({ progress: null, result: { totalRows: 5 } })).toBeNull();
  });
});

describe('reconciliation pass', () => {
  it('applies to the dual-write reconcile step only, with the run threshold or the default', () => {
    const run = { runbookId: 'table-dual-write-bulkload', params: { maxMismatchPpm: 50 } };
    expect(reconcileThresholdOf(run, { id: 'reconcile' })).toBe(50);
    expect(reconcileThresholdOf({ ...run, params: {} }, { id: 'reconcile' })).toBe(10);
    expect(reconcileThresholdOf(run, { id: 'flip-reads' })).toBeNull();
    expect(reconcileThresholdOf({ ...run, runbookId: 'table-copy-data' }, { id: 'reconcile' })).toBeNull();
  });

  it('computes consistency against the threshold and writes the note the host parses', () => {
    const over = checkPass({ compared: '1,000,000', mismatched: '120', repaired: '120' }, 10);
    expect(over).toMatchObject({ ok: true, underThreshold: false, ppm: 120 });
    expect(over.ok && formatPercent(over.consistencyPercent)).toBe('99.988 %');
    expect(over.ok && over.note).toBe('compared=1000000 mismatched=120 repaired=120');
    const under = checkPass({ compared: '1000000', mismatched: '5', repaired: '5' }, 10, ' job #2 ');
    expect(under).toMatchObject({ ok: true, underThreshold: true });
    expect(under.ok && under.note).toBe('compared=1000000 mismatched=5 repaired=5; job #2');
    expect(under.ok && formatPercent(under.consistencyPercent)).toBe('99.9995 %');
  });

  it('refuses figures that cannot be a pass, saying which', () => {
    expect(checkPass({ compared: '', mismatched: '1', repaired: '1' }, 10)).toEqual({
      ok: false,
      problem: 'Enter the three figures as whole numbers of rows',
    });
    expect(checkPass({ compared: '0', mismatched: '0', repaired: '0' }, 10)).toMatchObject({
      problem: 'Compared is 0: a pass must compare rows',
    });
    expect(checkPass({ compared: '10', mismatched: '11', repaired: '0' }, 10)).toMatchObject({
      problem: 'Mismatched (11) is more than compared (10)',
    });
    expect(checkPass({ compared: '10', mismatched: '1', repaired: '2' }, 10)).toMatchObject({
      problem: 'Repaired (2) is more than mismatched (1)',
    });
    expect(checkPass({ compared: '1e6', mismatched: '1', repaired: '1' }, 10).ok).toBe(false);
  });

  it('reads the recorded passes from the step result, ignoring malformed entries', () => {
    const pass = { pass: 1, compared: 10, mismatched: 1, repaired: 1, consistencyPercent: 90 };
    expect(recordedPasses({ result: { passes: [pass, { pass: 'x' }] } })).toEqual([pass]);
    expect(recordedPasses({ result: null })).toEqual([]);
  });
});
