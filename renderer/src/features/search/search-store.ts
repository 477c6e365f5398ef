/**
 * Subtree searches, one per connection: the request, results as they stream in, progress, and the
 * outcome. Cancelling ends the subscription, which stops the walk on the host.
 */
import { create } from 'zustand';
import type { SearchEvent, SearchInput, SearchMatch } from '../../../../shared/api/subtree-search';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';

export type SearchStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ConnectionSearch {
  status: SearchStatus;
  request: SearchInput | null;
  matches: SearchMatch[];
  progress: { visited: number; matched: number; elapsedMs: number };
  outcome: Extract<SearchEvent, { type: 'done' }> | null;
  vanished: string[];
  unreadable: { path: string; message: string }[];
  error: string | null;
}

interface SearchState {
  byConnection: Record<string, ConnectionSearch>;
  start(input: SearchInput): void;
  cancel(connectionId: string): void;
  clear(connectionId: string): void;
}

/** Paths listed as deleted or unreadable are capped: the outcome carries the full counts. */
const MAX_LISTED = 200;

const idle: ConnectionSearch = {
  status: 'idle',
  request: null,
  matches: [],
  progress: { visited: 0, matched: 0, elapsedMs: 0 },
  outcome: null,
  vanished: [],
  unreadable: [],
  error: null,
};

const running = new Map<string, () => void>();

export const useSearchStore = create<SearchState>()((set, get) => {
  const patch = (connectionId: string, fn: (current: ConnectionSearch) => Partial<ConnectionSearch>) =>
    set((state) => {
      const current = state.byConnection[connectionId] ?? idle;
      return { byConnection: { ...state.byConnection, [connectionId]: { ...current, ...fn(current) } } };
    });

  const apply = (connectionId: string, event: SearchEvent) => {
    switch (event.type) {
      case 'started':
        // Also after an EventSource reconnect re-ran the search: start the list over.
        patch(connectionId, () => ({ matches: [], vanished: [], unreadable: [] }));
        break;
      case 'matches':
        patch(connectionId, (current) => ({
          matches: [...current.matches, ...event.items],
          progress: { ...current.progress, visited: event.visited, matched: event.matched },
        }));
        break;
      case 'progress':
        patch(connectionId, () => ({
          progress: { visited: event.visited, matched: event.matched, elapsedMs: event.elapsedMs },
        }));
        break;
      case 'vanished':
        patch(connectionId, (current) => ({
          vanished:
            current.vanished.length < MAX_LISTED ? [...current.vanished, event.path] : current.vanished,
        }));
        break;
      case 'unreadable':
        patch(connectionId, (current) => ({
          unreadable:
            current.unreadable.length < MAX_LISTED
              ? [...current.unreadable, { path: event.path, message: event.message }]
              : current.unreadable,
        }));
        break;
      case 'done':
        patch(connectionId, () => ({
          status: 'done',
          outcome: event,
          progress: { visited: event.visited, matched: event.matched, elapsedMs: event.elapsedMs },
        }));
        finish(connectionId);
        break;
      case 'failed':
        patch(connectionId, () => ({ status: 'failed', error: event.message }));
        finish(connectionId);
        break;
    }
  };

  const finish = (connectionId: string) => {
    running.get(connectionId)?.();
    running.delete(connectionId);
  };

  return {
    byConnection: {},

    start(input) {
      const { connectionId } = input;
      finish(connectionId);
      set((state) => ({
        byConnection: {
          ...state.byConnection,
          [connectionId]: { ...idle, status: 'running', request: input },
        },
      }));
      const subscription = api.search.run.subscribe(input, {
        onData: (event) => apply(connectionId, event),
        onError: (error) => {
          patch(connectionId, () => ({ status: 'failed', error: toApiError(error).message }));
          finish(connectionId);
        },
      });
      running.set(connectionId, () => subscription.unsubscribe());
    },

    cancel(connectionId) {
      if (get().byConnection[connectionId]?.status !== 'running') return;
      finish(connectionId);
      patch(connectionId, () => ({ status: 'cancelled' }));
    },

    clear(connectionId) {
      finish(connectionId);
      set((state) => {
        const { [connectionId]: _dropped, ...rest } = state.byConnection;
        return { byConnection: rest };
      });
    },
  };
});
