/**
 * Ensemble health per connection: the last probe, the error of the last failed one (the previous
 * figures stay on screen), and the refresh interval the operator chose. Each probe carries a
 * generation so a slow answer never overwrites a newer one.
 */
import { create } from 'zustand';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ApiOutputs } from '../api/types';
import { withDeadline } from '../api/with-timeout';

export type EnsembleHealthData = ApiOutputs['health']['probe'];

/** Seconds between automatic probes; 0 is off. */
export const REFRESH_CHOICES = [0, 5, 10, 30, 60] as const;
export const DEFAULT_REFRESH_SEC = 10;
/** Four words per server with a 5 s bound each, plus a tunnel login: allow more than a plain read. */
const PROBE_DEADLINE_MS = 45_000;

export interface HealthConnectionState {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  data: EnsembleHealthData | null;
  error: ApiError | null;
  refreshing: boolean;
  refreshSec: number;
  generation: number;
}

const initial = (): HealthConnectionState => ({
  status: 'idle',
  data: null,
  error: null,
  refreshing: false,
  refreshSec: DEFAULT_REFRESH_SEC,
  generation: 0,
});

interface HealthState {
  byConnection: Record<string, HealthConnectionState>;
  probe(connectionId: string): Promise<void>;
  setRefresh(connectionId: string, seconds: number): void;
}

export const useHealthStore = create<HealthState>()((set, get) => {
  const patch = (connectionId: string, change: Partial<HealthConnectionState>) =>
    set((state) => ({
      byConnection: {
        ...state.byConnection,
        [connectionId]: { ...(state.byConnection[connectionId] ?? initial()), ...change },
      },
    }));

  return {
    byConnection: {},

    async probe(connectionId) {
      const current = get().byConnection[connectionId] ?? initial();
      if (current.refreshing) return;
      const generation = current.generation + 1;
      patch(connectionId, {
        generation,
        refreshing: true,
        status: current.data ? current.status : 'loading',
      });
      try {
        const data = await withDeadline(PROBE_DEADLINE_MS, 'The health probe', (signal) =>
          api.health.probe.query({ connectionId }, { signal }),
        );
        if (get().byConnection[connectionId]?.generation !== generation) return;
        patch(connectionId, { status: 'loaded', data, error: null, refreshing: false });
      } catch (error) {
        if (get().byConnection[connectionId]?.generation !== generation) return;
        patch(connectionId, { status: 'error', error: toApiError(error), refreshing: false });
      }
    },

    setRefresh(connectionId, seconds) {
      patch(connectionId, { refreshSec: seconds });
    },
  };
});
