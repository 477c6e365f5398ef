/** The app shell: header with the selected connection's state, connections on the left, the view. */
import { AppShell } from '@mantine/core';
import { useEffect } from 'react';
import { ConnectionDialogs } from './features/connections/ConnectionDialogs';
import { ConnectionList } from './features/connections/ConnectionList';
import { OfflineNav } from './features/snapshots/OfflineNav';
import { AppHeader } from './layout/AppHeader';
import { MainView } from './layout/MainView';
import { useConnectionsStore } from './stores/connections-store';
import { startNodeWatchSync } from './stores/node-watch-sync';
import { startSessionEvents } from './stores/sessions-store';
import { startWorkspaceMemory } from './stores/workspace-memory';

export function App() {
  useEffect(() => {
    void useConnectionsStore.getState().load();
    const stops = [startSessionEvents(), startNodeWatchSync(), startWorkspaceMemory()];
    return () => {
      for (const stop of stops) stop();
    };
  }, []);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 300, breakpoint: 0 }} padding={0}>
      <AppShell.Header>
        <AppHeader />
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow style={{ minHeight: 0 }}>
          <ConnectionList />
        </AppShell.Section>
        <AppShell.Section pt="xs">
          <OfflineNav />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main h="100dvh">
        <MainView />
      </AppShell.Main>
      <ConnectionDialogs />
    </AppShell>
  );
}
