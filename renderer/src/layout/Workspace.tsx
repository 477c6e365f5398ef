import { Box, Stack, Tabs } from '@mantine/core';
import type { ConnectionProfile } from '../../../shared/api/connections';
import { isOfflineProfile } from '../features/snapshots/offline-profile';
import { useWorkspaceStore } from '../stores/workspace-store';
import { WORKSPACE_VIEWS } from './workspace-views';

/** The selected connection's views as tabs; only the active one is mounted. */
export function Workspace({ connection }: { connection: ConnectionProfile }) {
  // A snapshot workspace shows only the views that can read a snapshot.
  const views = isOfflineProfile(connection)
    ? WORKSPACE_VIEWS.filter((item) => item.offline)
    : WORKSPACE_VIEWS;
  const active = useWorkspaceStore((state) => state.viewByConnection[connection.id]) ?? views[0]?.id;
  const setView = useWorkspaceStore((state) => state.setView);
  const view = views.find((candidate) => candidate.id === active) ?? views[0];
  if (views.length === 1) return <>{view?.render(connection)}</>;
  return (
    <Stack gap={0} h="100%">
      <Tabs value={view?.id ?? null} onChange={(value) => value && setView(connection.id, value)}>
        <Tabs.List px="sm">
          {views.map((candidate) => (
            <Tabs.Tab key={candidate.id} value={candidate.id} data-testid={`view-tab-${candidate.id}`}>
              {candidate.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Box style={{ flex: 1, minHeight: 0 }}>{view?.render(connection)}</Box>
    </Stack>
  );
}
