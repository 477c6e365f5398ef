/**
 * Taking a snapshot of a subtree into the local store, with progress: allowed on read-only
 * connections (it only reads ZooKeeper). Once taken it can be browsed offline and compared.
 */
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { useState } from 'react';
import type { SnapshotCaptureResult } from '../../../../shared/api/snapshots';
import { validateZkPath } from '../../../../shared/zk-path';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { BackgroundJobProgress, formatBytes } from '../background-jobs/BackgroundJobProgress';
import { useBackgroundJob } from '../background-jobs/use-background-job';

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
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const job = useBackgroundJob<SnapshotCaptureResult>((result) => {
    useSnapshotsStore.getState().remember(result.snapshot);
    void useSnapshotsStore.getState().load(connectionId);
  });
  const result = job.state.result;
  const problem = validateZkPath(path.trim());

  const start = async () => {
    setError(null);
    setStarting(true);
    try {
      const started = await api.snapshots.capture.mutate({
        connectionId,
        path: path.trim(),
        label: label.trim() || undefined,
      });
      job.follow(started.jobId);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setStarting(false);
    }
  };

  const close = () => {
    if (job.running) void job.cancel();
    job.reset();
    setError(null);
    onClose();
  };

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
        {job.state.jobId && !result && !job.state.failure ? (
          <BackgroundJobProgress
            progress={job.state.progress}
            streamError={job.state.streamError}
            onCancel={() => void job.cancel()}
            startingLabel="Starting the snapshot…"
          />
        ) : null}
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
        {job.state.failure || error ? (
          <Alert color="red" variant="light" data-testid="capture-error">
            {job.state.failure ?? error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="capture-close">
            {result ? 'Close' : 'Cancel'}
          </Button>
          {result ? null : (
            <Button
              leftSection={<IconCamera size={14} />}
              onClick={() => void start()}
              disabled={!!problem}
              loading={starting || job.running}
              data-testid="capture-start"
            >
              Take snapshot
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
