/**
 * Cleanup of an old tree (the end of a ZooKeeper migration), in two steps an operator cannot skip:
 * first the tree is exported to a file and counted; then it is deleted (batched, bottom-up, resumable)
 * only once that node count is typed back.
 */
import { countOf, noun } from '../../../../shared/plural';
import {
  Alert,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconLock, IconTrash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { RunView } from '../../../../electron/engines/zk-copy/types';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { validateZkPath } from '../../../../shared/zk-path';
import { fmt, runEndpoints } from './copy-format';
import { useCopyRunsStore } from './copy-runs-store';

interface CleanupModalProps {
  connection: ConnectionProfile;
  initialPath: string;
  onClose(): void;
  /** The cleanup run, once its delete started (the view follows it). */
  onStarted(runId: string): void;
}

export function CleanupModal({ connection, initialPath, onClose, onStarted }: CleanupModalProps) {
  const [path, setPath] = useState(initialPath);
  const [prepared, setPrepared] = useState<RunView | null>(null);
  const [typed, setTyped] = useState<number | ''>('');
  const [busy, setBusy] = useState<'export' | 'delete' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openedAt = useRef(Date.now());
  const trimmed = path.trim();
  const pathProblem =
    trimmed === '/' ? 'The root of an ensemble cannot be cleaned up' : validateZkPath(trimmed);
  // While the export runs its run id is not known yet: follow the newest cleanup of this path.
  const exporting = useCopyRunsStore((state) =>
    busy === 'export'
      ? state.runs.find((run) => {
          const target = runEndpoints(run).target;
          return (
            run.kind === 'zk-cleanup' &&
            run.createdAt >= openedAt.current - 1000 &&
            target?.kind === 'zk' &&
            target.connectionId === connection.id &&
            target.path === trimmed
          );
        })
      : undefined,
  );
  const exported = useCopyRunsStore((state) =>
    exporting ? state.progress[exporting.id]?.export?.done : undefined,
  );
  const cleanup = prepared?.result?.cleanup as
    | { exportFile: string; nodeCount: number; complete?: boolean }
    | undefined;

  const runExport = async () => {
    setBusy('export');
    setError(null);
    try {
      const run = await useCopyRunsStore.getState().prepareCleanup(connection.id, trimmed);
      if (run.state === 'failed') setError(run.result?.error?.message ?? 'The export failed');
      else setPrepared(run);
    } catch (caught) {
      setError((caught as { message?: string }).message ?? String(caught));
    } finally {
      setBusy(null);
    }
  };

  const runDelete = async () => {
    if (!prepared || typed === '') return;
    setBusy('delete');
    setError(null);
    try {
      const run = await useCopyRunsStore.getState().confirmCleanup(prepared.id, typed);
      onStarted(run.id);
      onClose();
    } catch (caught) {
      setError((caught as { message?: string }).message ?? String(caught));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Clean up a tree" size="lg" data-testid="cleanup-modal">
      <Stack gap="sm">
        <Text size="sm">
          Deletes a whole subtree of <b>{connection.name}</b> (typically the old cluster root once a migration
          is verified). First it is exported to a file and counted; nothing is deleted until you type that
          count.
        </Text>
        <TextInput
          label="Path to delete, with everything below it"
          value={path}
          onChange={(event) => {
            setPath(event.currentTarget.value);
            setPrepared(null);
            setTyped('');
          }}
          error={trimmed !== '' ? pathProblem : undefined}
          disabled={busy !== null}
          data-testid="cleanup-path"
          data-autofocus
        />
        {connection.readOnly ? (
          <Alert color="yellow" variant="light" icon={<IconLock size={16} />} data-testid="cleanup-read-only">
            '{connection.name}' is read-only: the export works, the delete needs writes. Switch it to
            read-write from its menu in the connection list (⋯ → <b>Switch to read-write…</b>).
          </Alert>
        ) : null}
        {!prepared ? (
          <Group>
            <Button
              leftSection={<IconDownload size={14} />}
              onClick={() => void runExport()}
              loading={busy === 'export'}
              disabled={Boolean(pathProblem)}
              data-testid="cleanup-export"
            >
              1. Export and count
            </Button>
            {busy === 'export' ? (
              <Group gap={6}>
                <Loader size="xs" />
                <Text size="sm" c="dimmed" data-testid="cleanup-exporting">
                  Exporting{exported !== undefined ? `: ${fmt.format(exported)} nodes so far` : '…'}
                </Text>
              </Group>
            ) : null}
          </Group>
        ) : cleanup ? (
          <Stack gap="xs">
            <Alert
              color={cleanup.complete === false ? 'red' : 'blue'}
              variant="light"
              data-testid="cleanup-exported"
              data-node-count={cleanup.nodeCount}
            >
              Exported <b>{fmt.format(cleanup.nodeCount)}</b> {noun(cleanup.nodeCount, 'node')} of{' '}
              <Code>{trimmed}</Code> to <Code>{cleanup.exportFile}</Code>.
              {cleanup.complete === false
                ? ' Some nodes could not be read, so the export is incomplete: nothing will be deleted from it. Add a credential the ACLs grant and export again.'
                : ' Keep this file: it is the way back (Import in the explorer).'}
            </Alert>
            {cleanup.complete !== false ? (
              <>
                <NumberInput
                  label={`2. Type the node count (${fmt.format(cleanup.nodeCount)}) to delete them`}
                  value={typed}
                  onChange={(value) => setTyped(typeof value === 'number' ? value : '')}
                  allowDecimal={false}
                  min={0}
                  data-testid="cleanup-confirm-count"
                  // Appears once the export is done: the cursor moves to where the count is typed.
                  autoFocus
                  error={
                    typed !== '' && typed !== cleanup.nodeCount ? 'Not the count of the export' : undefined
                  }
                />
                <Group justify="flex-end">
                  <Button
                    color="red"
                    leftSection={<IconTrash size={14} />}
                    disabled={typed !== cleanup.nodeCount || connection.readOnly}
                    loading={busy === 'delete'}
                    onClick={() => void runDelete()}
                    data-testid="cleanup-delete"
                  >
                    Delete {countOf(cleanup.nodeCount, 'node')}
                  </Button>
                </Group>
              </>
            ) : null}
          </Stack>
        ) : null}
        {error ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle size={16} />}
            data-testid="cleanup-error"
          >
            {error}
          </Alert>
        ) : null}
      </Stack>
    </Modal>
  );
}
