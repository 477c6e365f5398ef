/**
 * What the runner keeps per step (the JSON in run_steps.result) and per run (runs.detail), beside
 * the columns. The step's static text (why, severity) is copied in when the run is created, so the
 * report of an old run still explains its steps after the runbook changed. Everything here is plain
 * JSON and passes the store's secret check.
 */
import type { RunRollbackView, StepAwaiting, StepOutcomeView } from '../../shared/api/run-views';
import type { GeneratedCommand, PrecheckSeverity, StepProgressView } from '../../shared/api/runs';
import type { JsonObject } from '../store/types';

export interface StepRecord {
  why: string;
  severity?: PrecheckSeverity;
  rollbackLabel?: string;
  /** StepOutcome.result: what later steps get in ctx.results. */
  result?: JsonObject | null;
  outcome?: StepOutcomeView | null;
  awaiting?: StepAwaiting | null;
  commands?: GeneratedCommand[];
  /** Why the step fell back to manual (outcome 'manual'). */
  manualReason?: string | null;
  /** The step is manual because its automation said so, not by kind: a confirmation completes it. */
  fallback?: boolean;
  /** The operator's confirmation (manual steps, gates, interrupted steps). */
  confirmed?: { note: string | null; text: string | null; at: number; by: string } | null;
  /** Confirmed, and the step's own check has yet to run (manual steps and gates with execute). */
  checkPending?: boolean;
  waitingFor?: string | null;
  progress?: StepProgressView | null;
  /** Output lines not stored because the step printed more than the cap. */
  outputDropped?: number;
}

export interface RunLease {
  pid: number;
  host: string;
  at: number;
}

/** A rollback as the run detail keeps it: what the view shows, and who started it. */
export interface RollbackRecord extends RunRollbackView {
  by: string;
}

export interface RunDetail {
  /** Created to check only: pause before this step index once, when the prechecks are done. */
  holdBefore?: number | null;
  precheckOnly?: boolean;
  /** The process that drives the run; another live process on this machine must not. */
  lease?: RunLease | null;
  /** Why the run stands where it stands, for the view and the CLI. */
  message?: string | null;
  rollbacks?: RollbackRecord[];
}

export function stepRecordOf(record: JsonObject | null): StepRecord {
  return (record ?? { why: '' }) as unknown as StepRecord;
}

export function runDetailOf(detail: JsonObject | null): RunDetail {
  return (detail ?? {}) as RunDetail;
}

export function asJson(value: StepRecord | RunDetail): JsonObject {
  return value as unknown as JsonObject;
}
