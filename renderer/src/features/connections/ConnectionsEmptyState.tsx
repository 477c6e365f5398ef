import { Button, Code, Text } from '@mantine/core';
import { IconPlus, IconTopologyStar3 } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';
import { useConnectionDialogs } from '../../stores/connection-dialogs-store';
import { SampleClusterButton } from '../snapshots/SampleClusterButton';

export function ConnectionsEmptyState() {
  const openDialog = useConnectionDialogs((state) => state.open);
  return (
    <EmptyState
      icon={<IconTopologyStar3 size={28} />}
      title="No connections yet"
      description={
        <Text size="sm" c="dimmed" component="span">
          Add a ZooKeeper ensemble to browse it. For a local one, run <Code>npm run zk:up</Code> and connect
          to <Code>127.0.0.1:2181</Code>. No ZooKeeper at hand? Open the sample Pegasus cluster that ships
          with the app: it works offline.
        </Text>
      }
      actions={
        <>
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => openDialog({ kind: 'create' })}
            data-testid="empty-add-connection"
          >
            Add connection
          </Button>
          <SampleClusterButton testId="empty-open-sample" />
        </>
      }
    />
  );
}
