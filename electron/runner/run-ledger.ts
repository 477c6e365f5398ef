/**
 * Every state change of a run or step, and nothing else: checked against run-transitions.ts, written
 * to the store in one transaction with its audit event (target `run:<id>`, action `run.<verb>` or
 * `step.<verb>`, detail with the step index and id, from and to), then announced so live views
 * update. The runner and the step execution both change states only through here.
 */
import type { RunState, StepState } from '../../shared/api/runs';
import type { RunRecord } from '../store/runs-repo';
import type { JsonObject, Store } from '../store/types';
import { assertRunTransition, assertStepTransition } from './run-transitions';
import { RunRefusal } from './runner-errors';
import { asJson, type RunDetail, runDetailOf, type StepRecord, stepRecordOf } from './step-record';

export type StepVerb =
  | 'started'
  | 'succeeded'
  | 'failed'
  | 'waiting'
  | 'skipped'
  | 'retried'
  | 'reset'
  | 'acknowledged'
  | 'confirmed'
  | 'recovered';

export type RunVerb = 'started' | 'paused' | 'resumed' | 'failed' | 'completed' | 'aborted';

export interface StepChanges {
  record?: Partial<StepRecord>;
  attempts?: number;
  startedAt?: number | null;
  endedAt?: number | null;
  note?: string | null;
  skipReason?: string | null;
  /** More for the audit event (why: 'paused', 'restart'...). */
  detail?: JsonObject;
}

export interface RunLedgerHooks {
  /** Before a change: the output printed so far is stored first, so the report's order is true. */
  beforeChange(runId: string): void;
  /** After a change: live views get the new state. */
  changed(runId: string): void;
}

export class RunLedger {
  constructor(
    private readonly store: Store,
    private readonly actor: string,
    private readonly hooks: RunLedgerHooks,
  ) {}

  requireRun(runId: string): RunRecord {
    const run = this.store.runs.get(runId);
    if (!run) {
      throw new RunRefusal(
        `No run with id '${runId}' in this store (check the id, or the --data-dir)`,
        'not-found',
        'runId',
      );
    }
    return run;
  }

  stepTo(runId: string, index: number, to: StepState, verb: StepVerb, changes: StepChanges = {}): void {
    this.hooks.beforeChange(runId);
    this.store.transaction(() => {
      const step = this.store.runs.step(runId, index);
      if (!step) throw new RunRefusal(`Run ${runId} has no step ${index + 1}`, 'not-found');
      const from = step.state as StepState;
      assertStepTransition(from, to);
      const record = { ...stepRecordOf(step.record), ...(changes.record ?? {}) };
      this.store.runs.updateStep(runId, index, {
        state: to,
        record: asJson(record),
        ...(changes.attempts !== undefined ? { attempts: changes.attempts } : {}),
        ...(changes.startedAt !== undefined ? { startedAt: changes.startedAt } : {}),
        ...(changes.endedAt !== undefined ? { endedAt: changes.endedAt } : {}),
        ...(changes.note !== undefined ? { note: changes.note } : {}),
        ...(changes.skipReason !== undefined ? { skipReason: changes.skipReason } : {}),
      });
      const ended = to === 'succeeded' || to === 'failed' || to === 'waiting-for-operator';
      this.audit(runId, `step.${verb}`, {
        stepIndex: index,
        stepId: step.stepId,
        from,
        to,
        attempt: changes.attempts ?? step.attempts,
        ...(record.outcome && ended
          ? { outcome: record.outcome.status, summary: record.outcome.summary }
          : {}),
        ...(to === 'waiting-for-operator' && record.awaiting ? { awaiting: record.awaiting.kind } : {}),
        ...(changes.note ? { note: changes.note } : {}),
        ...(changes.skipReason ? { reason: changes.skipReason } : {}),
        ...(record.confirmed?.text && verb === 'confirmed' ? { text: record.confirmed.text } : {}),
        ...(changes.detail ?? {}),
      });
    });
    this.hooks.changed(runId);
  }

  runTo(
    runId: string,
    to: RunState,
    verb: RunVerb,
    changes: { startedAt?: number; endedAt?: number; message?: string | null } = {},
    extra: JsonObject = {},
  ): void {
    this.store.transaction(() => {
      const run = this.requireRun(runId);
      const from = run.state as RunState;
      assertRunTransition(from, to);
      const detail = runDetailOf(run.detail);
      this.store.runs.update(runId, {
        state: to,
        ...(changes.startedAt !== undefined && run.startedAt === null
          ? { startedAt: changes.startedAt }
          : {}),
        ...(changes.endedAt !== undefined ? { endedAt: changes.endedAt } : {}),
        ...(changes.message !== undefined ? { detail: asJson({ ...detail, message: changes.message }) } : {}),
      });
      this.audit(runId, `run.${verb}`, {
        from,
        to,
        ...(run.currentStep !== null ? { stepIndex: run.currentStep } : {}),
        ...(changes.message ? { message: changes.message } : {}),
        ...extra,
      });
    });
    this.hooks.changed(runId);
  }

  /** Bookkeeping inside a step's record that is not a state change (progress, what a wait waits for). */
  patchRecord(runId: string, index: number, patch: Partial<StepRecord>): void {
    const step = this.store.runs.step(runId, index);
    if (!step) return;
    this.store.runs.updateStep(runId, index, { record: asJson({ ...stepRecordOf(step.record), ...patch }) });
  }

  updateDetail(runId: string, patch: Partial<RunDetail>): void {
    const run = this.requireRun(runId);
    this.store.runs.update(runId, { detail: asJson({ ...runDetailOf(run.detail), ...patch }) });
  }

  /** An audit event that is not a transition (a refused confirmation, a rollback, a recovery). */
  audit(runId: string, action: string, detail: Record<string, unknown>): void {
    this.store.events.append({ actor: this.actor, action, target: `run:${runId}`, detail });
  }
}
