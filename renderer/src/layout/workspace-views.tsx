/**
 * The views of a selected connection, as tabs above the workspace. Adding a view is one entry here
 * plus its feature folder; the order is the order of the tabs.
 */
import type { ReactNode } from 'react';
import type { ConnectionProfile } from '../../../shared/api/connections';
import { ExplorerView } from '../features/explorer/ExplorerView';
import { PegasusView } from '../features/pegasus/PegasusView';

export interface WorkspaceView {
  id: string;
  label: string;
  render(connection: ConnectionProfile): ReactNode;
}

export const WORKSPACE_VIEWS: WorkspaceView[] = [
  {
    id: 'explorer',
    label: 'Explorer',
    render: (connection) => <ExplorerView key={connection.id} connection={connection} />,
  },
  {
    id: 'pegasus',
    label: 'Pegasus',
    render: (connection) => <PegasusView key={connection.id} connection={connection} />,
  },
];
