/**
 * Connection profiles as the host lists them, which ones the operator has open (tabs, each with its
 * own session and tree), and which one is in front.
 */
import { create } from 'zustand';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ConnectionInput, ConnectionProfile } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
import { useExplorerStore } from './explorer-store';

interface ConnectionsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  connections: ConnectionProfile[];
  error: ApiError | null;
  selectedId: string | null;
  /** Open connections, in tab order; the selected one is always among them. */
  openIds: string[];
  /**
   * Snapshots open as offline workspaces: connection-like profiles (read-only, id 'snapshot:<id>')
   * that the views read through the same API as live connections. Not in `connections`: they are
   * not saved connections and have no menu.
   */
  offline: ConnectionProfile[];
  /** Opens (or brings to front) an offline workspace. */
  openOffline(profile: ConnectionProfile): void;
  /** Offline workspaces reopened at start (their tabs come back through restoreTabs). */
  addOffline(profiles: readonly ConnectionProfile[]): void;
  load(): Promise<void>;
  /** The mutations reject with an ApiError, so forms can show the host's field errors. */
  create(input: ConnectionInput): Promise<ConnectionProfile>;
  update(id: string, input: ConnectionInput): Promise<ConnectionProfile>;
  remove(id: string): Promise<void>;
  select(id: string | null): void;
  /** Closes a tab: its session is closed on the host and its tree state forgotten. */
  closeTab(id: string): Promise<void>;
  /** The remembered open tabs and selection (from the host's workspace memory), offline ones included. */
  restoreTabs(openIds: string[], selectedId: string | null): void;
  setMode(id: string, readOnly: boolean, confirmName?: string): Promise<ConnectionProfile>;
}

const byName = (a: ConnectionProfile, b: ConnectionProfile) => a.name.localeCompare(b.name);

async function rethrowAsApiError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}

/**
 * The tabs without `id`'s, closed or deleted alike: when it was in front, its neighbour comes to the
 * front, so the other open connections stay in view rather than an empty workspace.
 */
function withoutTab(state: Pick<ConnectionsState, 'openIds' | 'selectedId'>, id: string) {
  const index = state.openIds.indexOf(id);
  const openIds = state.openIds.filter((open) => open !== id);
  const neighbour = openIds[Math.min(Math.max(index, 0), openIds.length - 1)] ?? null;
  return { openIds, selectedId: state.selectedId === id ? neighbour : state.selectedId };
}

export const useConnectionsStore = create<ConnectionsState>()((set, get) => ({
  status: 'idle',
  connections: [],
  error: null,
  selectedId: null,
  openIds: [],
  offline: [],

  async load() {
    set({ status: 'loading', error: null });
    try {
      const list = await withDeadline(READ_DEADLINE_MS, 'Loading the connections', (signal) =>
        api.connections.list.query(undefined, { signal }),
      );
      const selectedId = get().selectedId;
      const known = new Set([...list, ...get().offline].map((profile) => profile.id));
      set({
        status: 'ready',
        connections: [...list].sort(byName),
        selectedId: selectedId !== null && known.has(selectedId) ? selectedId : null,
        openIds: get().openIds.filter((id) => known.has(id)),
      });
    } catch (error) {
      set({ status: 'error', error: toApiError(error) });
    }
  },

  async create(input) {
    const profile = await rethrowAsApiError(() => api.connections.create.mutate(input));
    set((state) => ({ connections: [...state.connections, profile].sort(byName) }));
    return profile;
  },

  async update(id, input) {
    const profile = await rethrowAsApiError(() => api.connections.update.mutate({ id, input }));
    set((state) => ({
      connections: state.connections.map((item) => (item.id === id ? profile : item)).sort(byName),
    }));
    return profile;
  },

  async remove(id) {
    await rethrowAsApiError(() => api.connections.remove.mutate({ id }));
    set((state) => ({
      connections: state.connections.filter((item) => item.id !== id),
      ...withoutTab(state, id),
    }));
  },

  select(id) {
    set((state) => ({
      selectedId: id,
      openIds: id === null || state.openIds.includes(id) ? state.openIds : [...state.openIds, id],
    }));
  },

  openOffline(profile) {
    set((state) => ({
      offline: [...state.offline.filter((item) => item.id !== profile.id), profile],
      selectedId: profile.id,
      openIds: state.openIds.includes(profile.id) ? state.openIds : [...state.openIds, profile.id],
    }));
  },

  addOffline(profiles) {
    if (profiles.length === 0) return;
    const ids = new Set(profiles.map((profile) => profile.id));
    set((state) => ({ offline: [...state.offline.filter((item) => !ids.has(item.id)), ...profiles] }));
  },

  async closeTab(id) {
    set((state) => ({
      ...withoutTab(state, id),
      offline: state.offline.filter((profile) => profile.id !== id),
    }));
    useExplorerStore.getState().reset(id);
    await api.sessions.close.mutate({ connectionId: id }).catch(() => undefined);
  },

  restoreTabs(openIds, selectedId) {
    const known = new Set([...get().connections, ...get().offline].map((profile) => profile.id));
    const open = openIds.filter((id) => known.has(id));
    const selected = selectedId !== null && known.has(selectedId) ? selectedId : (open[0] ?? null);
    if (selected !== null && !open.includes(selected)) open.push(selected);
    set({ openIds: open, selectedId: selected });
  },

  async setMode(id, readOnly, confirmName) {
    const profile = await rethrowAsApiError(() =>
      api.connections.setMode.mutate({ id, readOnly, confirmName }),
    );
    set((state) => ({ connections: state.connections.map((item) => (item.id === id ? profile : item)) }));
    return profile;
  },
}));

/** A saved connection or an open offline workspace, by id. */
export function profileById(
  state: Pick<ConnectionsState, 'connections' | 'offline'>,
  id: string | null,
): ConnectionProfile | undefined {
  if (id === null) return undefined;
  return state.connections.find((item) => item.id === id) ?? state.offline.find((item) => item.id === id);
}

export function useSelectedConnection(): ConnectionProfile | undefined {
  return useConnectionsStore((state) => profileById(state, state.selectedId));
}
