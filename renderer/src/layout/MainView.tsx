import { IconPointer } from '@tabler/icons-react';
import { useRef } from 'react';
import type { ConnectionProfile } from '../api/types';
import { EmptyState } from '../components/EmptyState';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { ConnectionsEmptyState } from '../features/connections/ConnectionsEmptyState';
import { useConnectionsStore, useSelectedConnection } from '../stores/connections-store';
import { useAppAreaStore } from '../stores/app-area-store';
import { HistoryView } from '../features/runbooks/HistoryView';
import { MigrationsView } from '../features/runbooks/MigrationsView';
import { SampleClusterButton } from '../features/snapshots/SampleClusterButton';
import { OpenConnectionsBar } from './OpenConnectionsBar';
import { Workspace } from './Workspace';

/**
 * The open connections' workspaces. Each one visited stays mounted (hidden when not in front), so
 * switching back keeps its tree, scroll position and node panel exactly as they were.
 */
function OpenWorkspaces({ selected }: { selected: ConnectionProfile }) {
  const openIds = useConnectionsStore((state) => state.openIds);
  const connections = useConnectionsStore((state) => state.connections);
  const offline = useConnectionsStore((state) => state.offline);
  const visited = useRef(new Set<string>());
  visited.current.add(selected.id);
  for (const id of visited.current)
    if (!openIds.includes(id) && id !== selected.id) visited.current.delete(id);
  const mounted = [...connections, ...offline].filter((profile) => visited.current.has(profile.id));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <OpenConnectionsBar />
      {mounted.map((profile) => (
        <div
          key={profile.id}
          style={{ flex: 1, minHeight: 0, display: profile.id === selected.id ? 'block' : 'none' }}
          data-testid="connection-workspace"
          data-connection={profile.name}
        >
          <Workspace connection={profile} />
        </div>
      ))}
    </div>
  );
}

export function MainView() {
  const status = useConnectionsStore((state) => state.status);
  const count = useConnectionsStore((state) => state.connections.length);
  const error = useConnectionsStore((state) => state.error);
  const load = useConnectionsStore((state) => state.load);
  const selected = useSelectedConnection();
  const area = useAppAreaStore((state) => state.area);

  const areaView = area === 'migrations' ? <MigrationsView /> : area === 'history' ? <HistoryView /> : null;

  // The workspaces stay mounted (hidden) behind Migrations and History, so coming back finds them as left.
  if (selected) {
    return (
      <>
        {areaView}
        <div style={{ height: '100%', display: areaView ? 'none' : 'block' }}>
          <OpenWorkspaces selected={selected} />
        </div>
      </>
    );
  }
  if (areaView) return areaView;
  if (status === 'idle' || (status === 'loading' && count === 0))
    return <LoadingState label="Loading connections…" />;
  if (status === 'error' && count === 0) {
    return (
      <ErrorState
        title="Could not load the connections"
        message={error?.message}
        onRetry={() => void load()}
      />
    );
  }
  if (count === 0) return <ConnectionsEmptyState />;
  return (
    <EmptyState
      icon={<IconPointer size={26} />}
      title="Select a connection"
      description="Pick a connection on the left to open its session and browse its tree, or explore the sample Pegasus cluster offline."
      actions={<SampleClusterButton testId="start-open-sample" />}
    />
  );
}
