/**
 * What the engine-driven steps of subtree-migration and zk-migration-copy share once the engine run
 * has its parameters: the plan's dry run, continuing the planned copy, the copy's outcome, and the
 * validation's compare-then-reconcile loop. One copy of this logic keeps the two runbooks from
 * drifting apart; the words that name the two sides (source/target, old/new ensemble) stay with
 * each runbook.
 */
import {
  type CopyCounts,
  type CopyParams,
  type PlanReport,
  type RunView as EngineRunView,
  type VerifyReport,
  verifyDifferences,
} from '../../engines/zk-copy/types';
import type { StepContext, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { continueEngineCopy, engineError, followEngineRun } from './engine-bridge';

const number = new Intl.NumberFormat('en-US');

/**
 * The dry run: one engine run created and planned, whose id the copy step later continues. Null
 * when the step was stopped before the plan was finished (the engine run is then cancelled).
 */
export async function planEngineCopy<P extends JsonObject>(
  ctx: StepContext<P>,
  params: CopyParams,
  describe: (engineRunId: string) => string,
): Promise<{ engineRunId: string; plan: PlanReport } | null> {
  const engine = ctx.services.copyEngine;
  const view = engine.create('zk-copy', params);
  ctx.log(describe(view.id));
  let plan: PlanReport | null = null;
  const final = await followEngineRun(
    ctx,
    view.id,
    async () => {
      plan = await engine.plan(view.id);
      return engine.get(view.id);
    },
    { onStop: 'cancel' },
  );
  const report = plan as PlanReport | null;
  if (!final || !report) return null;
  return { engineRunId: view.id, plan: report };
}

/** The copy step's postcondition: done once the planned engine run completed. */
export function engineRunCompleted<P extends JsonObject>(
  ctx: StepContext<P>,
  engineRunId: string | null | undefined,
): 'done' | 'not-done' {
  if (!engineRunId) return 'not-done';
  try {
    return ctx.services.copyEngine.get(engineRunId).state === 'completed' ? 'done' : 'not-done';
  } catch {
    return 'not-done';
  }
}

/**
 * The copy step's engine run continued to its end (see continueEngineCopy), or the failed outcome
 * when it was cancelled, stopped, or did not complete.
 */
export async function continuePlannedCopy<P extends JsonObject>(
  ctx: StepContext<P>,
  engineRunId: string,
  mirrorConfirmed: boolean,
): Promise<{ ok: true; final: EngineRunView } | { ok: false; outcome: StepOutcome }> {
  const view = ctx.services.copyEngine.get(engineRunId);
  if (view.state === 'cancelled') {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The engine run ${engineRunId.slice(0, 8)} was cancelled`,
        hint: 'Abort this run and start a new one.',
      },
    };
  }
  const final = await continueEngineCopy(ctx, view, mirrorConfirmed);
  if (!final) {
    return {
      ok: false,
      outcome: { status: 'failed', summary: 'Stopped; the engine run is paused at its checkpoint' },
    };
  }
  if (final.state !== 'completed') return { ok: false, outcome: { status: 'failed', ...engineError(final) } };
  return { ok: true, final };
}

/** The engine's copy counts named by `keys`, in that order, each 0 when the engine reported none. */
export function copyCountsOf<K extends keyof CopyCounts>(
  counts: CopyCounts | undefined,
  keys: readonly K[],
): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, counts?.[key] ?? 0])) as Record<K, number>;
}

/** The copy step's counts as its result holds them: at least these, each 0 when the engine has none. */
export type CopiedResult = JsonObject &
  Record<'created' | 'updated' | 'deleted' | 'unchanged' | 'bytes' | 'errors', number>;

/** The copy step's outcome: failed while any node failed (a retry continues the copy). */
export function copiedOutcome(result: CopiedResult): StepOutcome {
  const summary =
    `Copied: ${number.format(result.created)} created, ${number.format(result.updated)} updated, ` +
    `${number.format(result.deleted)} deleted, ${number.format(result.unchanged)} unchanged, ` +
    `${number.format(result.bytes)} bytes`;
  if (result.errors > 0) {
    return {
      status: 'failed',
      summary: `${summary}; ${result.errors} nodes failed`,
      hint: 'See the engine run report for the paths; fix the cause and retry (the copy continues).',
      result,
    };
  }
  return { status: 'succeeded', summary, result };
}

/** How the two sides are named in a comparison's summary, e.g. 'the source' / 'the target'. */
export interface SideNames {
  source: string;
  target: string;
}

export function verifySummary(report: VerifyReport, sides: SideNames): string {
  const c = report.counts;
  return (
    `${number.format(c.compared)} compared: ${number.format(c.matching)} matching, ${c.mismatched} data mismatched, ` +
    `${c.aclMismatched} ACL mismatched, ${c.extraSource} only on ${sides.source}, ${c.extraTarget} only on ${sides.target}, ` +
    `${c.unreadable} unreadable`
  );
}

/** A comparison's report as a step result, with what the step adds (passes, engine run ids). */
export function verifyResult(report: VerifyReport, extra: JsonObject = {}): JsonObject {
  return {
    ...report.counts,
    differences: verifyDifferences(report.counts),
    checkedAt: report.checkedAt,
    samples: report.samples,
    ...extra,
  };
}

/** "mismatched: /a, /b; extraTarget: /c": up to five sample paths of each category that has any. */
export function sampleList(report: VerifyReport): string {
  return Object.entries(report.samples)
    .filter(([, paths]) => paths.length > 0)
    .map(([category, paths]) => `${category}: ${paths.slice(0, 5).join(', ')}`)
    .join('; ');
}

export interface ReconcileLoop {
  /** The first comparison (a zk-diff run). */
  compare(): Promise<EngineRunView | null>;
  /** One pass that copies the differences again and compares (a zk-copy run with verify). */
  reconcile(): Promise<EngineRunView | null>;
  passLimit: number;
  /** The log line of a pass about to run. */
  passLog(pass: number, differences: number): string;
  /** The failed summary when the step was stopped during a pass. */
  stoppedDuring(pass: number): string;
  sides: SideNames;
}

/**
 * Compares, then copies the differences again and compares, up to the pass limit or until nothing
 * differs. Returns the last report and every engine run it made, or the failed outcome of a
 * comparison that was stopped or did not complete.
 */
export async function compareAndReconcile<P extends JsonObject>(
  ctx: StepContext<P>,
  loop: ReconcileLoop,
): Promise<{ ok: true; report: VerifyReport; engineRunIds: string[] } | { ok: false; outcome: StepOutcome }> {
  const engineRunIds: string[] = [];
  const first = await loop.compare();
  if (!first)
    return { ok: false, outcome: { status: 'failed', summary: 'Stopped before the comparison finished' } };
  engineRunIds.push(first.id);
  if (first.state !== 'completed' || !first.result?.verify)
    return { ok: false, outcome: { status: 'failed', ...engineError(first) } };
  let report = first.result.verify;
  ctx.log(verifySummary(report, loop.sides));
  for (let pass = 1; pass <= loop.passLimit && verifyDifferences(report.counts) > 0; pass += 1) {
    ctx.log(loop.passLog(pass, verifyDifferences(report.counts)));
    const fix = await loop.reconcile();
    if (!fix) return { ok: false, outcome: { status: 'failed', summary: loop.stoppedDuring(pass) } };
    engineRunIds.push(fix.id);
    if (fix.state !== 'completed' || !fix.result?.verify)
      return { ok: false, outcome: { status: 'failed', ...engineError(fix) } };
    report = fix.result.verify;
    ctx.log(verifySummary(report, loop.sides));
  }
  return { ok: true, report, engineRunIds };
}
