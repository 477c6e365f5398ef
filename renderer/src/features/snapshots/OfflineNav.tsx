/**
 * The sidebar's offline corner: the bundled sample cluster, and every snapshot in the store (those
 * of removed connections included), to open with no network.
 */
import { Button, Divider, Modal, Stack, Text } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { ALL_SNAPSHOTS, useSnapshotsStore } from '../../stores/snapshots-store';
import { OpenExportFile } from './OpenExportFile';
import { SampleClusterButton } from './SampleClusterButton';
import { SnapshotReopenNotice } from './SnapshotReopenNotice';
import { SnapshotTable } from './SnapshotTable';

function SnapshotLibrary({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const list = useSnapshotsStore((state) => state.lists[ALL_SNAPSHOTS]);
  const load = useSnapshotsStore((state) => state.load);
  useEffect(() => {
    if (opened) void load();
  }, [opened, load]);
  let body: React.ReactNode;
  if (!list || (list.status === 'loading' && list.items.length === 0))
    body = <LoadingState label="Loading the snapshots…" />;
  else if (list.status === 'error' && list.items.length === 0)
    body = (
      <ErrorState
        title="Could not list the snapshots"
        message={list.error?.message}
        onRetry={() => void load()}
      />
    );
  else if (list.items.length === 0)
    body = (
      <EmptyState
        icon={<IconCamera size={26} />}
        title="No snapshots yet"
        description="Take one from a node's actions in the Explorer, or from a connection's Snapshots tab."
      />
    );
  else body = <SnapshotTable items={list.items} showConnection />;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Snapshots in this app's store"
      size="80%"
      data-testid="snapshot-library"
    >
      <Stack gap="md">
        {body}
        <OpenExportFile onOpened={onClose} />
      </Stack>
    </Modal>
  );
}

export function OfflineNav() {
  const [library, setLibrary] = useState(false);
  return (
    <Stack gap={6} data-testid="offline-nav">
      <Divider label="Offline" labelPosition="left" />
      <SnapshotReopenNotice />
      <SampleClusterButton size="xs" />
      <Button
        size="xs"
        variant="subtle"
        color="gray"
        leftSection={<IconCamera size={14} />}
        onClick={() => setLibrary(true)}
        data-testid="open-snapshot-library"
      >
        Snapshots…
      </Button>
      <Text size="xs" c="dimmed">
        Browse saved snapshots and the sample cluster with no network.
      </Text>
      <SnapshotLibrary opened={library} onClose={() => setLibrary(false)} />
    </Stack>
  );
}
