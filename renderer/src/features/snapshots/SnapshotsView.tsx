/**
 * The Snapshots tab of a workspace. On a live connection: its snapshots (taken by hand, or before a
 * recursive delete, ACL change or overwriting import), to open offline, compare or delete, and a
 * button to take one. On a snapshot: what it is, and comparing it with the live tree.
 */
import { Alert, Button, Code, Group, Stack, Text, Title } from '@mantine/core';
import { IconCamera, IconGitCompare, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useExplorerStore } from '../../stores/explorer-store';
import { useSnapshotOf, useSnapshotsStore } from '../../stores/snapshots-store';
import { CaptureSnapshotModal } from './CaptureSnapshotModal';
import { CompareSnapshotModal } from './CompareSnapshotModal';
import { SnapshotDetails } from './SnapshotBanner';
import { SnapshotTable } from './SnapshotTable';

function ConnectionSnapshots({ connection }: { connection: ConnectionProfile }) {
  const list = useSnapshotsStore((state) => state.lists[connection.id]);
  const load = useSnapshotsStore((state) => state.load);
  const selectedPath = useExplorerStore((state) => state.byConnection[connection.id]?.selectedPath ?? '/');
  const [capturing, setCapturing] = useState(false);

  useEffect(() => {
    void load(connection.id);
  }, [load, connection.id]);

  let body: React.ReactNode;
  if (!list || (list.status === 'loading' && list.items.length === 0)) {
    body = <LoadingState label="Loading the snapshots…" />;
  } else if (list.status === 'error' && list.items.length === 0) {
    body = (
      <ErrorState
        title="Could not list the snapshots"
        message={list.error?.message}
        onRetry={() => void load(connection.id)}
      />
    );
  } else if (list.items.length === 0) {
    body = (
      <EmptyState
        icon={<IconCamera size={26} />}
        title="No snapshots of this connection yet"
        description="A snapshot keeps a subtree in the local store: browse it with no network, compare it with the live tree later. Recursive deletes, recursive ACL changes and overwriting imports take one by themselves."
        actions={
          <Button
            leftSection={<IconCamera size={14} />}
            onClick={() => setCapturing(true)}
            data-testid="snapshots-take-empty"
          >
            Take a snapshot
          </Button>
        }
      />
    );
  } else {
    body = <SnapshotTable items={list.items} />;
  }

  return (
    <Stack gap="sm" p="sm" data-testid="snapshots-view">
      <Group justify="space-between">
        <Title order={5}>Snapshots of {connection.name}</Title>
        <Group gap="xs">
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconRefresh size={14} />}
            onClick={() => void load(connection.id)}
            loading={list?.status === 'loading'}
            data-testid="snapshots-reload"
          >
            Reload
          </Button>
          <Button
            size="xs"
            leftSection={<IconCamera size={14} />}
            onClick={() => setCapturing(true)}
            data-testid="snapshots-take"
          >
            Take snapshot…
          </Button>
        </Group>
      </Group>
      {list?.status === 'error' && list.items.length > 0 ? (
        <Alert color="red" variant="light" py={6}>
          Reload failed: {list.error?.message}
        </Alert>
      ) : null}
      {body}
      {capturing ? (
        <CaptureSnapshotModal
          connectionId={connection.id}
          path={selectedPath}
          opened
          onClose={() => setCapturing(false)}
        />
      ) : null}
    </Stack>
  );
}

function OfflineSnapshot({ snapshotId }: { snapshotId: string }) {
  const snapshot = useSnapshotOf(snapshotId);
  const [comparing, setComparing] = useState(false);
  if (!snapshot) return <LoadingState label="Reading the snapshot's details…" />;
  return (
    <Stack gap="sm" p="sm" data-testid="snapshots-view" maw={900}>
      <Title order={5}>This workspace is a snapshot</Title>
      <SnapshotDetails snapshot={snapshot} />
      <Group>
        <Button
          leftSection={<IconGitCompare size={14} />}
          disabled={!snapshot.comparable || snapshot.state !== 'complete'}
          onClick={() => setComparing(true)}
          data-testid="snapshot-compare-live"
        >
          Compare with the live tree
        </Button>
        {!snapshot.comparable ? (
          <Text size="sm" c="dimmed">
            {snapshot.reason === 'sample'
              ? 'The sample cluster has no live tree to compare with.'
              : `The connection '${snapshot.connectionName}' no longer exists: nothing live to compare with.`}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Reads <Code>{snapshot.root}</Code> on '{snapshot.connectionName}' (the network is needed for this
            one).
          </Text>
        )}
      </Group>
      {comparing ? (
        <CompareSnapshotModal snapshot={snapshot} opened onClose={() => setComparing(false)} />
      ) : null}
    </Stack>
  );
}

export function SnapshotsView({ connection }: { connection: ConnectionProfile }) {
  const snapshotId = snapshotIdOfWorkspace(connection.id);
  return snapshotId ? (
    <OfflineSnapshot snapshotId={snapshotId} />
  ) : (
    <ConnectionSnapshots connection={connection} />
  );
}
