/**
 * Which chart a step shows: the live series the host streams with its progress (bounded there), or,
 * for a finished copy_data step recorded without one, the per-second samples kept in its result.
 * Pure, so the choice is unit-tested.
 */
import type { StepView } from '../../../../shared/api/run-views';
import type { ProgressSeries } from '../../../../shared/api/runs';

interface CopySample {
  s: number;
  delta: number;
}

function isCopySample(value: unknown): value is CopySample {
  const sample = value as Partial<CopySample> | null;
  return typeof sample?.s === 'number' && typeof sample.delta === 'number';
}

/** The step's chart, or null when it has none (most steps). */
export function stepSeries(step: Pick<StepView, 'progress' | 'result'>): ProgressSeries | null {
  const live = step.progress?.series;
  if (live && live.points.length > 0) return live;
  const samples = (step.result as { samples?: unknown } | null)?.samples;
  if (Array.isArray(samples) && samples.length > 0 && samples.every(isCopySample)) {
    return {
      label: 'rows per second',
      unit: 'rows/s',
      tUnit: 's',
      points: samples.map((sample) => ({ t: sample.s, v: sample.delta })),
    };
  }
  return null;
}
