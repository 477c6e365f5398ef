/**
 * Says, wherever a snapshot is shown in place of a live tree, that it is one: of what, from where,
 * when, and that it is read-only and offline.
 */
import { Alert, Code, Group, Text } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import type { SnapshotView } from '../../../../shared/api/snapshots';
import { useSnapshotOf } from '../../stores/snapshots-store';
import { formatSnapshotTime, REASON_TEXT } from './offline-profile';

const fmt = new Intl.NumberFormat('en-US');

export function SnapshotDetails({ snapshot }: { snapshot: SnapshotView }) {
  return (
    <Group gap="lg" data-testid="snapshot-details">
      <Text size="sm">
        Subtree <Code data-testid="snapshot-root">{snapshot.root}</Code>
      </Text>
      <Text size="sm" data-testid="snapshot-source">
        from <b>{snapshot.connectionName}</b> ({snapshot.connectString})
      </Text>
      <Text size="sm" data-testid="snapshot-time">
        taken {formatSnapshotTime(snapshot.createdAt)}
      </Text>
      <Text size="sm">
        {fmt.format(snapshot.nodeCount)} nodes, {REASON_TEXT[snapshot.reason] ?? snapshot.reason}
        {snapshot.label && snapshot.reason !== 'sample' ? `: ${snapshot.label}` : ''}
      </Text>
      {snapshot.error ? (
        <Text size="sm" c="orange">
          {snapshot.state === 'failed' ? `Capture failed: ${snapshot.error}` : snapshot.error}
        </Text>
      ) : null}
    </Group>
  );
}

export function SnapshotBanner({ snapshotId }: { snapshotId: string }) {
  const snapshot = useSnapshotOf(snapshotId);
  return (
    <Alert
      color="grape"
      variant="light"
      icon={<IconCamera />}
      title="Snapshot: read-only, offline"
      data-testid="snapshot-banner"
      py="xs"
      radius={0}
    >
      {snapshot ? (
        <>
          <SnapshotDetails snapshot={snapshot} />
          {snapshot.root !== '/' ? (
            <Text size="xs" c="dimmed" mt={4}>
              Nodes above {snapshot.root} are empty placeholders, so paths are the real ones. Nothing here
              touches the network; every write action is disabled.
            </Text>
          ) : null}
        </>
      ) : (
        <Text size="sm">
          Read from the local store: nothing here touches the network; every write action is disabled.
        </Text>
      )}
    </Alert>
  );
}
