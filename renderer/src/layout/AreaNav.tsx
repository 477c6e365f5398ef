/**
 * App-level navigation between the connection workspaces, Migrations (runbooks and runs) and
 * History. Picking a connection on the left brings the workspaces back to the front on its own.
 */
import { SegmentedControl } from '@mantine/core';
import { type AppArea, useAppAreaStore } from '../stores/app-area-store';

export function AreaNav() {
  const area = useAppAreaStore((state) => state.area);
  const setArea = useAppAreaStore((state) => state.setArea);
  return (
    <SegmentedControl
      size="xs"
      value={area}
      onChange={(value) => setArea(value as AppArea)}
      data={[
        { value: 'connections', label: <span data-testid="area-connections">Connections</span> },
        { value: 'migrations', label: <span data-testid="area-migrations">Migrations</span> },
        { value: 'history', label: <span data-testid="area-history">History</span> },
      ]}
      data-testid="area-nav"
      data-area={area}
    />
  );
}
