/**
 * Cluster profiles as the host lists them, and the latest "Check tools" result per profile (or per
 * form being edited). The host is the source of truth: every change reloads the list.
 */
import { create } from 'zustand';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ApiInputs, ApiOutputs } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';

export type PegasusProfileView = ApiOutputs['pegasusProfiles']['list'][number];
export type ProfileInput = ApiInputs['pegasusProfiles']['create'];
export type ProfileCheckResult = ApiOutputs['pegasusProfiles']['check'];

export interface CheckState {
  running: boolean;
  result: ProfileCheckResult | null;
  error: ApiError | null;
}

/** A check runs a shell (up to 20 s) and asks the meta servers: allow more than a plain read. */
const CHECK_DEADLINE_MS = 60_000;

interface PegasusProfilesState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  profiles: PegasusProfileView[];
  error: ApiError | null;
  /** Keyed by profile id, or 'form' for the profile being edited. */
  checks: Record<string, CheckState>;
  load(): Promise<void>;
  /** The mutations reject with an ApiError, so forms can show the host's field errors. */
  create(input: ProfileInput): Promise<PegasusProfileView>;
  update(id: string, input: ProfileInput): Promise<PegasusProfileView>;
  remove(id: string, confirmName: string): Promise<void>;
  check(key: string, target: { id: string } | { input: ProfileInput }): Promise<void>;
  clearCheck(key: string): void;
}

async function asApiError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}

export const usePegasusProfilesStore = create<PegasusProfilesState>()((set, get) => {
  /** Only the latest check of a key may write its result. */
  const latest: Record<string, number> = {};

  return {
    status: 'idle',
    profiles: [],
    error: null,
    checks: {},

    async load() {
      set({ status: 'loading', error: null });
      try {
        const profiles = await withDeadline(READ_DEADLINE_MS, 'Loading the cluster profiles', (signal) =>
          api.pegasusProfiles.list.query(undefined, { signal }),
        );
        set({ status: 'ready', profiles, error: null });
      } catch (error) {
        set({ status: 'error', error: toApiError(error) });
      }
    },

    async create(input) {
      const profile = await asApiError(() => api.pegasusProfiles.create.mutate(input));
      await get().load();
      return profile;
    },

    async update(id, input) {
      const profile = await asApiError(() => api.pegasusProfiles.update.mutate({ id, input }));
      await get().load();
      return profile;
    },

    async remove(id, confirmName) {
      await asApiError(() => api.pegasusProfiles.remove.mutate({ id, confirmName }));
      set((state) => {
        const { [id]: _gone, ...checks } = state.checks;
        return { checks };
      });
      await get().load();
    },

    async check(key, target) {
      const attempt = (latest[key] ?? 0) + 1;
      latest[key] = attempt;
      set((state) => ({ checks: { ...state.checks, [key]: { running: true, result: null, error: null } } }));
      let next: CheckState;
      try {
        const result = await withDeadline(CHECK_DEADLINE_MS, 'Checking the tools', (signal) =>
          api.pegasusProfiles.check.mutate(target, { signal }),
        );
        next = { running: false, result, error: null };
      } catch (error) {
        next = { running: false, result: null, error: toApiError(error) };
      }
      if (latest[key] === attempt) set((state) => ({ checks: { ...state.checks, [key]: next } }));
    },

    clearCheck(key) {
      latest[key] = (latest[key] ?? 0) + 1;
      set((state) => {
        const { [key]: _cleared, ...checks } = state.checks;
        return { checks };
      });
    },
  };
});
