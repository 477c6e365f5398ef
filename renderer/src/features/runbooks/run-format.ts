/**
 * How the Migrations and History areas name run and step states, times and progress. Kept free of
 * React so the rules an operator relies on (a bar never above 100 %, no ETA guessed below 1 %) are
 * unit-tested.
 */
import { formatDateTime } from '../../lib/date-time';
import type { RunbookInfo, StepView } from '../../../../shared/api/run-views';
import type { RunState, StepKind, StepProgressView, StepState } from '../../../../shared/api/runs';
import { validateZkPath } from '../../../../shared/zk-path';
import { formatDuration } from '../background-jobs/BackgroundJobProgress';

export const fmt = new Intl.NumberFormat('en-US');

export const RUN_STATE_COLORS: Record<RunState, string> = {
  draft: 'gray',
  running: 'teal',
  paused: 'yellow',
  failed: 'red',
  completed: 'green',
  aborted: 'dark',
};

export const STEP_STATE_COLORS: Record<StepState, string> = {
  pending: 'gray',
  running: 'teal',
  'waiting-for-operator': 'orange',
  succeeded: 'green',
  failed: 'red',
  skipped: 'gray',
};

export const STEP_STATE_LABELS: Record<StepState, string> = {
  pending: 'pending',
  running: 'running',
  'waiting-for-operator': 'waiting for you',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
};

/**
 * The badge of a step: its state, except that a step the operator let through on a warning says so
 * (a green "succeeded" would read as checked when it was not).
 */
export function stepBadge(step: Pick<StepView, 'state' | 'outcome'>): { label: string; color: string } {
  if (step.state === 'succeeded' && step.outcome?.status === 'warning') {
    return { label: 'warning accepted', color: 'yellow' };
  }
  return { label: STEP_STATE_LABELS[step.state], color: STEP_STATE_COLORS[step.state] };
}

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  precheck: 'precheck',
  action: 'automated',
  manual: 'manual',
  wait: 'wait',
  verify: 'verify',
  gate: 'gate',
};

export function formatTime(at: number | null): string {
  return at === null ? '—' : formatDateTime(at);
}

/** How long something took (or has taken so far, with `now`); null when it never started. */
export function elapsed(startedAt: number | null, endedAt: number | null, now: number): string | null {
  if (startedAt === null) return null;
  const seconds = Math.max(0, ((endedAt ?? now) - startedAt) / 1000);
  return seconds < 10 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}

export interface ProgressDisplay {
  /** 0..100 for the bar, or null for an indeterminate (striped) bar. */
  percent: number | null;
  /** "copying: 1,200 of 4,000 nodes (30 %)". */
  counts: string;
  /** "850 nodes/s", or null before the host measured a rate. */
  rate: string | null;
  /** "about 3 s left", or null below 1 % or without a total: an early ETA is a guess. */
  eta: string | null;
}

export function progressDisplay(progress: StepProgressView): ProgressDisplay {
  const known = progress.total !== null && progress.total > 0 && progress.fraction !== null;
  const fraction = known ? Math.min(1, Math.max(0, progress.fraction as number)) : null;
  const percent = fraction === null ? null : Math.min(100, fraction * 100);
  const label = progress.label ? `${progress.label}: ` : '';
  const counts =
    `${label}${fmt.format(progress.done)}` +
    (known ? ` of ${fmt.format(progress.total as number)}` : '') +
    ` ${progress.unit}` +
    (percent !== null && percent >= 1 ? ` (${Math.floor(percent)} %)` : '');
  const rate =
    progress.ratePerSec !== null && progress.ratePerSec > 0
      ? `${fmt.format(Math.round(progress.ratePerSec))} ${progress.unit}/s`
      : null;
  const eta =
    percent !== null && percent >= 1 && percent < 100 && progress.etaSeconds !== null
      ? `about ${formatDuration(Math.max(0, progress.etaSeconds))} left`
      : null;
  return { percent, counts, rate, eta };
}

/**
 * The run id as the abort confirmation wants it typed: its first 8 characters (the host also takes
 * the whole id).
 */
export function shortRunId(runId: string): string {
  return runId.slice(0, 8);
}

/** The host's field errors for a run's parameters ('params.source' -> message) by parameter name. */
export function paramErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const byParam: Record<string, string> = {};
  for (const [key, message] of Object.entries(fieldErrors)) {
    if (key.startsWith('params.')) byParam[key.slice('params.'.length)] = message;
  }
  return byParam;
}

export type RunbookParamInfo = RunbookInfo['params'][number];
export type ParamValue = string | number | boolean | undefined;

/** What the form itself can tell before asking the host: required fields and path syntax. */
export function localParamError(param: RunbookParamInfo, value: ParamValue): string | undefined {
  const blank = value === undefined || (typeof value === 'string' && value.trim() === '');
  if (blank) return param.required ? `${param.label} is required` : undefined;
  if (param.input === 'zk-path' && typeof value === 'string') return validateZkPath(value.trim());
  return undefined;
}
