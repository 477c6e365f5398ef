/**
 * Which top-level area fills the main view: the connection workspaces, Migrations (runbooks and
 * runs) or History. Picking a connection always brings its workspace to the front, so the
 * connection list on the left keeps working the same from any area.
 */
import { create } from 'zustand';
import { useConnectionsStore } from './connections-store';

export type AppArea = 'connections' | 'migrations' | 'history';

interface AppAreaState {
  area: AppArea;
  setArea(area: AppArea): void;
}

export const useAppAreaStore = create<AppAreaState>()((set) => ({
  area: 'connections',
  setArea: (area) => set({ area }),
}));

useConnectionsStore.subscribe((state, previous) => {
  if (state.selectedId && state.selectedId !== previous.selectedId) {
    useAppAreaStore.getState().setArea('connections');
  }
});
