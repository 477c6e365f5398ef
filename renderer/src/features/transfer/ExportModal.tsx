/**
 * "Export subtree…": the host writes the subtree to a versioned JSON file (gzip optional, stat
 * optional) with progress, then the file is downloaded. Works on read-only connections and on
 * snapshots: it only reads.
 */
import { countOf, noun } from '../../../../shared/plural';
import { Alert, Button, Checkbox, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import type { ExportResult } from '../../../../shared/api/transfer';
import { api } from '../../api/client';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';
import { JobModalFooter } from '../background-jobs/JobModalFooter';
import { JobModalStatus } from '../background-jobs/JobModalStatus';
import { useJobModal } from '../background-jobs/use-job-modal';
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
  const [savedTo, setSavedTo] = useState<string | null>(null);
  const modal = useJobModal<ExportResult>({ onDone: (result) => save(result), onClose });
  const { job } = modal;
  const result = job.state.result;
  const save = (done: ExportResult) => {
    downloadExport(done.fileId, done.fileName).then(
      (where) => setSavedTo(where),
      (caught: unknown) => modal.setError(caught instanceof Error ? caught.message : String(caught)),
    );
  };

  const start = () => {
    setSavedTo(null);
    return modal.start(() => api.transfer.export.mutate({ connectionId, path, gzip, withStat }));
  };

  const close = () => {
    setSavedTo(null);
    modal.close();
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
        <JobModalStatus modal={modal} startingLabel="Starting the export…" errorTestId="export-error">
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
                  <Code data-testid="export-file-name">{result.fileName}</Code> (
                  {formatBytes(result.fileBytes)}
                  ).
                </Text>
                {result.complete ? null : (
                  <Text size="sm">
                    {countOf(result.unreadable.length, 'node')} could not be read with this connection's
                    credentials and {noun(result.unreadable.length, 'is', 'are')} missing (e.g.{' '}
                    {result.unreadable.slice(0, 3).join(', ')}). Add a credential that can read them and
                    export again.
                  </Text>
                )}
                <Text size="sm" c="dimmed" data-testid="export-saved-to">
                  {savedTo ? `Saved: ${savedTo}` : 'Downloading…'}
                </Text>
              </Stack>
            </Alert>
          ) : null}
        </JobModalStatus>
        <JobModalFooter
          modal={modal}
          testIdPrefix="export"
          stopLabel="Stop the export"
          onClose={close}
          startButton={
            <Button
              leftSection={<IconDownload size={14} />}
              onClick={() => void start()}
              data-testid="export-start"
            >
              {job.state.jobId ? 'Export again' : 'Export'}
            </Button>
          }
          after={
            result ? (
              <Button
                leftSection={<IconDownload size={14} />}
                onClick={() => save(result)}
                data-testid="export-download"
              >
                Download again
              </Button>
            ) : null
          }
        />
      </Stack>
    </Modal>
  );
}
