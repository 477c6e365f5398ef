import { Button, Center, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { ErrorState } from '../../components/ErrorState';
import { useConnectionDialogs } from '../../stores/connection-dialogs-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { ConnectionListItem } from './ConnectionListItem';

export function ConnectionList() {
  const { status, connections, error, selectedId, select, load } = useConnectionsStore();
  const openDialog = useConnectionDialogs((state) => state.open);

  return (
    <Stack gap="xs" h="100%">
      <Button
        leftSection={<IconPlus size={16} />}
        variant="light"
        onClick={() => openDialog({ kind: 'create' })}
        data-testid="add-connection"
      >
        Add connection
      </Button>
      <ScrollArea style={{ flex: 1 }} type="auto" offsetScrollbars>
        {status === 'loading' && connections.length === 0 ? (
          <Center p="md">
            <Loader size="sm" />
          </Center>
        ) : null}
        {status === 'error' && error ? (
          <ErrorState title="Could not load the connections" message={error.message} onRetry={load} />
        ) : null}
        {status === 'ready' && connections.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            No connections yet.
          </Text>
        ) : null}
        <Stack gap={2}>
          {connections.map((profile) => (
            <ConnectionListItem
              key={profile.id}
              profile={profile}
              selected={profile.id === selectedId}
              onSelect={select}
            />
          ))}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}
