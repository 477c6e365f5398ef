/**
 * Runbooks and their runs as the Migrations and History areas see them: the catalogue, the run
 * history with its filters, the run being looked at (with its output and audit events) kept live by
 * the host's `runs.events` stream, and the controls. The host stays the source of truth: every
 * control answers with the run as the host now sees it, and the stream keeps the rest current. The
 * stream is restarted with backoff when it drops (host restarted, laptop slept); each restart reads
 * the run again, so nothing that happened meanwhile is missed. While it is down, the host is asked
 * whether it refuses this page (a browser-mode restart changes the token): then retrying is pointless
 * until the operator opens the new address, so the view says so, and the stream comes back by
 * itself once that address has refreshed this host's cookie.
 */
import { create } from 'zustand';
import type { AuditEvent } from '../../../shared/api/audit';
import type { RunbookInfo, RunOutputLine, RunSummary, RunView } from '../../../shared/api/run-views';
import type { RunState } from '../../../shared/api/runs';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import { checkHostAccess } from '../api/host-access';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
import { applyProgress, mergeOutput, newer } from './run-view-merge';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
/** `access-lost`: the host answers but refuses this page (restarted with a new token). */
export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'access-lost';

/** How often a stream that is down asks the host whether it still lets this page in. */
const ACCESS_POLL_MS = 1500;

export interface HistoryFilters {
  runbookId: string | null;
  state: RunState | null;
  text: string;
  /** Only runs created within this many hours; null for all. */
  withinHours: number | null;
}

export type MigrationsPage =
  | { page: 'catalogue' }
  | { page: 'wizard'; runbookId: string }
  | { page: 'run'; runId: string };

export interface RunDetailState {
  status: LoadStatus;
  error: ApiError | null;
  run: RunView | null;
  output: RunOutputLine[];
  events: AuditEvent[];
}

export type ControlInput =
  | { action: 'start' | 'pause' | 'resume' | 'retry' }
  | { action: 'skip'; reason: string }
  | { action: 'abort'; confirm: string; reason?: string }
  | { action: 'acknowledge'; note?: string }
  | { action: 'confirm'; note?: string; text?: string }
  | { action: 'rollback'; stepIndex?: number };

interface RunbooksState {
  catalogue: { status: LoadStatus; error: ApiError | null; runbooks: RunbookInfo[] };
  history: { status: LoadStatus; error: ApiError | null; runs: RunSummary[]; filters: HistoryFilters };
  details: Record<string, RunDetailState>;
  stream: StreamStatus;
  migrations: MigrationsPage;
  /** The run whose audit events History shows. */
  historySelected: string | null;
  navigate(page: MigrationsPage): void;
  selectHistoryRun(runId: string | null): void;
  loadCatalogue(): Promise<void>;
  loadHistory(filters?: Partial<HistoryFilters>): Promise<void>;
  loadRun(runId: string): Promise<void>;
  /** Keeps `runId` live while the returned release is not called. */
  follow(runId: string): () => void;
  /** Rejects with an ApiError whose fieldErrors are keyed by parameter name. */
  create(runbookId: string, params: Record<string, unknown>, precheckOnly: boolean): Promise<RunView>;
  control(runId: string, input: ControlInput): Promise<RunView>;
  report(runId: string, format: 'markdown' | 'html'): Promise<{ fileName: string; content: string }>;
}

async function call<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (error) {
    throw toApiError(error);
  }
}

const emptyDetail = (): RunDetailState => ({
  status: 'idle',
  error: null,
  run: null,
  output: [],
  events: [],
});

export const DEFAULT_FILTERS: HistoryFilters = { runbookId: null, state: null, text: '', withinHours: null };

const followers = new Map<string, { count: number; stop: () => void }>();

