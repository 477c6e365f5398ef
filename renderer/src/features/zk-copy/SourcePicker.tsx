/**
 * Where a copy reads from: a live connection (this one by default) or a saved snapshot, read offline
 * exactly as it was captured (restoring a deleted tree, or seeding a new ensemble from a capture).
 * Snapshots are listed apart from the live connections, each with its capture time; the list is the
 * host's (loaded when the view opens), with its loading, empty and error states said in place.
 */
import { Alert, Anchor, Badge, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { IconCamera, IconPlugConnected } from '@tabler/icons-react';
import { useEffect } from 'react';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import {
  type SnapshotView,
  snapshotIdOfWorkspace,
  snapshotName,
  snapshotWorkspaceId,
} from '../../../../shared/api/snapshots';
import { useConnectionsStore } from '../../stores/connections-store';
import { ALL_SNAPSHOTS, useSnapshotsStore } from '../../stores/snapshots-store';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';
import { copyableSnapshots } from './copy-form-model';
import { fmt, formatCapturedAt } from './copy-format';

const LIVE_GROUP = 'Live connections';
const SNAPSHOT_GROUP = 'Saved snapshots (read offline, as captured)';

interface SourcePickerProps {
  connection: ConnectionProfile;
  /** The form's sourceId: null for this connection. */
  value: string | null;
  error?: string;
  /** A live connection's id, or a snapshot's workspace id with the snapshot. */
  onChange(sourceId: string, snapshot: SnapshotView | null): void;
}

export function SourcePicker({ connection, value, error, onChange }: SourcePickerProps) {
  const connections = useConnectionsStore((state) => state.connections);
  const list = useSnapshotsStore((state) => state.lists[ALL_SNAPSHOTS]);
  const load = useSnapshotsStore((state) => state.load);

  useEffect(() => {
    void load();
  }, [load]);

  const snapshots = copyableSnapshots(list?.items ?? []);
  const status = list?.status ?? 'loading';
  const selectedValue = value ?? connection.id;
  const selectedSnapshotId = snapshotIdOfWorkspace(selectedValue);
  const selectedSnapshot = selectedSnapshotId
    ? snapshots.find((item) => item.id === selectedSnapshotId)
    : undefined;

  const data = [
    {
      group: LIVE_GROUP,
      items: connections.map((candidate) => ({
        value: candidate.id,
        label: candidate.id === connection.id ? `${candidate.name} (this connection)` : candidate.name,
      })),
    },
    {
      group: SNAPSHOT_GROUP,
      items: snapshots.map((item) => ({
        value: snapshotWorkspaceId(item.id),
        label: `Snapshot '${snapshotName(item)}' · ${formatCapturedAt(item.createdAt)}`,
      })),
    },
  ];

  return (
    <Stack gap={4}>
      <Select
        label="Source"
        description="A live connection, or a saved snapshot to restore or seed from"
        data={data}
        value={selectedValue}
        onChange={(id) => {
          if (!id) return;
          const snapshotId = snapshotIdOfWorkspace(id);
          onChange(id, snapshotId ? (snapshots.find((item) => item.id === snapshotId) ?? null) : null);
        }}
        error={error}
        searchable
        allowDeselect={false}
        nothingFoundMessage="No connection or snapshot by that name"
        comboboxProps={{ withinPortal: true }}
        leftSection={selectedSnapshotId ? <IconCamera size={14} /> : <IconPlugConnected size={14} />}
        data-testid="copy-source"
        renderOption={({ option }) => {
          const snapshotId = snapshotIdOfWorkspace(option.value);
          const snapshot = snapshotId ? snapshots.find((item) => item.id === snapshotId) : undefined;
          if (snapshot) {
            return (
              <Stack gap={0} data-testid={`copy-source-snapshot-${snapshot.id}`}>
                <Text size="sm">{snapshotName(snapshot)}</Text>
                <Text size="xs" c="dimmed">
                  captured {formatCapturedAt(snapshot.createdAt)} from {snapshot.connectionName} ·{' '}
                  {snapshot.root} · {fmt.format(snapshot.nodeCount)} nodes
                </Text>
              </Stack>
            );
          }
          const profile = connections.find((candidate) => candidate.id === option.value);
          return (
            <Text size="sm" data-testid={`copy-source-option-${profile?.name}`}>
              {option.label}
            </Text>
          );
        }}
      />
      <SnapshotListState
        status={status}
        count={snapshots.length}
        error={list?.error?.message}
        onRetry={load}
      />
      {selectedSnapshot ? (
        <Alert color="blue" variant="light" p="xs" data-testid="copy-source-snapshot-summary">
          <Group gap={6}>
            <Badge size="xs" variant="light">
              snapshot
            </Badge>
            <Text size="xs">
              '{snapshotName(selectedSnapshot)}': {selectedSnapshot.root} on {selectedSnapshot.connectionName}
              , captured {formatCapturedAt(selectedSnapshot.createdAt)} (
              {fmt.format(selectedSnapshot.nodeCount)} nodes, {formatBytes(selectedSnapshot.byteCount)}).
              Copied exactly as captured, ACLs included; ephemeral nodes are skipped. Verify compares the
              target with this snapshot.
            </Text>
          </Group>
          {selectedSnapshot.error ? (
            <Text size="xs" c="orange" mt={4} data-testid="copy-source-snapshot-partial">
              {selectedSnapshot.error}: those nodes cannot be copied from it.
            </Text>
          ) : null}
        </Alert>
      ) : null}
      {selectedSnapshotId && !selectedSnapshot && status === 'loaded' ? (
        <Text size="xs" c="red" data-testid="copy-source-snapshot-gone">
          That snapshot is no longer saved (deleted, or its capture did not complete): choose another source.
        </Text>
      ) : null}
    </Stack>
  );
}

/** The snapshot list's state under the picker: loading, failed (with a retry), or empty. */
function SnapshotListState({
  status,
  count,
  error,
  onRetry,
}: {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  count: number;
  error: string | undefined;
  onRetry(): Promise<void>;
}) {
  if (status === 'loading' || status === 'idle') {
    return (
      <Group gap={6} data-testid="copy-source-snapshots-loading">
        <Loader size={12} />
        <Text size="xs" c="dimmed">
          Loading saved snapshots…
        </Text>
      </Group>
    );
  }
  if (status === 'error') {
    return (
      <Text size="xs" c="red" data-testid="copy-source-snapshots-error">
        Could not list the saved snapshots ({error ?? 'no reason given'}); live connections still work.{' '}
        <Anchor component="button" type="button" size="xs" onClick={() => void onRetry()}>
          Retry
        </Anchor>
      </Text>
    );
  }
  if (count === 0) {
    return (
      <Text size="xs" c="dimmed" data-testid="copy-source-snapshots-empty">
        No saved snapshots to copy from yet: take one from a connection's Snapshots tab (or the Explorer's
        node menu).
      </Text>
    );
  }
  return null;
}
