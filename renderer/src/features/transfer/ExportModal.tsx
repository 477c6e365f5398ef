/**
 * "Export subtree…": the host writes the subtree to a versioned JSON file (gzip optional, stat
 * optional) with progress, then the file is downloaded. Works on read-only connections and on
 * snapshots: it only reads.
 */
import { Alert, Button, Checkbox, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { ExportResult } from '../../../../shared/api/transfer';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { BackgroundJobProgress, formatBytes } from '../background-jobs/BackgroundJobProgress';
import { useBackgroundJob } from '../background-jobs/use-background-job';
import { downloadExport } from './file-transfer';

const fmt = new Intl.NumberFormat('en-US');

interface ExportModalProps {
  connectionId: string;
  path: string;
  opened: boolean;
  onClose(): void;
}

export function ExportModal({ connectionId, path, opened, onClose }: ExportModalProps) {
  const [gzip, setGzip] = useState(true);
  const [withStat, setWithStat] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [savedTo, setSavedTo] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const save = (result: ExportResult) => {
    downloadExport(result.fileId, result.fileName).then(
      (where) => setSavedTo(where),
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    );
  };
  const job = useBackgroundJob<ExportResult>(save);
  const result = job.state.result;

  const start = async () => {
    setError(null);
    setSavedTo(null);
    setStarting(true);
    try {
      const started = await api.transfer.export.mutate({ connectionId, path, gzip, withStat });
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
    setSavedTo(null);
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={`Export ${path}`} size="lg" data-testid="export-modal">
      <Stack gap="sm">
        <Text size="sm">
          Saves <Code>{path}</Code> and everything below it as a versioned JSON file: each node's data
          (base64, byte for byte), ACL and ephemeral flag. It can be imported here again, into any path, or
          kept as a backup. Nothing is written to ZooKeeper.
        </Text>
        <Group gap="lg">
          <Checkbox
            label="gzip the file"
            checked={gzip}
            onChange={(event) => setGzip(event.currentTarget.checked)}
            disabled={job.state.jobId !== null}
            data-testid="export-gzip"
          />
          <Checkbox
            label="include each node's stat (versions, times, zxids)"
            checked={withStat}
            onChange={(event) => setWithStat(event.currentTarget.checked)}
            disabled={job.state.jobId !== null}
            data-testid="export-with-stat"
          />
        </Group>
        {job.state.jobId && !result && !job.state.failure ? (
          <BackgroundJobProgress
            progress={job.state.progress}
            streamError={job.state.streamError}
            onCancel={() => void job.cancel()}
            startingLabel="Starting the export…"
          />
        ) : null}
        {result ? (
          <Alert
            color={result.complete ? 'teal' : 'orange'}
            variant="light"
            data-testid="export-done"
            title={result.complete ? 'Export complete' : 'Export incomplete'}
          >
            <Stack gap={4}>
              <Text size="sm">
                {fmt.format(result.nodeCount)} nodes ({formatBytes(result.bytes)} of data
                {result.ephemeral > 0 ? `, ${fmt.format(result.ephemeral)} ephemeral` : ''}) in{' '}
                <Code data-testid="export-file-name">{result.fileName}</Code> ({formatBytes(result.fileBytes)}
                ).
              </Text>
              {result.complete ? null : (
                <Text size="sm">
                  {fmt.format(result.unreadable.length)} node(s) could not be read with this connection's
                  credentials and are missing (e.g. {result.unreadable.slice(0, 3).join(', ')}). Add a
                  credential that can read them and export again.
                </Text>
              )}
              <Text size="sm" c="dimmed" data-testid="export-saved-to">
                {savedTo ? `Saved: ${savedTo}` : 'Downloading…'}
              </Text>
            </Stack>
          </Alert>
        ) : null}
        {job.state.failure || error ? (
          <Alert color="red" variant="light" data-testid="export-error">
            {job.state.failure ?? error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="export-close">
            {result ? 'Close' : 'Cancel'}
          </Button>
          {result ? (
            <Button
              leftSection={<IconDownload size={14} />}
              onClick={() => save(result)}
              data-testid="export-download"
            >
              Download again
            </Button>
          ) : (
            <Button
              leftSection={<IconDownload size={14} />}
              onClick={() => void start()}
              loading={starting || job.running}
              data-testid="export-start"
            >
              Export
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
