import { IconPointer } from '@tabler/icons-react';
import { EmptyState } from '../components/EmptyState';
import { ErrorState } from '../components/ErrorState';
import { LoadingState } from '../components/LoadingState';
import { ConnectionsEmptyState } from '../features/connections/ConnectionsEmptyState';
import { useConnectionsStore, useSelectedConnection } from '../stores/connections-store';
import { Workspace } from './Workspace';

export function MainView() {
  const status = useConnectionsStore((state) => state.status);
  const count = useConnectionsStore((state) => state.connections.length);
  const error = useConnectionsStore((state) => state.error);
  const load = useConnectionsStore((state) => state.load);
  const selected = useSelectedConnection();

  if (selected) return <Workspace key={selected.id} connection={selected} />;
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
      description="Pick a connection on the left to open its session and browse its tree."
    />
  );
}
