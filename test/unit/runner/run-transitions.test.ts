/**
 * The runner's state machine, pair by pair: every step and run transition is either in the table
 * (allowed) or refused, and the tables say exactly what the design says. Also what outcomes make of
 * steps, which step comes next, the precheck batch, and the controls per situation.
 */
import { describe, expect, it } from 'vitest';
import type { AwaitingKind } from '../../../shared/api/run-views';
import {
  RUN_STATES,
  type RunState,
  STEP_STATES,
  type StepKind,
  type StepState,
} from '../../../shared/api/runs';
import {
  allowedActions,
  assertRunTransition,
  assertStepTransition,
  canRunTransition,
  canStepTransition,
  decideOutcome,
  nextStepIndex,
  precheckBatch,
  TransitionRefusedError,
} from '../../../electron/runner/run-transitions';

const ALLOWED_STEP: [StepState, StepState][] = [
  ['pending', 'running'],
  ['pending', 'waiting-for-operator'],
  ['pending', 'skipped'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'waiting-for-operator'],
  ['running', 'pending'],
  ['waiting-for-operator', 'running'],
  ['waiting-for-operator', 'succeeded'],
  ['waiting-for-operator', 'pending'],
  ['waiting-for-operator', 'skipped'],
  ['failed', 'pending'],
  ['failed', 'skipped'],
];

const ALLOWED_RUN: [RunState, RunState][] = [
  ['draft', 'running'],
  ['draft', 'aborted'],
  ['running', 'paused'],
  ['running', 'failed'],
  ['running', 'completed'],
  ['running', 'aborted'],
  ['paused', 'running'],
  ['paused', 'aborted'],
  ['failed', 'running'],
  ['failed', 'aborted'],
];

const key = (from: string, to: string) => `${from} -> ${to}`;

describe('step transitions', () => {
  const allowed = new Set(ALLOWED_STEP.map(([from, to]) => key(from, to)));
  const pairs = STEP_STATES.flatMap((from) => STEP_STATES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => allowed.has(key(from, to))))('allows %s -> %s', (from, to) => {
    expect(canStepTransition(from, to)).toBe(true);
    expect(() => assertStepTransition(from, to)).not.toThrow();
  });

  it.each(pairs.filter(([from, to]) => !allowed.has(key(from, to))))('refuses %s -> %s', (from, to) => {
    expect(canStepTransition(from, to)).toBe(false);
    expect(() => assertStepTransition(from, to)).toThrow(TransitionRefusedError);
    expect(() => assertStepTransition(from, to)).toThrow(`A step cannot go from '${from}' to '${to}'`);
  });

  it('has no way out of succeeded or skipped, and no self-transitions', () => {
    for (const to of STEP_STATES) {
      expect(canStepTransition('succeeded', to)).toBe(false);
      expect(canStepTransition('skipped', to)).toBe(false);
    }
    for (const state of STEP_STATES) expect(canStepTransition(state, state)).toBe(false);
  });

  it('never goes from failed straight to running: a retry passes through pending', () => {
    expect(canStepTransition('failed', 'running')).toBe(false);
    expect(canStepTransition('failed', 'succeeded')).toBe(false);
  });
});

describe('run transitions', () => {
  const allowed = new Set(ALLOWED_RUN.map(([from, to]) => key(from, to)));
  const pairs = RUN_STATES.flatMap((from) => RUN_STATES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => allowed.has(key(from, to))))('allows %s -> %s', (from, to) => {
    expect(canRunTransition(from, to)).toBe(true);
    expect(() => assertRunTransition(from, to)).not.toThrow();
  });

  it.each(pairs.filter(([from, to]) => !allowed.has(key(from, to))))('refuses %s -> %s', (from, to) => {
    expect(canRunTransition(from, to)).toBe(false);
    expect(() => assertRunTransition(from, to)).toThrow(TransitionRefusedError);
  });

  it('keeps completed and aborted final', () => {
    for (const to of RUN_STATES) {
      expect(canRunTransition('completed', to)).toBe(false);
      expect(canRunTransition('aborted', to)).toBe(false);
    }
  });

  it('never completes a failed or paused run without running it first', () => {
    expect(canRunTransition('failed', 'completed')).toBe(false);
    expect(canRunTransition('paused', 'completed')).toBe(false);
    expect(canRunTransition('draft', 'completed')).toBe(false);
  });
});

describe('decideOutcome', () => {
  const kinds: StepKind[] = ['precheck', 'action', 'manual', 'wait', 'verify', 'gate'];

  it('turns success into succeeded for every kind', () => {
    for (const kind of kinds) {
      expect(decideOutcome(kind, undefined, { status: 'succeeded', summary: 'ok' })).toEqual({
        state: 'succeeded',
      });
    }
  });

  it('makes a warning wait for an acknowledgement', () => {
    for (const kind of kinds) {
      expect(decideOutcome(kind, 'block', { status: 'warning', summary: 'hmm' })).toEqual({
        state: 'waiting-for-operator',
        awaiting: 'acknowledge',
      });
    }
  });

  it('fails a blocking precheck, but only asks to acknowledge a warn precheck', () => {
    expect(decideOutcome('precheck', 'block', { status: 'failed', summary: 'no' })).toEqual({
      state: 'failed',
    });
    expect(decideOutcome('precheck', 'warn', { status: 'failed', summary: 'no' })).toEqual({
      state: 'waiting-for-operator',
      awaiting: 'acknowledge',
    });
    expect(decideOutcome('action', 'warn', { status: 'failed', summary: 'no' })).toEqual({ state: 'failed' });
  });

  it('turns any step manual with an outcome manual', () => {
    for (const kind of kinds) {
      expect(decideOutcome(kind, undefined, { status: 'manual', reason: 'no shell', commands: [] })).toEqual({
        state: 'waiting-for-operator',
        awaiting: 'confirm',
      });
    }
  });

  it('lets only a wait step poll again; pending elsewhere is a failure', () => {
    expect(decideOutcome('wait', undefined, { status: 'pending', waitingFor: 'x' })).toEqual({
      state: 'running',
      poll: true,
    });
    for (const kind of kinds.filter((k) => k !== 'wait')) {
      expect(decideOutcome(kind, undefined, { status: 'pending', waitingFor: 'x' })).toEqual({
        state: 'failed',
      });
    }
  });
});

