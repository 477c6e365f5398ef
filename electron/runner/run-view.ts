/**
 * Builds what the API and the CLI show from what the store keeps: a run with its steps, the message
 * that says why it stands where it stands, and the controls that apply (run-transitions.ts decides
 * those). Pure: the runner hands in the records and what only it knows (who drives the run, whether
 * something is in progress).
 */
import type { RunRollbackView, RunSummary, RunView, StepView } from '../../shared/api/run-views';
import type { RunState, StepKind, StepState } from '../../shared/api/runs';
import type { RunRecord, RunStepRecord } from '../store/runs-repo';
import { allowedActions } from './run-transitions';
import { type RunDetail, runDetailOf, stepRecordOf } from './step-record';

export interface LiveFacts {
  /** The process driving the run, if one is alive. */
  driver: { pid: number; host: string; self: boolean } | null;
  /** This process is in the middle of something for the run (a pause settling, a rollback). */
  busy: boolean;
  /** Stored output lines per step. */
  outputCounts: Map<number, number>;
}

export function buildStepView(step: RunStepRecord, outputLines: number): StepView {
  const record = stepRecordOf(step.record);
  return {
    index: step.index,
    id: step.stepId,
    kind: step.kind as StepKind,
    title: step.title,
    why: record.why ?? '',
    severity: record.severity ?? null,
    state: step.state as StepState,
    attempts: step.attempts,
    startedAt: step.startedAt,
    endedAt: step.endedAt,
    outcome: record.outcome ?? null,
    result: record.result ?? null,
    awaiting: step.state === 'waiting-for-operator' ? (record.awaiting ?? null) : null,
    commands: record.commands ?? [],
    manualReason: record.manualReason ?? null,
    waitingFor: record.waitingFor ?? null,
    progress: record.progress ?? null,
    note: step.note,
    confirmedText: record.confirmed?.text ?? null,
    skipReason: step.skipReason,
    rollbackLabel: record.rollbackLabel ?? null,
    outputLines,
    outputDropped: record.outputDropped ?? 0,
  };
}

/** The step with a rollback the 'rollback' control would run: the latest at or before `current` that ran. */
export function rollbackCandidate(
  steps: readonly StepView[],
  current: number | null,
): { stepIndex: number; label: string } | null {
  const upTo = current ?? steps.length - 1;
  for (let index = Math.min(upTo, steps.length - 1); index >= 0; index -= 1) {
    const step = steps[index]!;
    if (step.rollbackLabel && step.attempts > 0) return { stepIndex: index, label: step.rollbackLabel };
  }
  return null;
}

function describeSituation(
  run: RunRecord,
  detail: RunDetail,
  steps: readonly StepView[],
  interrupted = false,
): string | null {
  const current = run.currentStep === null ? undefined : steps[run.currentStep];
  const where = current ? `step ${current.index + 1} '${current.title}'` : 'the run';
  switch (run.state as RunState) {
    case 'draft':
      return 'Not started yet.';
    case 'completed':
      return detail.message ?? 'Completed: every step succeeded or was skipped with a reason.';
    case 'aborted':
      return detail.message ?? 'Aborted.';
    case 'failed': {
      const summary = current?.outcome?.summary;
      const hint = current?.outcome?.hint;
      const failure = `${capitalize(where)} failed${summary ? `: ${summary}` : ''}.${hint ? ` ${hint}` : ''} Retry it, skip it with a reason, or abort the run.`;
      // A rollback after the failure says how it went.
      return detail.message ? `${failure} ${detail.message}` : failure;
    }
    case 'paused':
      return detail.message ?? `Paused at ${where}. Resume to go on.`;
    case 'running':
      if (interrupted && current?.state === 'running') {
        return `Interrupted at ${where}: no process is running it (Migration Desk or mdesk stopped). Resume to recover it (it also resumes when Migration Desk starts).`;
      }
      if (current?.state === 'waiting-for-operator' && current.awaiting) {
        return `Waiting for you at ${where}: ${current.awaiting.prompt}`;
      }
      if (current?.state === 'running' && current.waitingFor) {
        return `${capitalize(where)} is waiting for: ${current.waitingFor}`;
      }
      return current ? `Running ${where}.` : 'Running.';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function buildRunView(
  run: RunRecord,
  stepRecords: readonly RunStepRecord[],
  live: LiveFacts,
): RunView {
  const detail = runDetailOf(run.detail);
  const steps = stepRecords.map((step) => buildStepView(step, live.outputCounts.get(step.index) ?? 0));
  const current = run.currentStep === null ? null : (steps[run.currentStep] ?? null);
  const rollback = rollbackCandidate(steps, run.currentStep);
  const rollbacks: RunRollbackView[] = (detail.rollbacks ?? []).map((entry) => ({
    stepIndex: entry.stepIndex,
    label: entry.label,
    state: entry.state,
    summary: entry.summary,
    startedAt: entry.startedAt,
    endedAt: entry.endedAt,
  }));
  const rollbackRunning = rollbacks.some((entry) => entry.state === 'running');
  const state = run.state as RunState;
  const interrupted = state === 'running' && live.driver === null;
  return {
    id: run.id,
    runbookId: run.runbookId,
    title: run.title,
    params: run.params,
    state,
    currentStep: run.currentStep,
    operator: run.operator,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    updatedAt: run.updatedAt,
    precheckOnly: detail.precheckOnly === true,
    message: describeSituation(run, detail, steps, interrupted),
    driver: live.driver,
    allowedActions: allowedActions({
      runState: state,
      step: current ? { state: current.state, awaiting: current.awaiting?.kind ?? null } : null,
      rollbackAvailable: rollback !== null,
      busy: live.busy || rollbackRunning,
      drivenElsewhere: live.driver !== null && !live.driver.self,
      interrupted,
    }),
    rollback,
    rollbacks,
    steps,
  };
}

export function buildRunSummary(run: RunRecord, steps: readonly RunStepRecord[]): RunSummary {
  const detail = runDetailOf(run.detail);
  const views = steps.map((step) => buildStepView(step, 0));
  const current = run.currentStep === null ? undefined : views[run.currentStep];
  return {
    id: run.id,
    runbookId: run.runbookId,
    title: run.title,
    state: run.state as RunState,
    currentStep: run.currentStep,
    currentStepTitle: current?.title ?? null,
    operator: run.operator,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    stepCount: steps.length,
    stepsDone: steps.filter((step) => step.state === 'succeeded' || step.state === 'skipped').length,
    message: describeSituation(run, detail, views),
  };
}
