/**
 * The copy engine's runs as the Copy view sees them: the list the host keeps (it survives app
 * restarts, so an interrupted run can be resumed), the latest progress of each phase of each run
 * from the host's event stream, and the actions (create, plan, start, pause, resume, cancel,
 * reconcile, compare, cleanup). The host stays the source of truth: every action answers with the
 * run as the host now sees it, and the stream keeps the rest current.
 */
import { create } from 'zustand';
import type { ProgressEvent, RunView } from '../../../../electron/engines/zk-copy/types';
import { type ApiError, toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import type { ApiInputs } from '../../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../../api/with-timeout';

export type CopyInput = ApiInputs['zkCopy']['create'];
export type DiffInput = ApiInputs['zkCopy']['diff'];

/** 'plan', 'copy', 'verify', 'export', 'cleanup', or 'reconcile-2' for a reconcile pass. */
export type PhaseKey = string;

export function phaseKey(event: Pick<ProgressEvent, 'phase' | 'pass'>): PhaseKey {
  return event.phase === 'reconcile' && event.pass ? `reconcile-${event.pass}` : (event.phase ?? 'run');
}

type StreamState = 'connecting' | 'live' | 'lost';

interface CopyRunsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** Newest first. */
  runs: RunView[];
  /** Latest event per phase per run, in the order the phases began. */
  progress: Record<string, Record<PhaseKey, ProgressEvent>>;
  stream: StreamState;
  /** The run each connection's Copy view shows. */
  selected: Record<string, string | null>;
  load(): Promise<void>;
  select(connectionId: string, runId: string | null): void;
  /** Follows the host's event stream while at least one view needs it; returns the release. */
  follow(): () => void;
  createRun(input: CopyInput): Promise<RunView>;
  plan(runId: string): Promise<RunView>;
  start(runId: string, confirmMirror?: string): Promise<RunView>;
  diff(input: DiffInput): Promise<RunView>;
  pause(runId: string): Promise<RunView>;
  resume(runId: string): Promise<RunView>;
  cancel(runId: string): Promise<RunView>;
  reconcile(runId: string, confirmMirror?: string): Promise<RunView>;
  prepareCleanup(connectionId: string, path: string): Promise<RunView>;
  confirmCleanup(runId: string, confirmNodeCount: number): Promise<RunView>;
}

async function call<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (error) {
    throw toApiError(error);
  }
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Whether `incoming` is at least as recent as `known`. An action's answer can arrive after the
 * stream already told that the run moved on (a small copy can finish before the answer to its
 * start is read): the older view must not put a finished run back to running.
 */
function isNewer(incoming: RunView, known: RunView): boolean {
  if (incoming.updatedAt !== known.updatedAt) return incoming.updatedAt > known.updatedAt;
  return ENDED.has(incoming.state) || !ENDED.has(known.state);
}

function upsert(runs: RunView[], run: RunView): RunView[] {
  const index = runs.findIndex((candidate) => candidate.id === run.id);
  if (index < 0) return [run, ...runs].sort((a, b) => b.createdAt - a.createdAt);
  if (!isNewer(run, runs[index]!)) return runs;
  const next = runs.slice();
  next[index] = run;
  return next;
}

let followers = 0;
let stopStream: (() => void) | undefined;

export const useCopyRunsStore = create<CopyRunsState>()((set, get) => {
  /** Records what an action answered, and returns it. */
  const remember = (run: RunView): RunView => {
    set((state) => ({ runs: upsert(state.runs, run) }));
    return run;
  };

  const onProgress = (event: ProgressEvent) => {
    set((state) => {
      const phases = { ...(state.progress[event.runId] ?? {}) };
      phases[phaseKey(event)] = event;
      const runs = state.runs.map((run) =>
        run.id === event.runId ? { ...run, progress: event, phase: event.phase } : run,
      );
      return { progress: { ...state.progress, [event.runId]: phases }, runs };
    });
    // A run this view has not heard of (started by the CLI, a runbook, another window): list again.
    if (!get().runs.some((run) => run.id === event.runId)) void get().load();
  };

  const startStream = () => {
    let stopped = false;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const subscribe = () => {
      if (stopped) return;
      set({ stream: 'connecting' });
      const subscription = api.zkCopy.events.subscribe(undefined, {
        onStarted: () => {
          failures = 0;
          set({ stream: 'live' });
          // Whatever happened while the stream was down (or the host restarted) is in the list.
          void get().load();
        },
        onData: (event) => {
          if (event.type === 'progress') onProgress(event.event);
          else remember(event.run);
        },
        onError: () => restart(),
        onComplete: () => restart(),
      });
      unsubscribe = () => subscription.unsubscribe();
    };
    const restart = () => {
      if (stopped) return;
      set({ stream: 'lost' });
      unsubscribe?.();
      clearTimeout(retry);
      retry = setTimeout(subscribe, Math.min(10_000, 500 * 2 ** failures++));
    };
    subscribe();
    return () => {
      stopped = true;
      clearTimeout(retry);
      unsubscribe?.();
    };
  };

  return {
    status: 'idle',
    error: null,
    runs: [],
    progress: {},
    stream: 'connecting',
    selected: {},

    async load() {
      set((state) => ({ status: state.runs.length > 0 ? state.status : 'loading', error: null }));
      try {
        const runs = await withDeadline(READ_DEADLINE_MS, 'Listing the copy runs', (signal) =>
          api.zkCopy.list.query({ limit: 200 }, { signal }),
        );
        set((state) => ({
          runs: runs
            .map((run) => {
              const known = state.runs.find((candidate) => candidate.id === run.id);
              return known && !isNewer(run, known) ? known : run;
            })
            .sort((a, b) => b.createdAt - a.createdAt),
          status: 'ready',
          error: null,
        }));
      } catch (error) {
        set({ status: 'error', error: toApiError(error) });
      }
    },

    select(connectionId, runId) {
      set((state) => ({ selected: { ...state.selected, [connectionId]: runId } }));
    },

    follow() {
      followers += 1;
      if (followers === 1) stopStream = startStream();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        followers -= 1;
        if (followers === 0) {
          stopStream?.();
          stopStream = undefined;
        }
      };
    },

    createRun: (input) => call(() => api.zkCopy.create.mutate(input)).then(remember),
    async plan(runId) {
      const { run } = await call(() => api.zkCopy.plan.mutate({ runId }));
      return remember(run);
    },
    start: (runId, confirmMirror) =>
      call(() => api.zkCopy.start.mutate({ runId, confirmMirror })).then(remember),
    diff: (input) => call(() => api.zkCopy.diff.mutate(input)).then(remember),
    pause: (runId) => call(() => api.zkCopy.pause.mutate({ runId })).then(remember),
    resume: (runId) => call(() => api.zkCopy.resume.mutate({ runId })).then(remember),
    cancel: (runId) => call(() => api.zkCopy.cancel.mutate({ runId })).then(remember),
    reconcile: (runId, confirmMirror) =>
      call(() => api.zkCopy.reconcile.mutate({ runId, confirmMirror })).then(remember),
    prepareCleanup: (connectionId, path) =>
      call(() => api.zkCopy.prepareCleanup.mutate({ connectionId, path })).then(remember),
    confirmCleanup: (runId, confirmNodeCount) =>
      call(() => api.zkCopy.confirmCleanup.mutate({ runId, confirmNodeCount })).then(remember),
  };
});
