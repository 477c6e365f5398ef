/** Connection profiles as the host lists them, and which one the operator is looking at. */
import { create } from 'zustand';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ConnectionInput, ConnectionProfile } from '../api/types';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';

interface ConnectionsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  connections: ConnectionProfile[];
  error: ApiError | null;
  selectedId: string | null;
  load(): Promise<void>;
  /** The mutations reject with an ApiError, so forms can show the host's field errors. */
  create(input: ConnectionInput): Promise<ConnectionProfile>;
  update(id: string, input: ConnectionInput): Promise<ConnectionProfile>;
  remove(id: string): Promise<void>;
  select(id: string | null): void;
}

const byName = (a: ConnectionProfile, b: ConnectionProfile) => a.name.localeCompare(b.name);

async function rethrowAsApiError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}

export const useConnectionsStore = create<ConnectionsState>()((set, get) => ({
  status: 'idle',
  connections: [],
  error: null,
  selectedId: null,

  async load() {
    set({ status: 'loading', error: null });
    try {
      const list = await withDeadline(READ_DEADLINE_MS, 'Loading the connections', (signal) =>
        api.connections.list.query(undefined, { signal }),
      );
      const selectedId = get().selectedId;
      set({
        status: 'ready',
        connections: [...list].sort(byName),
        selectedId: list.some((profile) => profile.id === selectedId) ? selectedId : null,
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
      selectedId: state.selectedId === id ? null : state.selectedId,
    }));
  },

  select(id) {
    set({ selectedId: id });
  },
}));

export function useSelectedConnection(): ConnectionProfile | undefined {
  return useConnectionsStore((state) => state.connections.find((item) => item.id === state.selectedId));
}
