/**
 * Remembers the workspace across restarts through the host (settings table): which connections are
 * open, which one is in front, and per connection the expanded paths and the open node. Restored once
 * at start, before anything is saved, so a slow host never makes the app forget by overwriting.
 * Snapshot workspaces are remembered the same way and reopened from the snapshot store
 * (features/snapshots/reopen-snapshot-tabs).
 */
import { MAX_REMEMBERED_EXPANDED, type WorkspaceState } from '../../../shared/api/workspace-state';
import { api } from '../api/client';
import { reopenSnapshotTabs } from '../features/snapshots/reopen-snapshot-tabs';
import { useConnectionsStore } from './connections-store';
import { ROOT_PATH, useExplorerStore } from './explorer-store';

const SAVE_DEBOUNCE_MS = 500;

function snapshot(): WorkspaceState {
  const { openIds, selectedId } = useConnectionsStore.getState();
  const byConnection = useExplorerStore.getState().byConnection;
  const explorers: WorkspaceState['explorers'] = {};
  for (const id of openIds) {
    const explorer = byConnection[id];
    if (!explorer) continue;
    explorers[id] = {
      expanded: Object.keys(explorer.expanded)
        .filter((path) => explorer.expanded[path] && path !== ROOT_PATH)
        .sort()
        .slice(0, MAX_REMEMBERED_EXPANDED),
      selectedPath: explorer.selectedPath,
    };
  }
  return { openConnectionIds: openIds, selectedConnectionId: selectedId, explorers };
}

function connectionsSettled(): Promise<void> {
  const settled = () => {
    const status = useConnectionsStore.getState().status;
    return status === 'ready' || status === 'error';
  };
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = useConnectionsStore.subscribe(() => {
      if (!settled()) return;
      unsubscribe();
      resolve();
    });
  });
}

/** Restores the remembered workspace, then saves every change; returns a stop function. */
export function startWorkspaceMemory(): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSaved = '';
  const unsubscribers: (() => void)[] = [];

  const save = () => {
    const state = snapshot();
    const key = JSON.stringify(state);
    if (key === lastSaved) return;
    lastSaved = key;
    api.workspace.save.mutate(state).catch(() => {
      lastSaved = '';
    });
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DEBOUNCE_MS);
  };

  const restore = async () => {
    // The tabs refer to profiles: wait for the list (the app loads it at start).
    await connectionsSettled();
    let remembered: WorkspaceState | undefined;
    try {
      remembered = await api.workspace.get.query();
    } catch {
      // Nothing remembered is better than not starting; saving starts from what is on screen.
    }
    if (stopped) return;
    let dropped = new Set<string>();
    if (remembered) {
      // Their profiles first: restoreTabs keeps only the tabs it knows a profile for.
      dropped = await reopenSnapshotTabs(remembered.openConnectionIds);
      if (stopped) return;
      for (const [id, memory] of Object.entries(remembered.explorers))
        if (!dropped.has(id)) useExplorerStore.getState().restore(id, memory);
      // The operator may already have clicked something while we waited: that wins.
      if (useConnectionsStore.getState().selectedId === null) {
        useConnectionsStore
          .getState()
          .restoreTabs(remembered.openConnectionIds, remembered.selectedConnectionId);
      }
      lastSaved = JSON.stringify(snapshot());
    }
    unsubscribers.push(useConnectionsStore.subscribe(schedule), useExplorerStore.subscribe(schedule));
    // A dropped snapshot tab must leave the memory too, or every start would report it again.
    if (dropped.size > 0) {
      lastSaved = '';
      schedule();
    }
  };

  void restore();
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
