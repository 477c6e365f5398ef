/**
 * The runner's state machine as data and pure functions: which step and run state changes are
 * allowed, what an executor's outcome turns a step into, which step comes next, and which controls
 * an operator has in each situation. No I/O here: the runner asks these before every change and
 * refuses what they refuse, so the tables below are the whole truth about transitions (and the unit
 * tests go through every pair).
 */
import type { AwaitingKind, RunAction } from '../../shared/api/run-views';
import type { PrecheckSeverity, RunState, StepKind, StepState } from '../../shared/api/runs';
import type { StepOutcome } from './runbook-definition';

export const STEP_TRANSITIONS: Readonly<Record<StepState, readonly StepState[]>> = {
  // running: executed; waiting: a manual step or gate reached (nothing runs before the operator);
  // skipped: by the operator, with a reason.
  pending: ['running', 'waiting-for-operator', 'skipped'],
  // pending: paused, or found running after a restart and run again.
  running: ['succeeded', 'failed', 'waiting-for-operator', 'pending'],
  // running: the check after a confirmation; succeeded: acknowledged or confirmed; pending: an
  // interrupted step the operator chose to run again; skipped: by the operator or an abort.
  'waiting-for-operator': ['running', 'succeeded', 'pending', 'skipped'],
  // pending: retry; skipped: the operator goes on without it.
  failed: ['pending', 'skipped'],
  succeeded: [],
  skipped: [],
};

export const RUN_TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  draft: ['running', 'aborted'],
  running: ['paused', 'failed', 'completed', 'aborted'],
  paused: ['running', 'aborted'],
  // running: retry or skip of the failed step; never by itself.
  failed: ['running', 'aborted'],
  completed: [],
  aborted: [],
};

/** A step state a run can move past. */
export const STEP_DONE_STATES: readonly StepState[] = ['succeeded', 'skipped'];

/** Kinds the runner runs again by itself after a restart found them running (they only read). */
export const IDEMPOTENT_KINDS: readonly StepKind[] = ['precheck', 'verify', 'wait'];

export class TransitionRefusedError extends Error {
  override name = 'TransitionRefusedError';
  constructor(
    readonly subject: 'step' | 'run',
    readonly from: string,
    readonly to: string,
  ) {
    super(`A ${subject} cannot go from '${from}' to '${to}'`);
  }
}

export function canStepTransition(from: StepState, to: StepState): boolean {
  return STEP_TRANSITIONS[from].includes(to);
}

export function canRunTransition(from: RunState, to: RunState): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function assertStepTransition(from: StepState, to: StepState): void {
  if (!canStepTransition(from, to)) throw new TransitionRefusedError('step', from, to);
}

export function assertRunTransition(from: RunState, to: RunState): void {
  if (!canRunTransition(from, to)) throw new TransitionRefusedError('run', from, to);
}

/** What an outcome makes of a step: a state, and when it waits, what for. */
export type OutcomeDecision =
  | { state: 'succeeded' }
  | { state: 'failed' }
  | { state: 'waiting-for-operator'; awaiting: Extract<AwaitingKind, 'acknowledge' | 'confirm'> }
  /** A wait step's condition is not met yet: poll again. */
  | { state: 'running'; poll: true };

export function decideOutcome(
  kind: StepKind,
  severity: PrecheckSeverity | undefined,
  outcome: StepOutcome,
): OutcomeDecision {
  switch (outcome.status) {
    case 'succeeded':
      return { state: 'succeeded' };
    case 'warning':
      return { state: 'waiting-for-operator', awaiting: 'acknowledge' };
    case 'failed':
      // A 'warn' precheck never blocks: what it found needs an acknowledgement, not a fix.
      if (kind === 'precheck' && severity === 'warn') {
        return { state: 'waiting-for-operator', awaiting: 'acknowledge' };
      }
      return { state: 'failed' };
    case 'manual':
      return { state: 'waiting-for-operator', awaiting: 'confirm' };
    case 'pending':
      // Only a wait step polls; anything else saying "not yet" is a runbook bug, shown as a failure.
      return kind === 'wait' ? { state: 'running', poll: true } : { state: 'failed' };
  }
}

interface StepLike {
  state: StepState;
  kind: StepKind;
}

/** The first step the run has not moved past, or null when every step is done. */
export function nextStepIndex(steps: readonly StepLike[]): number | null {
  const index = steps.findIndex((step) => !STEP_DONE_STATES.includes(step.state));
  return index < 0 ? null : index;
}

/**
 * The pending prechecks in a row starting at `from`. They run as one batch, like an itemised check:
 * the operator sees every blocking problem and every warning at once, not one per attempt.
 */
export function precheckBatch(steps: readonly StepLike[], from: number): number[] {
  const batch: number[] = [];
  for (let index = from; index < steps.length; index += 1) {
    const step = steps[index]!;
    if (step.kind !== 'precheck') break;
    if (step.state === 'pending') batch.push(index);
    else if (!STEP_DONE_STATES.includes(step.state)) break;
  }
  return batch;
}

/** Where a run stands, as far as the controls are concerned. */
export interface ActionSituation {
  runState: RunState;
  /** The step the run is at; null before the first or after the last. */
  step: { state: StepState; awaiting: AwaitingKind | null } | null;
  /** A step at or before the current one defines a rollback and has run. */
  rollbackAvailable: boolean;
  /** This process is in the middle of something for the run (a pause settling, a rollback). */
  busy: boolean;
  /** Another live process drives the run: it must be controlled there. */
  drivenElsewhere: boolean;
  /** The store says running, but no process drives it (the app or mdesk stopped): resume recovers it. */
  interrupted?: boolean;
}

/** The controls that apply now. The host and the CLI both ask this, so they always agree. */
export function allowedActions(situation: ActionSituation): RunAction[] {
  const { runState, step } = situation;
  if (situation.drivenElsewhere) return [];
  const actions: RunAction[] = [];
  const add = (...more: RunAction[]) => {
    for (const action of more) if (!actions.includes(action)) actions.push(action);
  };
  const rollback = () => {
    if (situation.rollbackAvailable && !situation.busy && step?.state !== 'running') add('rollback');
  };
  switch (runState) {
    case 'draft':
      add('start', 'abort');
      break;
    case 'running':
      if (situation.busy) {
        add('abort');
        break;
      }
      if (situation.interrupted) add('resume');
      add('pause', 'abort');
      if (step?.state === 'waiting-for-operator') {
        add('skip');
        if (step.awaiting === 'acknowledge') add('acknowledge');
        if (step.awaiting === 'confirm' || step.awaiting === 'confirm-text') add('confirm');
        // Interrupted: the operator knows whether it finished (confirm) or wants it run again.
        if (step.awaiting === 'interrupted') add('confirm', 'retry');
      }
      rollback();
      break;
    case 'paused':
      if (situation.busy || step?.state === 'running') {
        add('abort');
        break;
      }
      add('resume', 'abort');
      if (step && (step.state === 'pending' || step.state === 'waiting-for-operator')) add('skip');
      rollback();
      break;
    case 'failed':
      if (situation.busy) {
        add('abort');
        break;
      }
      if (step?.state === 'failed') add('retry');
      add('skip', 'abort');
      rollback();
      break;
    case 'completed':
    case 'aborted':
      break;
  }
  return actions;
}