export const useRunbooksStore = create<RunbooksState>()((set, get) => {
  const patchDetail = (runId: string, patch: (detail: RunDetailState) => Partial<RunDetailState>) =>
    set((state) => {
      const detail = state.details[runId] ?? emptyDetail();
      return { details: { ...state.details, [runId]: { ...detail, ...patch(detail) } } };
    });

  const remember = (run: RunView): RunView => {
    patchDetail(run.id, (detail) => ({ run: newer(detail.run, run), status: 'ready', error: null }));
    return run;
  };

  const startStream = (runId: string) => {
    let stopped = false;
    let failures = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    let watchdog: ReturnType<typeof setInterval> | undefined;
    let checking = false;
    const subscribe = () => {
      if (stopped) return;
      const subscription = api.runs.events.subscribe(
        { runId },
        {
          onStarted: () => {
            failures = 0;
            set({ stream: 'live' });
            // Lines and audit events printed while the stream was down come with a fresh read.
            void get().loadRun(runId);
          },
          onData: (event) => {
            if (event.type === 'run') remember(event.run);
            else if (event.type === 'output')
              patchDetail(runId, (detail) => ({ output: mergeOutput(detail.output, [event.line]) }));
            else
              patchDetail(runId, (detail) => ({
                run: detail.run ? applyProgress(detail.run, event.progress) : detail.run,
              }));
          },
          onConnectionStateChange: (state) => {
            if (state.state === 'connecting' && state.error) {
              set({ stream: 'reconnecting' });
              watchAccess();
            }
          },
          onError: () => restart(),
          onComplete: () => restart(),
        },
      );
      unsubscribe = () => subscription.unsubscribe();
    };
    const restart = () => {
      if (stopped) return;
      if (get().stream !== 'access-lost') set({ stream: 'reconnecting' });
      unsubscribe?.();
      clearTimeout(retry);
      retry = setTimeout(subscribe, Math.min(10_000, 500 * 2 ** failures++));
      watchAccess();
    };
    const stopWatching = () => {
      clearInterval(watchdog);
      watchdog = undefined;
    };
    // While the stream is down: a refusal stops the retries (they cannot succeed) until the host
    // lets this page in again, then the stream starts afresh (and reads the run again).
    const checkAccess = async () => {
      if (checking) return;
      checking = true;
      try {
        const access = await checkHostAccess();
        if (stopped || get().stream === 'live') return stopWatching();
        if (access === 'refused' && get().stream !== 'access-lost') {
          set({ stream: 'access-lost' });
          clearTimeout(retry);
          unsubscribe?.();
          unsubscribe = undefined;
        } else if (access === 'ok' && get().stream === 'access-lost') {
          set({ stream: 'reconnecting' });
          failures = 0;
          subscribe();
        }
      } finally {
        checking = false;
      }
    };
    const watchAccess = () => {
      if (stopped || watchdog) return;
      void checkAccess();
      watchdog = setInterval(() => void checkAccess(), ACCESS_POLL_MS);
    };
    subscribe();
    return () => {
      stopped = true;
      clearTimeout(retry);
      stopWatching();
      unsubscribe?.();
    };
  };

  return {
    catalogue: { status: 'idle', error: null, runbooks: [] },
    history: { status: 'idle', error: null, runs: [], filters: DEFAULT_FILTERS },
    details: {},
    stream: 'connecting',
    migrations: { page: 'catalogue' },
    historySelected: null,

    navigate: (migrations) => set({ migrations }),
    selectHistoryRun: (historySelected) => set({ historySelected }),

    async loadCatalogue() {
      set((state) => ({ catalogue: { ...state.catalogue, status: 'loading', error: null } }));
      try {
        const runbooks = await call(() =>
          withDeadline(READ_DEADLINE_MS, 'Reading the runbooks', (signal) =>
            api.runbooks.list.query(undefined, { signal }),
          ),
        );
        set({ catalogue: { status: 'ready', error: null, runbooks } });
      } catch (error) {
        set((state) => ({ catalogue: { ...state.catalogue, status: 'error', error: error as ApiError } }));
      }
    },

    async loadHistory(patch = {}) {
      const filters = { ...get().history.filters, ...patch };
      set((state) => ({ history: { ...state.history, filters, status: 'loading', error: null } }));
      try {
        const runs = await call(() =>
          withDeadline(READ_DEADLINE_MS, 'Reading the run history', (signal) =>
            api.runs.list.query(
              {
                ...(filters.runbookId ? { runbookId: filters.runbookId } : {}),
                ...(filters.state ? { states: [filters.state] } : {}),
                ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
                ...(filters.withinHours ? { from: Date.now() - filters.withinHours * 3_600_000 } : {}),
                limit: 200,
              },
              { signal },
            ),
          ),
        );
        // A later filter change may have answered first: only the current filters may write.
        if (get().history.filters !== filters) return;
        set((state) => ({ history: { ...state.history, status: 'ready', runs } }));
      } catch (error) {
        if (get().history.filters !== filters) return;
        set((state) => ({ history: { ...state.history, status: 'error', error: error as ApiError } }));
      }
    },

    async loadRun(runId) {
      patchDetail(runId, (detail) => ({ status: detail.run ? detail.status : 'loading', error: null }));
      try {
        const detail = await call(() =>
          withDeadline(READ_DEADLINE_MS, 'Reading the run', (signal) =>
            api.runs.get.query({ runId, outputLines: 2000, events: 500 }, { signal }),
          ),
        );
        patchDetail(runId, (known) => ({
          status: 'ready',
          error: null,
          run: newer(known.run, detail.run),
          output: mergeOutput(known.output, detail.output),
          events: detail.events,
        }));
      } catch (error) {
        patchDetail(runId, () => ({ status: 'error', error: error as ApiError }));
      }
    },

    follow(runId) {
      const existing = followers.get(runId);
      if (existing) existing.count++;
      else followers.set(runId, { count: 1, stop: startStream(runId) });
      return () => {
        const entry = followers.get(runId);
        if (!entry) return;
        entry.count--;
        if (entry.count === 0) {
          entry.stop();
          followers.delete(runId);
        }
      };
    },

    async create(runbookId, params, precheckOnly) {
      const run = await call(() => api.runs.create.mutate({ runbookId, params, precheckOnly }));
      return remember(run);
    },

    async control(runId, input) {
      const run = await call(() => {
        switch (input.action) {
          case 'start':
            return api.runs.start.mutate({ runId });
          case 'pause':
            return api.runs.pause.mutate({ runId });
          case 'resume':
            return api.runs.resume.mutate({ runId });
          case 'retry':
            return api.runs.retry.mutate({ runId });
          case 'skip':
            return api.runs.skip.mutate({ runId, reason: input.reason });
          case 'abort':
            return api.runs.abort.mutate({
              runId,
              confirm: input.confirm,
              ...(input.reason ? { reason: input.reason } : {}),
            });
          case 'acknowledge':
            return api.runs.acknowledge.mutate({ runId, ...(input.note ? { note: input.note } : {}) });
          case 'confirm':
            return api.runs.confirm.mutate({
              runId,
              ...(input.note ? { note: input.note } : {}),
              ...(input.text !== undefined ? { text: input.text } : {}),
            });
          case 'rollback':
            return api.runs.rollback.mutate({
              runId,
              ...(input.stepIndex !== undefined ? { stepIndex: input.stepIndex } : {}),
            });
        }
      });
      remember(run);
      // The audit trail gained an event: read it (and any lines) again, without waiting for it.
      void get().loadRun(runId);
      return run;
    },

    async report(runId, format) {
      return call(() =>
        withDeadline(READ_DEADLINE_MS, 'Building the report', (signal) =>
          api.runs.report.query({ runId, format }, { signal }),
        ),
      );
    },
  };
});

export function useRunDetail(runId: string | null): RunDetailState {
  return useRunbooksStore((state) => (runId ? state.details[runId] : undefined) ?? EMPTY_DETAIL);
}

const EMPTY_DETAIL = emptyDetail();
