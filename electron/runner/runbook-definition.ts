/**
 * What a runbook is: data (an ordered list of steps with kind, title, why, inputs) plus, per step, an
 * executor the runner calls. Runbooks (electron/runbooks/<id>/) only describe and execute steps; the
 * runner (this folder) owns states, persistence, audit, pause/resume/retry/skip/abort and crash
 * recovery. Design section 6; migration-practice.md lists what the runner must give every runbook.
 */
import type { z } from 'zod';
import type { RunbookParamInfo } from '../../shared/api/run-views';
import type { GeneratedCommand, PrecheckSeverity, StepKind } from '../../shared/api/runs';
import type { JsonObject } from '../store/types';
import type { RunServices } from './run-services';

/**
 * One parameter of a runbook, as the new-run wizard and `mdesk run --param k=v` present it: declared
 * as the catalogue lists it, so the renderer and the CLI read the same shape.
 */
export type RunbookParam = RunbookParamInfo;

export interface RunbookDefinition<P extends JsonObject = JsonObject> {
  /** Stable id: 'zk-migration-copy', 'subtree-migration', ... (the CLI's RUNBOOK argument). */
  id: string;
  title: string;
  /** One paragraph: what it does and when to choose it over the others. */
  summary: string;
  params: readonly RunbookParam[];
  /** Validates and normalises parameters (strings from the CLI included); its messages name the field. */
  schema: z.ZodType<P>;
  /** The step list for these parameters; copied into the run when it is created. */
  steps(params: P): StepDefinition<P>[];
}

export interface StepDefinition<P extends JsonObject = JsonObject> {
  /** Stable within the runbook ('precheck-source', 'copy', ...); results are keyed by it. */
  id: string;
  kind: StepKind;
  title: string;
  /** Why the step exists and what goes wrong without it; shown beside the step and in the report. */
  why: string;
  /** precheck only. */
  severity?: PrecheckSeverity;
  /** gate only: the exact text the operator must type (e.g. the node count, or the cluster name). */
  confirmText?(ctx: StepContext<P>): string | Promise<string>;
  /**
   * gate only: what exactly the operator confirms in this run, with its consequence (shown where the
   * text is typed; default: the title). A generic title cannot say which of two dangers applies.
   */
  confirmPrompt?(ctx: StepContext<P>): string | Promise<string>;
  /**
   * manual steps (and any step that falls back to manual): the exact commands and config lines for
   * this run's parameters. Called again when earlier results change what they say.
   */
  commands?(ctx: StepContext<P>): GeneratedCommand[] | Promise<GeneratedCommand[]>;
  /** wait only: poll `execute` every intervalMs until it succeeds or timeoutMs has passed. */
  wait?: { intervalMs: number; timeoutMs: number; describe(ctx: StepContext<P>): string };
  /**
   * precheck, action, verify, wait (one poll), and manual/gate steps that can check their own result
   * after the operator confirms (e.g. "one lock node left"). Must be idempotent.
   */
  execute?(ctx: StepContext<P>): Promise<StepOutcome>;
  /**
   * action only: after a crash or restart found this step 'running', is its effect already there?
   * 'done' completes the step without re-running it; 'not-done' runs it again. A step whose later
   * steps need its result (the MetaProxy switch's rollback record) returns the outcome it rebuilt
   * from what it found, so the step is done with its result rather than without it.
   */
  postcondition?(ctx: StepContext<P>): Promise<'done' | 'not-done' | RecoveredOutcome>;
  /** Offered as an extra control from this step on (e.g. the MetaProxy rollback after a switch). */
  rollback?: { label: string; execute(ctx: StepContext<P>): Promise<StepOutcome> };
}

/** What an executor reports. The runner turns it into a state; executors never set states. */
export type StepOutcome =
  | { status: 'succeeded'; summary: string; result?: JsonObject }
  /** precheck 'warn' and soft verify results: the operator must acknowledge before the run goes on. */
  | { status: 'warning'; summary: string; result?: JsonObject }
  | { status: 'failed'; summary: string; hint?: string; result?: JsonObject }
  /** wait: not yet; `waitingFor` says what is missing now ("2 lock nodes, want 1"). */
  | { status: 'pending'; waitingFor: string; result?: JsonObject }
  /**
   * The step cannot be automated here (no tool configured, offline, meta HTTP unreachable): it becomes
   * a manual step with these commands, and the reason is shown.
   */
  | { status: 'manual'; reason: string; commands: GeneratedCommand[] };

/** What a postcondition found done after a restart, with the result the interrupted run did not record. */
export interface RecoveredOutcome {
  status: 'done';
  summary: string;
  result?: JsonObject;
}

export interface StepProgress {
  done: number;
  total: number | null;
  unit: string;
  label?: string;
  /**
   * A new point of the step's chart (the runner keeps the series, bounded). label/unit/tUnit name
   * the series; the first point's names stand for the whole step.
   */
  point?: { t: number; v: number; label: string; unit: string; tUnit: string };
}

export interface StepContext<P extends JsonObject = JsonObject> {
  runId: string;
  params: P;
  step: { index: number; id: string; kind: StepKind; attempt: number };
  /** Results of earlier steps, by step id (what a precheck found, the engine run id, a backup). */
  results: Readonly<Record<string, JsonObject | undefined>>;
  /** The operator's note and confirmed text for manual/gate steps, when confirmed. */
  operator?: { note: string | null; confirmedText: string | null };
  /** Aborted when the operator pauses or aborts the run, or the process stops: stop promptly. */
  signal: AbortSignal;
  /** A line for the step's output (stored, streamed to the run view, printed by the CLI). */
  log(line: string, stream?: 'log' | 'stdout' | 'stderr'): void;
  /** The runner derives rate and ETA from these (recent window, hidden below 1 %, never above 100 %). */
  progress(progress: StepProgress): void;
  services: RunServices;
}
