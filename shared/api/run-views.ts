/**
 * Runs as the host API, the CLI and the run view see them: a run with its steps, what each step
 * waits for, and which controls apply now. `allowedActions` is computed by the host so the app and
 * the CLI never disagree about what an operator may do next. The vocabulary (kinds, states,
 * GeneratedCommand, StepProgressView) is shared/api/runs.ts; this file only adds the views over it.
 */
import type {
  GeneratedCommand,
  PrecheckSeverity,
  RunState,
  StepKind,
  StepProgressView,
  StepState,
} from './runs';

export const RUN_ACTIONS = [
  'start',
  'pause',
  'resume',
  'retry',
  'skip',
  'abort',
  'acknowledge',
  'confirm',
  'rollback',
] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

/**
 * Why a step waits for the operator:
 * - 'acknowledge': a warning (precheck 'warn', a soft verify result) must be read and accepted;
 * - 'confirm': a manual step (or a step that fell back to manual) is done by hand, then confirmed;
 * - 'confirm-text': a gate, confirmed by typing `expectedText` exactly;
 * - 'interrupted': the step was running when the process stopped and cannot tell by itself whether
 *   it finished: confirm it done, or retry it.
 */
export type AwaitingKind = 'acknowledge' | 'confirm' | 'confirm-text' | 'interrupted';

export interface StepAwaiting {
  kind: AwaitingKind;
  /** What the operator is asked, in one or two sentences. */
  prompt: string;
  /** confirm-text only: the exact text to type. */
  expectedText?: string;
  /**
   * Whether `mdesk run --yes` may answer it: gates and warnings yes, a manual step only when it can
   * check its own result afterwards, an interrupted step never.
   */
  headless: boolean;
  since: number;
}

export interface StepOutcomeView {
  status: 'succeeded' | 'warning' | 'failed' | 'pending' | 'manual';
  summary: string;
  /** What to do about a failure, when the step knows. */
  hint?: string;
}

export interface StepView {
  index: number;
  id: string;
  kind: StepKind;
  title: string;
  /** Why the step exists and what goes wrong without it. */
  why: string;
  severity: PrecheckSeverity | null;
  state: StepState;
  attempts: number;
  startedAt: number | null;
  endedAt: number | null;
  /** The executor's last outcome (a warning stays a warning after it was acknowledged). */
  outcome: StepOutcomeView | null;
  /** What the step found or made (counts, ids), as later steps see it. */
  result: Record<string, unknown> | null;
  awaiting: StepAwaiting | null;
  /** The exact commands and config lines for a manual step (or one that fell back to manual). */
  commands: GeneratedCommand[];
  /** Why an automated step became manual (no tool configured, offline...). */
  manualReason: string | null;
  /** A wait step: what it is waiting for as of the last poll. */
  waitingFor: string | null;
  progress: StepProgressView | null;
  /** The operator's note (confirmation, acknowledgement). */
  note: string | null;
  /** The text typed at a gate. */
  confirmedText: string | null;
  skipReason: string | null;
  /** The label of this step's rollback, when it defines one. */
  rollbackLabel: string | null;
  /** Output lines stored for this step (see runs.output); lines beyond the cap are counted, not kept. */
  outputLines: number;
  outputDropped: number;
}

export interface RunRollbackView {
  stepIndex: number;
  label: string;
  state: 'running' | 'succeeded' | 'failed';
  summary: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface RunView {
  id: string;
  runbookId: string;
  title: string;
  params: Record<string, unknown>;
  state: RunState;
  /** The step the run is at (the one running, waiting, failed, or next). */
  currentStep: number | null;
  operator: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  /** Created to check only: the run pauses once its prechecks are done. */
  precheckOnly: boolean;
  /** Why the run stands where it stands ("Waiting for you: confirm step 5", "Step 3 failed: ..."). */
  message: string | null;
  /** A process of this machine executes the run right now (this host, or a CLI). */
  driver: { pid: number; host: string; self: boolean } | null;
  /** The controls that apply now, computed by the host. */
  allowedActions: RunAction[];
  /** The rollback the 'rollback' action would run. */
  rollback: { stepIndex: number; label: string } | null;
  rollbacks: RunRollbackView[];
  steps: StepView[];
}

/** One row of the run history. */
export interface RunSummary {
  id: string;
  runbookId: string;
  title: string;
  state: RunState;
  currentStep: number | null;
  currentStepTitle: string | null;
  operator: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  stepCount: number;
  stepsDone: number;
  message: string | null;
}

export interface RunOutputLine {
  runId: string;
  /** Step index. */
  index: number;
  /** Increasing within the run: the order lines were printed in, across steps. */
  seq: number;
  at: number;
  stream: 'log' | 'stdout' | 'stderr';
  line: string;
}

export interface RunProgressEvent {
  runId: string;
  index: number;
  progress: StepProgressView | null;
  waitingFor: string | null;
}

/** What runs.events streams: the whole view on each change, and output and progress as they come. */
export type RunStreamEvent =
  | { type: 'run'; run: RunView }
  | { type: 'output'; line: RunOutputLine }
  | { type: 'progress'; progress: RunProgressEvent };

/** One parameter of a runbook, as the wizard asks for it and the CLI takes it. */
export interface RunbookParamInfo {
  name: string;
  label: string;
  help: string;
  /**
   * How the wizard asks for it. 'connection' is a saved ZooKeeper connection id, 'pegasus-profile' a
   * saved Pegasus cluster profile id, 'zk-path' an absolute ZooKeeper path.
   */
  input: 'text' | 'number' | 'boolean' | 'select' | 'connection' | 'pegasus-profile' | 'zk-path';
  required: boolean;
  default?: string | number | boolean;
  /** For 'select'. */
  options?: readonly string[];
}

/** A runbook as the catalogue and `mdesk runbooks --json` list it. */
export interface RunbookInfo {
  id: string;
  title: string;
  summary: string;
  params: RunbookParamInfo[];
  /** The steps for the default parameters (a runbook may add or drop steps for other parameters). */
  steps: { id: string; kind: StepKind; title: string; why: string; severity: PrecheckSeverity | null }[];
}
