/** How the Copy view names runs, endpoints, phases and states. */
import { formatDateTime } from '../../lib/date-time';
import type {
  EndpointRef,
  PhaseName,
  RunKind,
  RunState,
  RunView,
} from '../../../../electron/engines/zk-copy/types';
import { formatDuration } from '../background-jobs/BackgroundJobProgress';

export const fmt = new Intl.NumberFormat('en-US');

export const KIND_LABELS: Record<RunKind, string> = {
  'zk-copy': 'Copy',
  'zk-diff': 'Compare',
  'zk-import': 'Import',
  'zk-cleanup': 'Cleanup',
};

export const PHASE_LABELS: Record<PhaseName | 'run', string> = {
  plan: 'Plan (dry run)',
  copy: 'Copy',
  verify: 'Verify',
  reconcile: 'Reconcile',
  export: 'Export (backup before deleting)',
  cleanup: 'Delete',
  run: 'Run',
};

/** What the bar counts in each phase. */
export const PHASE_UNITS: Record<PhaseName | 'run', string> = {
  plan: 'nodes compared',
  copy: 'nodes',
  verify: 'nodes compared',
  reconcile: 'nodes',
  export: 'nodes exported',
  cleanup: 'nodes deleted',
  run: 'items',
};

/** The state an operator should read: a run the store says is running with no process is interrupted. */
export function effectiveState(run: Pick<RunView, 'state' | 'interrupted'>): RunState | 'interrupted' {
  return run.interrupted ? 'interrupted' : run.state;
}

export const STATE_COLORS: Record<RunState | 'interrupted', string> = {
  created: 'gray',
  planned: 'blue',
  running: 'teal',
  paused: 'yellow',
  completed: 'green',
  failed: 'red',
  cancelled: 'gray',
  interrupted: 'orange',
};

/** When a snapshot was captured, as the Copy view shows it (the app's one date format). */
export function formatCapturedAt(at: number): string {
  return formatDateTime(at);
}

/**
 * '@prod:/pegasus' for a saved connection, 'zk://host:2181/a' otherwise, 'snapshot f:/a' for a file,
 * "snapshot 'name' @ 2026-12-06 10:30:00:/a" for a snapshot of the store.
 */
export function describeEndpoint(ref: EndpointRef | undefined): string {
  if (!ref) return '?';
  if (ref.kind === 'snapshot') return `snapshot ${ref.file}:${ref.path}`;
  if (ref.kind === 'stored-snapshot') {
    return `snapshot '${ref.snapshotName}' @ ${formatCapturedAt(ref.capturedAt)}:${ref.path}`;
  }
  if (ref.connectionName) return `${ref.connectionName}:${ref.path}`;
  return `zk://${ref.connectString}${ref.path === '/' ? '' : ref.path}`;
}

export function runEndpoints(run: RunView): { source?: EndpointRef; target?: EndpointRef } {
  return run.params as { source?: EndpointRef; target?: EndpointRef };
}

/** The verify differences of a run (what reconcile would fix), or null without a verify. */
export function verifyDifferenceCount(run: RunView): number | null {
  const counts = run.result?.verify?.counts;
  if (!counts) return null;
  return (
    counts.mismatched + counts.aclMismatched + counts.extraSource + counts.extraTarget + counts.unreadable
  );
}

/** A percentage the bar may show: 0 to 100, 100 only when the host says so. */
export function clampPercent(percent: number | null | undefined): number | null {
  if (percent === null || percent === undefined || Number.isNaN(percent)) return null;
  return Math.min(100, Math.max(0, percent));
}

/** How long a phase took: tenths below 10 s (a copy of a few thousand nodes takes well under one). */
export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}

/**
 * Runs that read from or write to a connection (by its saved id), or read a snapshot captured from
 * it, plus `alsoId` (the run the view shows, wherever it copied), newest first.
 */
export function runsOfConnection(runs: RunView[], connectionId: string, alsoId?: string | null): RunView[] {
  return runs.filter((run) => {
    const params = run.params as {
      source?: { connectionId?: string; capturedFromConnectionId?: string | null };
      target?: { connectionId?: string };
    };
    return (
      run.id === alsoId ||
      params.source?.connectionId === connectionId ||
      params.source?.capturedFromConnectionId === connectionId ||
      params.target?.connectionId === connectionId
    );
  });
}
