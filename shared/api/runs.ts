/**
 * The runbook runner's vocabulary, shared by the host, the CLI and the renderer (design section 6).
 * States are closed sets: a run or step in a state not listed here is a bug, not a new feature.
 */
import { z } from 'zod';

export const STEP_KINDS = ['precheck', 'action', 'manual', 'wait', 'verify', 'gate'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_STATES = [
  'pending',
  'running',
  'waiting-for-operator',
  'succeeded',
  'failed',
  'skipped',
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const RUN_STATES = ['draft', 'running', 'paused', 'failed', 'completed', 'aborted'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Run states that will never change again. */
export const FINAL_RUN_STATES: readonly RunState[] = ['completed', 'aborted'];

/** A precheck that fails with 'block' stops the run; 'warn' needs the operator's acknowledgement. */
export type PrecheckSeverity = 'block' | 'warn';

/**
 * A command or config fragment generated from a run's parameters, shown with a copy button in a
 * manual step (and in the report). `text` is exactly what the operator pastes; `argv`, when present,
 * is the same command as an argument array for a step that can run it itself.
 */
export const generatedCommandSchema = z.object({
  /** What this is, e.g. "On each follower meta host" or "config.ini [zookeeper]". */
  label: z.string(),
  /** 'shell': a command line; 'pegasus-shell' / 'admin-cli': lines typed into that tool; 'config': file lines. */
  kind: z.enum(['shell', 'pegasus-shell', 'admin-cli', 'config']),
  text: z.string(),
  argv: z.array(z.string()).optional(),
});
export type GeneratedCommand = z.infer<typeof generatedCommandSchema>;

/** One point of a step's chart: t on the x axis (seconds into the step, say), v the value there. */
export interface ProgressSeriesPoint {
  t: number;
  v: number;
}

/**
 * A chart a step draws while it works (copy_data's rows per second, say). Bounded by the runner:
 * the newest points as they came, older ones merged pairwise, so a long step stays cheap to stream.
 */
export interface ProgressSeries {
  /** What v is, e.g. "rows per second". */
  label: string;
  /** v's unit for the axis, e.g. "rows/s". */
  unit: string;
  /** What t is, e.g. "s" for seconds into the step. */
  tUnit: string;
  points: ProgressSeriesPoint[];
}

/** A step's progress as the runner publishes it: the runner adds rate and ETA from the recent window. */
export interface StepProgressView {
  done: number;
  total: number | null;
  unit: string;
  label?: string;
  /** Units per second over the recent window; null until there is a window. */
  ratePerSec: number | null;
  /** Seconds left; null below 1 % done or without a total. Never negative. */
  etaSeconds: number | null;
  /** 0..1, clamped; null without a total. */
  fraction: number | null;
  /** The step's chart so far, when it reports points. */
  series?: ProgressSeries;
}
