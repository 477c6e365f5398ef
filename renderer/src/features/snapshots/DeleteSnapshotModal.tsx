/** Deleting a snapshot cannot be undone: the operator types its node count to confirm. */
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { SnapshotView } from '../../../../shared/api/snapshots';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { useConnectionsStore } from '../../stores/connections-store';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { formatSnapshotTime } from './offline-profile';

const fmt = new Intl.NumberFormat('en-US');

export function DeleteSnapshotModal({
  snapshot,
  opened,
  onClose,
}: {
  snapshot: SnapshotView;
  opened: boolean;
  onClose(): void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expected = String(snapshot.nodeCount);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.snapshots.remove.mutate({ snapshotId: snapshot.id, confirmNodeCount: Number(typed.trim()) });
      const connections = useConnectionsStore.getState();
      if (connections.openIds.includes(snapshot.workspaceId))
        await connections.closeTab(snapshot.workspaceId);
      useSnapshotsStore.getState().forget(snapshot.id);
      setTyped('');
      onClose();
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Delete snapshot" data-testid="delete-snapshot-modal">
      <Stack gap="sm">
        <Text size="sm">
          The snapshot of <Code>{snapshot.root}</Code> from '{snapshot.connectionName}' taken{' '}
          {formatSnapshotTime(snapshot.createdAt)} ({fmt.format(snapshot.nodeCount)} nodes) is removed from
          the local store. This cannot be undone; ZooKeeper is not touched.
        </Text>
        <TextInput
          label={`Type ${expected} to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          data-testid="delete-snapshot-confirm"
          data-autofocus
        />
        {error ? (
          <Alert color="red" variant="light" data-testid="delete-snapshot-error">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            disabled={typed.trim() !== expected}
            loading={busy}
            onClick={() => void remove()}
            data-testid="delete-snapshot-submit"
          >
            Delete snapshot
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
