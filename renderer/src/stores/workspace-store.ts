/** Which workspace view (Explorer, Pegasus, ...) is showing; remembered per connection. */
import { create } from 'zustand';

interface WorkspaceState {
  viewByConnection: Record<string, string>;
  setView(connectionId: string, viewId: string): void;
}

export const useWorkspaceStore = create<WorkspaceState>((set) => ({
  viewByConnection: {},
  setView: (connectionId, viewId) =>
    set((state) => ({ viewByConnection: { ...state.viewByConnection, [connectionId]: viewId } })),
}));
