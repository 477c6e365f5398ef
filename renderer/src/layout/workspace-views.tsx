/**
 * The views of a selected connection, as tabs above the workspace. Adding a view is one entry here
 * plus its feature folder; the order is the order of the tabs.
 */
import type { ReactNode } from 'react';
import type { ConnectionProfile } from '../../../shared/api/connections';
import { ExplorerView } from '../features/explorer/ExplorerView';
import { EnsembleHealthView } from '../features/health/EnsembleHealthView';
import { PegasusView } from '../features/pegasus/PegasusView';
import { SnapshotsView } from '../features/snapshots/SnapshotsView';
import { CopyView } from '../features/zk-copy/CopyView';

export interface WorkspaceView {
  id: string;
  label: string;
  render(connection: ConnectionProfile): ReactNode;
  /** Works on a snapshot opened offline (read through the same API, no network); default false. */
  offline?: boolean;
}

export const WORKSPACE_VIEWS: WorkspaceView[] = [
  {
    id: 'explorer',
    label: 'Explorer',
    render: (connection) => <ExplorerView key={connection.id} connection={connection} />,
    offline: true,
  },
  {
    id: 'pegasus',
    label: 'Pegasus',
    render: (connection) => <PegasusView key={connection.id} connection={connection} />,
    offline: true,
  },
  {
    id: 'health',
    label: 'Health',
    render: (connection) => <EnsembleHealthView key={connection.id} connection={connection} />,
  },
  {
    id: 'snapshots',
    label: 'Snapshots',
    render: (connection) => <SnapshotsView key={connection.id} connection={connection} />,
    offline: true,
  },
  {
    id: 'copy',
    label: 'Copy',
    render: (connection) => <CopyView key={connection.id} connection={connection} />,
  },
];
