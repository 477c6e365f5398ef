/**
 * "Import…": upload a file (ours or zk-shell's), choose where it goes and what to do with nodes that
 * already exist (skip, overwrite, fail), see the dry run (creates, updates, conflicts with samples,
 * nothing written), then apply it. Applying needs the connection in read-write mode; overwrite needs
 * the target path typed back and saves a snapshot of the target first.
 */
import { countOf } from '../../../../shared/plural';
import {
  Alert,
  Button,
  Code,
  FileInput,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconEye, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type {
  ImportPolicy,
  ImportPreview,
  ImportResult,
  UploadedFile,
} from '../../../../shared/api/transfer';
import { parentZkPath, validateZkPath } from '../../../../shared/zk-path';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { useExplorerStore } from '../../stores/explorer-store';
import { BackgroundJobProgress } from '../background-jobs/BackgroundJobProgress';
import { useBackgroundJob } from '../background-jobs/use-background-job';
import { uploadForImport } from './file-transfer';
import { ImportPreviewView } from './ImportPreviewView';

const fmt = new Intl.NumberFormat('en-US');

const POLICY_TEXT: Record<ImportPolicy, string> = {
  skip: 'Existing nodes are left as they are; only missing nodes are created.',
  overwrite:
    'Existing nodes get the data and ACL from the file. A snapshot of the target is saved first, and you type the path to confirm.',
  fail: 'Nothing is written if any node already exists with other data or ACL.',
};

interface ImportModalProps {
  connectionId: string;
  path: string;
  readOnly: boolean;
  opened: boolean;
  onClose(): void;
}

export function ImportModal({ connectionId, path, readOnly, opened, onClose }: ImportModalProps) {
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<{ file: File; upload: UploadedFile } | null>(null);
  const [target, setTarget] = useState(path);
  const [policy, setPolicy] = useState<ImportPolicy>('skip');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = useBackgroundJob<ImportPreview>();
  const refreshTree = (result: ImportResult) => {
    const explorer = useExplorerStore.getState();
    void explorer.loadChildren(connectionId, parentZkPath(result.path));
    void explorer.loadChildren(connectionId, result.path);
  };
  const applyJob = useBackgroundJob<ImportResult>(refreshTree);
  const plan = preview.state.result;
  const applied = applyJob.state.result;
  const targetProblem = validateZkPath(target.trim());

  const resetPreview = () => {
    preview.reset();
    applyJob.reset();
    setTyped('');
  };

  const runPreview = async () => {
    if (!file || targetProblem) return;
    setError(null);
    resetPreview();
    setBusy(true);
    try {
      const upload = uploaded?.file === file ? uploaded.upload : await uploadForImport(file);
      setUploaded({ file, upload });
      const started = await api.transfer.previewImport.mutate({
        connectionId,
        fileId: upload.fileId,
        path: target.trim(),
        policy,
      });
      preview.follow(started.jobId);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  const runApply = async () => {
    if (!plan) return;
    setError(null);
    setBusy(true);
    try {
      const started = await api.transfer.applyImport.mutate({
        runId: plan.runId,
        confirmPath: plan.policy === 'overwrite' ? typed.trim() : undefined,
      });
      applyJob.follow(started.jobId);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    if (preview.running) void preview.cancel();
    resetPreview();
    setFile(null);
    setUploaded(null);
    setError(null);
    onClose();
  };

  const needsTyping = plan?.policy === 'overwrite';
  const applyBlocked =
    !plan ||
    plan.blocked !== null ||
    readOnly ||
    (needsTyping && typed.trim() !== plan.path) ||
    applyJob.state.jobId !== null;
  const nothingToDo = plan !== null && plan.creates + plan.updates + plan.aclUpdates === 0;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={`Import into ${target.trim() || path}`}
      size="xl"
      data-testid="import-modal"
    >
      <Stack gap="sm">
        <FileInput
          label="File to import"
          description="A Migration Desk export (.json or .json.gz) or a zk-shell JSON backup"
          placeholder="Choose a file…"
          accept=".json,.gz,application/json,application/gzip"
          value={file}
          onChange={(next) => {
            setFile(next);
            resetPreview();
          }}
          clearable
          data-testid="import-file"
        />
        <TextInput
          label="Import into"
          description="The file's root becomes this path; its parent must exist"
          value={target}
          onChange={(event) => {
            setTarget(event.currentTarget.value);
            resetPreview();
          }}
          error={target.trim() && targetProblem ? `Path ${targetProblem}` : undefined}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="import-target"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Nodes that already exist
          </Text>
          <SegmentedControl
            value={policy}
            onChange={(value) => {
              setPolicy(value as ImportPolicy);
              resetPreview();
            }}
            data={[
              { value: 'skip', label: 'Skip' },
              { value: 'overwrite', label: 'Overwrite' },
              { value: 'fail', label: 'Fail' },
            ]}
            data-testid="import-policy"
          />
          <Text size="xs" c="dimmed">
            {POLICY_TEXT[policy]}
          </Text>
        </Stack>

        {preview.state.jobId && !plan && !preview.state.failure ? (
          <BackgroundJobProgress
            progress={preview.state.progress}
            streamError={preview.state.streamError}
            onCancel={() => void preview.cancel()}
            startingLabel="Reading the file and the target (dry run)…"
          />
        ) : null}
        {plan ? <ImportPreviewView preview={plan} /> : null}
        {plan?.blocked ? (
          <Alert color="red" variant="light" data-testid="import-blocked">
            {plan.blocked}
          </Alert>
        ) : null}
        {plan && readOnly ? (
          <Alert color="gray" variant="light" data-testid="import-read-only">
            This connection is read-only: the preview above wrote nothing. Switch it to read-write (connection
            menu) to apply the import.
          </Alert>
        ) : null}
        {plan && nothingToDo && !plan.blocked ? (
          <Alert color="blue" variant="light">
            Nothing to write: the target already holds what the file has
            {plan.conflicts > 0 ? ' (apart from the conflicts)' : ''}.
          </Alert>
        ) : null}
        {plan && needsTyping && !applied ? (
          <TextInput
            label={`Type ${plan.path} to overwrite existing nodes there`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            data-testid="import-confirm-path"
          />
        ) : null}
        {applyJob.state.jobId && !applied && !applyJob.state.failure ? (
          <BackgroundJobProgress
            progress={applyJob.state.progress}
            streamError={applyJob.state.streamError}
            onCancel={() => void applyJob.cancel()}
            startingLabel="Starting the import…"
          />
        ) : null}
        {applied ? (
          <Alert color="teal" variant="light" title="Imported" data-testid="import-done">
            {fmt.format(applied.created)} created, {fmt.format(applied.updated)} updated
            {applied.aclUpdated > 0 ? `, ${fmt.format(applied.aclUpdated)} ACLs set` : ''}
            {applied.conflicts > 0 ? `, ${fmt.format(applied.conflicts)} left alone (conflicts)` : ''}
            {applied.unchanged > 0 ? `, ${fmt.format(applied.unchanged)} already identical` : ''}.
            {applied.verifyDifferences === 0 ? ' Verified: the target matches the file.' : ''}
            {applied.verifyDifferences
              ? ` Verify found ${countOf(applied.verifyDifferences, 'difference')}.`
              : ''}
            {applied.snapshotId ? ' The target was saved as a snapshot first (Snapshots tab).' : ''} Every
            write batch is in the audit log.
          </Alert>
        ) : null}
        {preview.state.failure || applyJob.state.failure || error ? (
          <Alert color="red" variant="light" data-testid="import-error">
            {preview.state.failure ?? applyJob.state.failure ?? error}
          </Alert>
        ) : null}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Target <Code>{target || '—'}</Code>
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={close} data-testid="import-close">
              {applied ? 'Close' : 'Cancel'}
            </Button>
            <Button
              variant="light"
              leftSection={<IconEye size={14} />}
              onClick={() => void runPreview()}
              disabled={!file || !!targetProblem || preview.running || applyJob.state.jobId !== null}
              loading={busy && !plan}
              data-testid="import-preview-run"
            >
              Preview (dry run)
            </Button>
            <Button
              color={plan?.policy === 'overwrite' ? 'red' : undefined}
              leftSection={<IconUpload size={14} />}
              onClick={() => void runApply()}
              disabled={applyBlocked || nothingToDo}
              loading={applyJob.running}
              data-testid="import-apply"
            >
              Apply
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
