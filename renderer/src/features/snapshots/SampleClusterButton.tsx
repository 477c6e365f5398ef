/**
 * Opens the sample Pegasus cluster that ships with the app: a snapshot a newcomer can explore in
 * the Explorer and every Pegasus view with no ZooKeeper at all.
 */
import { Button, type ButtonProps, Text } from '@mantine/core';
import { IconDatabaseStar } from '@tabler/icons-react';
import { useSnapshotsStore } from '../../stores/snapshots-store';

export function SampleClusterButton({ testId = 'open-sample', ...props }: ButtonProps & { testId?: string }) {
  const sample = useSnapshotsStore((state) => state.sample);
  const openSample = useSnapshotsStore((state) => state.openSample);
  return (
    <>
      <Button
        leftSection={<IconDatabaseStar size={16} />}
        variant="light"
        color="grape"
        loading={sample.status === 'opening'}
        onClick={() => void openSample()}
        data-testid={testId}
        {...props}
      >
        Sample cluster (offline)
      </Button>
      {sample.status === 'error' ? (
        <Text size="xs" c="red" data-testid="open-sample-error">
          {sample.error?.message}
        </Text>
      ) : null}
    </>
  );
}
