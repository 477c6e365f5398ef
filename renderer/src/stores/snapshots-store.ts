/**
 * Snapshots as the views need them: the list per connection (and all of them), the details of the
 * ones open as offline workspaces, and opening one (or the bundled sample cluster) as a workspace.
 */
import { create } from 'zustand';
import type { SnapshotView } from '../../../shared/api/snapshots';
import { type ApiError, toApiError } from '../api/api-error';
import { api } from '../api/client';
import { READ_DEADLINE_MS, withDeadline } from '../api/with-timeout';
import { offlineProfile } from '../features/snapshots/offline-profile';
import { useConnectionsStore } from './connections-store';
import { useWorkspaceStore } from './workspace-store';

/** The key of the list of every snapshot (not one connection's). */
export const ALL_SNAPSHOTS = '*';

export interface SnapshotList {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  items: SnapshotView[];
  error: ApiError | null;
}

interface SnapshotsState {
  lists: Record<string, SnapshotList>;
  /** Every snapshot seen, by id (offline workspaces read their banner from here). */
  known: Record<string, SnapshotView>;
  sample: { status: 'idle' | 'opening' | 'error'; error: ApiError | null };
  /** Why snapshot tabs open before a restart did not come back (deleted since), until dismissed. */
  reopenNotice: string | null;
  setReopenNotice(notice: string | null): void;
  load(connectionId?: string): Promise<void>;
  remember(view: SnapshotView): void;
  /** Opens a snapshot as an offline workspace, on the given view (Explorer by default). */
  open(view: SnapshotView, workspaceView?: string): void;
  openSample(): Promise<void>;
  forget(snapshotId: string): void;
}

export const useSnapshotsStore = create<SnapshotsState>()((set, get) => ({
  lists: {},
  known: {},
  sample: { status: 'idle', error: null },
  reopenNotice: null,

  setReopenNotice(notice) {
    set({ reopenNotice: notice });
  },

  async load(connectionId) {
    const key = connectionId ?? ALL_SNAPSHOTS;
    set((state) => ({
      lists: {
        ...state.lists,
        [key]: { status: 'loading', items: state.lists[key]?.items ?? [], error: null },
      },
    }));
    try {
      const items = await withDeadline(READ_DEADLINE_MS, 'Listing the snapshots', (signal) =>
        api.snapshots.list.query(connectionId ? { connectionId } : undefined, { signal }),
      );
      set((state) => ({
        lists: { ...state.lists, [key]: { status: 'loaded', items, error: null } },
        known: { ...state.known, ...Object.fromEntries(items.map((item) => [item.id, item])) },
      }));
    } catch (error) {
      set((state) => ({
        lists: {
          ...state.lists,
          [key]: { status: 'error', items: state.lists[key]?.items ?? [], error: toApiError(error) },
        },
      }));
    }
  },

  remember(view) {
    set((state) => ({ known: { ...state.known, [view.id]: view } }));
  },

  open(view, workspaceView) {
    get().remember(view);
    const profile = offlineProfile(view);
    if (workspaceView) useWorkspaceStore.getState().setView(profile.id, workspaceView);
    useConnectionsStore.getState().openOffline(profile);
  },

  async openSample() {
    set({ sample: { status: 'opening', error: null } });
    try {
      const sample = await withDeadline(READ_DEADLINE_MS, 'Opening the sample cluster', (signal) =>
        api.snapshots.openSample.mutate(undefined, { signal }),
      );
      set({ sample: { status: 'idle', error: null } });
      get().open(sample.snapshot, 'pegasus');
    } catch (error) {
      set({ sample: { status: 'error', error: toApiError(error) } });
    }
  },

  forget(snapshotId) {
    set((state) => {
      const { [snapshotId]: _gone, ...known } = state.known;
      const lists = Object.fromEntries(
        Object.entries(state.lists).map(([key, list]) => [
          key,
          { ...list, items: list.items.filter((item) => item.id !== snapshotId) },
        ]),
      );
      return { known, lists };
    });
  },
}));

/** The snapshot behind an offline workspace id, when known. */
export function useSnapshotOf(snapshotId: string | null): SnapshotView | undefined {
  return useSnapshotsStore((state) => (snapshotId ? state.known[snapshotId] : undefined));
}