describe('nextStepIndex and precheckBatch', () => {
  const step = (state: StepState, kind: StepKind = 'action') => ({ state, kind });

  it('moves past succeeded and skipped steps only', () => {
    expect(nextStepIndex([step('succeeded'), step('skipped'), step('pending')])).toBe(2);
    expect(nextStepIndex([step('succeeded'), step('failed'), step('pending')])).toBe(1);
    expect(nextStepIndex([step('succeeded'), step('waiting-for-operator')])).toBe(1);
    expect(nextStepIndex([step('succeeded'), step('skipped')])).toBeNull();
    expect(nextStepIndex([])).toBeNull();
  });

  it('batches the pending prechecks in a row, stopping at the first other kind', () => {
    const steps = [
      step('pending', 'precheck'),
      step('pending', 'precheck'),
      step('succeeded', 'precheck'),
      step('pending', 'precheck'),
      step('pending', 'action'),
      step('pending', 'precheck'),
    ];
    expect(precheckBatch(steps, 0)).toEqual([0, 1, 3]);
    expect(precheckBatch(steps, 4)).toEqual([]);
  });

  it('stops a batch at a precheck that already failed or waits', () => {
    const steps = [step('pending', 'precheck'), step('failed', 'precheck'), step('pending', 'precheck')];
    expect(precheckBatch(steps, 0)).toEqual([0]);
  });
});

describe('allowedActions', () => {
  const situation = (
    runState: RunState,
    stepState: StepState | null,
    awaiting: AwaitingKind | null = null,
    extra: {
      rollbackAvailable?: boolean;
      busy?: boolean;
      drivenElsewhere?: boolean;
      interrupted?: boolean;
    } = {},
  ) =>
    allowedActions({
      runState,
      step: stepState ? { state: stepState, awaiting } : null,
      rollbackAvailable: extra.rollbackAvailable ?? false,
      busy: extra.busy ?? false,
      drivenElsewhere: extra.drivenElsewhere ?? false,
      interrupted: extra.interrupted ?? false,
    });

  it('offers start and abort on a draft', () => {
    expect(situation('draft', 'pending')).toEqual(['start', 'abort']);
  });

  it('offers pause and abort while a step runs, nothing else', () => {
    expect(situation('running', 'running')).toEqual(['pause', 'abort']);
    expect(situation('running', 'running', null, { rollbackAvailable: true })).toEqual(['pause', 'abort']);
  });

  it('offers what the waiting step asks for, plus skip', () => {
    expect(situation('running', 'waiting-for-operator', 'acknowledge')).toEqual([
      'pause',
      'abort',
      'skip',
      'acknowledge',
    ]);
    expect(situation('running', 'waiting-for-operator', 'confirm')).toEqual([
      'pause',
      'abort',
      'skip',
      'confirm',
    ]);
    expect(situation('running', 'waiting-for-operator', 'confirm-text')).toEqual([
      'pause',
      'abort',
      'skip',
      'confirm',
    ]);
    expect(situation('running', 'waiting-for-operator', 'interrupted')).toEqual([
      'pause',
      'abort',
      'skip',
      'confirm',
      'retry',
    ]);
  });

  it('offers retry only for a failed step, and skip and abort after a failure', () => {
    expect(situation('failed', 'failed')).toEqual(['retry', 'skip', 'abort']);
    expect(situation('failed', 'failed', null, { rollbackAvailable: true })).toEqual([
      'retry',
      'skip',
      'abort',
      'rollback',
    ]);
    expect(situation('running', 'pending')).not.toContain('retry');
    expect(situation('paused', 'pending')).not.toContain('retry');
  });

  it('offers resume, skip and abort on a paused run, not confirm', () => {
    expect(situation('paused', 'pending')).toEqual(['resume', 'abort', 'skip']);
    expect(situation('paused', 'waiting-for-operator', 'confirm')).toEqual(['resume', 'abort', 'skip']);
  });

  it('offers only abort while a pause settles or a rollback runs', () => {
    expect(situation('paused', 'running')).toEqual(['abort']);
    expect(situation('paused', 'pending', null, { busy: true })).toEqual(['abort']);
    expect(situation('failed', 'failed', null, { busy: true })).toEqual(['abort']);
  });

  it('offers resume for a run no process drives any more (killed mid-step)', () => {
    expect(situation('running', 'running', null, { interrupted: true })).toEqual([
      'resume',
      'pause',
      'abort',
    ]);
    expect(situation('running', 'waiting-for-operator', 'confirm-text', { interrupted: true })).toEqual([
      'resume',
      'pause',
      'abort',
      'skip',
      'confirm',
    ]);
  });

  it('offers nothing on a final run, or one another process drives', () => {
    expect(situation('completed', null)).toEqual([]);
    expect(situation('aborted', 'pending')).toEqual([]);
    expect(situation('running', 'waiting-for-operator', 'confirm', { drivenElsewhere: true })).toEqual([]);
  });
});
