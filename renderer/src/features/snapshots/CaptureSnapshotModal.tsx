/**
 * Taking a snapshot of a subtree into the local store, with progress: allowed on read-only
 * connections (it only reads ZooKeeper). Once taken it can be browsed offline and compared.
 */
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { useState } from 'react';
import type { SnapshotCaptureResult } from '../../../../shared/api/snapshots';
import { validateZkPath } from '../../../../shared/zk-path';
import { api } from '../../api/client';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';
import { JobModalFooter } from '../background-jobs/JobModalFooter';
import { JobModalStatus } from '../background-jobs/JobModalStatus';
import { useJobModal } from '../background-jobs/use-job-modal';

const fmt = new Intl.NumberFormat('en-US');

interface CaptureSnapshotModalProps {
  connectionId: string;
  path: string;
  opened: boolean;
  onClose(): void;
}

export function CaptureSnapshotModal({
  connectionId,
  path: initialPath,
  opened,
  onClose,
}: CaptureSnapshotModalProps) {
  const [path, setPath] = useState(initialPath);
  const [label, setLabel] = useState('');
  const modal = useJobModal<SnapshotCaptureResult>({
    onDone: (result) => {
      useSnapshotsStore.getState().remember(result.snapshot);
      void useSnapshotsStore.getState().load(connectionId);
    },
    onClose,
  });
  const { job, close } = modal;
  const result = job.state.result;
  const problem = validateZkPath(path.trim());

  const start = () =>
    modal.start(() =>
      api.snapshots.capture.mutate({
        connectionId,
        path: path.trim(),
        label: label.trim() || undefined,
      }),
    );

  return (
    <Modal opened={opened} onClose={close} title="Take a snapshot" size="lg" data-testid="capture-modal">
      <Stack gap="sm">
        <Text size="sm">
          Saves the subtree (data byte for byte, ACLs, stats) in this app's local store. You can browse it
          later with no network, compare it with the live tree, or export it. Nothing is written to ZooKeeper.
        </Text>
        <TextInput
          label="Subtree"
          value={path}
          onChange={(event) => setPath(event.currentTarget.value)}
          error={path.trim() && problem ? `Path ${problem}` : undefined}
          disabled={job.state.jobId !== null}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="capture-path"
        />
        <TextInput
          label="Label (optional)"
          placeholder="before the migration"
          value={label}
          onChange={(event) => setLabel(event.currentTarget.value)}
          disabled={job.state.jobId !== null}
          maxLength={200}
          data-testid="capture-label"
        />
        <JobModalStatus modal={modal} startingLabel="Starting the snapshot…" errorTestId="capture-error">
          {result ? (
            <Alert
              color={result.snapshot.error ? 'orange' : 'teal'}
              variant="light"
              title="Snapshot saved"
              data-testid="capture-done"
            >
              {fmt.format(result.snapshot.nodeCount)} nodes ({formatBytes(result.snapshot.byteCount)}) of{' '}
              <Code>{result.snapshot.root}</Code>.{result.snapshot.error ? ` ${result.snapshot.error}.` : ''}
              <Group gap="xs" mt="xs">
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => {
                    useSnapshotsStore.getState().open(result.snapshot);
                    close();
                  }}
                  data-testid="capture-open"
                >
                  Open it offline
                </Button>
              </Group>
            </Alert>
          ) : null}
        </JobModalStatus>
        <JobModalFooter
          modal={modal}
          testIdPrefix="capture"
          stopLabel="Stop the snapshot"
          startButton={
            <Button
              leftSection={<IconCamera size={14} />}
              onClick={() => void start()}
              disabled={!!problem}
              data-testid="capture-start"
            >
              {job.state.jobId ? 'Take it again' : 'Take snapshot'}
            </Button>
          }
        />
      </Stack>
    </Modal>
  );
}
