/**
 * Shown over a run when the host answers again but refuses this page: in browser mode the access
 * token changes on every start, so after a restart the old cookie no longer opens the host and
 * retrying cannot help. The run is not affected (it lives in the host); the operator only needs
 * this launch's address. Opening it in any tab refreshes the cookie and this view reconnects on
 * its own; reloading this page after that works too.
 */
import { Alert, Button, Code, Group, Text } from '@mantine/core';
import { useRunbooksStore } from '../../stores/runbooks-store';

export function StreamAccessLost() {
  const stream = useRunbooksStore((state) => state.stream);
  if (stream !== 'access-lost') return null;
  return (
    <Alert color="orange" variant="light" title="Migration Desk was restarted" data-testid="runs-access-lost">
      <Text size="sm">
        This page's access ended with the previous launch (the access token changes on every start), so it
        cannot follow the run any more. The run itself is safe in Migration Desk and carries on as it was.
        Open the address Migration Desk printed when it started again,{' '}
        <Code>Migration Desk listening on http://127.0.0.1:…/?token=…</Code>, in this browser: this view then
        reconnects by itself, or reload it afterwards.
      </Text>
      <Group mt="xs">
        <Button size="xs" variant="light" onClick={() => window.location.reload()} data-testid="runs-reload">
          Reload page
        </Button>
      </Group>
    </Alert>
  );
}
