/**
 * The dual-write runbook's reconciliation pass as the operator enters it: three figures from the
 * reconciliation job, the consistency they mean against the run's threshold before confirming, and
 * the note the host parses ("compared=N mismatched=N repaired=N"; electron/runbooks/
 * table-dual-write-bulkload/reconcile-steps.ts). The host checks the figures again; these checks
 * only spare the operator a failed pass for a typo. Pure, so it is unit-tested.
 */
import type { RunView, StepView } from '../../../../shared/api/run-views';

/** The steps that take a reconciliation pass in their note, by runbook. */
const PASS_STEPS: Record<string, string> = { 'table-dual-write-bulkload': 'reconcile' };

/** Pinterest's bar and the runbook's default: 10 mismatched rows per million compared. */
const DEFAULT_THRESHOLD_PPM = 10;

/** The threshold (ppm) when this step takes a pass in its note, else null. */
export function reconcileThresholdOf(run: Pick<RunView, 'runbookId' | 'params'>, step: Pick<StepView, 'id'>) {
  if (PASS_STEPS[run.runbookId] !== step.id) return null;
  const threshold = Number(run.params.maxMismatchPpm);
  return Number.isFinite(threshold) && threshold >= 0 ? threshold : DEFAULT_THRESHOLD_PPM;
}

export interface PassFigures {
  compared: string;
  mismatched: string;
  repaired: string;
}

export type PassCheck =
  | { ok: false; problem: string }
  | {
      ok: true;
      /** (compared - mismatched) / compared, in percent. */
      consistencyPercent: number;
      ppm: number;
      underThreshold: boolean;
      /** What goes into the step's note. */
      note: string;
    };

function rows(text: string): number | null {
  const cleaned = text.replace(/[,_\s]/g, '');
  return /^\d+$/.test(cleaned) ? Number(cleaned) : null;
}

export function checkPass(figures: PassFigures, thresholdPpm: number, remark = ''): PassCheck {
  const compared = rows(figures.compared);
  const mismatched = rows(figures.mismatched);
  const repaired = rows(figures.repaired);
  if (compared === null || mismatched === null || repaired === null) {
    return { ok: false, problem: 'Enter the three figures as whole numbers of rows' };
  }
  if (compared === 0) return { ok: false, problem: 'Compared is 0: a pass must compare rows' };
  if (mismatched > compared) {
    return { ok: false, problem: `Mismatched (${mismatched}) is more than compared (${compared})` };
  }
  if (repaired > mismatched) {
    return { ok: false, problem: `Repaired (${repaired}) is more than mismatched (${mismatched})` };
  }
  const ppm = (mismatched / compared) * 1_000_000;
  const extra = remark.trim();
  return {
    ok: true,
    consistencyPercent: ((compared - mismatched) / compared) * 100,
    ppm,
    underThreshold: ppm <= thresholdPpm,
    note: `compared=${compared} mismatched=${mismatched} repaired=${repaired}${extra ? `; ${extra}` : ''}`,
  };
}

/** "99.9995 %": as many decimals as it takes, at most four (as the host's summary writes it). */
export function formatPercent(value: number): string {
  return `${value.toFixed(4).replace(/\.?0+$/, '')} %`;
}

export interface RecordedPass {
  pass: number;
  compared: number;
  mismatched: number;
  repaired: number;
  consistencyPercent: number;
}

/** The passes recorded so far, from the step's result (the host keeps every pass, not only the last). */
export function recordedPasses(step: Pick<StepView, 'result'>): RecordedPass[] {
  const passes = (step.result as { passes?: unknown } | null)?.passes;
  if (!Array.isArray(passes)) return [];
  return passes.filter(
    (pass): pass is RecordedPass =>
      typeof pass === 'object' &&
      pass !== null &&
      ['pass', 'compared', 'mismatched', 'repaired', 'consistencyPercent'].every(
        (key) => typeof (pass as Record<string, unknown>)[key] === 'number',
      ),
  );
}
