/**
 * Deleting the open node. A leaf: version-checked, one confirmation. A node with children: the
 * subtree is counted first, the operator types the node count to confirm, and the host deletes it
 * bottom-up in batches with progress (and refuses if the count changed in between).
 */
import { Alert, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { TreeCount, WriteConflict } from '../../../../shared/api/node-edit';
import { parentZkPath } from '../../../../shared/zk-path';
import type { ApiError } from '../../api/api-error';
import type { ZkNodeView } from '../../api/types';
import { useExplorerStore } from '../../stores/explorer-store';
import { editApi } from './edit-api';
import { JobProgress } from './JobProgress';
import { useTreeJob } from './use-tree-job';

const fmt = new Intl.NumberFormat();

interface DeleteNodeModalProps {
  connectionId: string;
  node: ZkNodeView;
  opened: boolean;
  onClose(): void;
}

function afterDelete(connectionId: string, path: string) {
  const explorer = useExplorerStore.getState();
  const parent = parentZkPath(path);
  explorer.collapse(connectionId, path);
  explorer.select(connectionId, parent);
  void explorer.loadChildren(connectionId, parent);
}

export function DeleteNodeModal({ connectionId, node, opened, onClose }: DeleteNodeModalProps) {
  const recursive = node.stat.numChildren > 0;
  const [count, setCount] = useState<TreeCount | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<WriteConflict | null>(null);
  const [busy, setBusy] = useState(false);
  // The dialog stays up to show the outcome; the tree moves to the parent when it is closed.
  const job = useTreeJob(
    () => void useExplorerStore.getState().loadChildren(connectionId, parentZkPath(node.path)),
  );

  useEffect(() => {
    if (!opened || !recursive) return;
    let cancelled = false;
    setCount(null);
    editApi
      .countTree({ connectionId, path: node.path })
      .then((result) => !cancelled && setCount(result))
      .catch((caught) => !cancelled && setError(caught as ApiError));
    return () => {
      cancelled = true;
    };
  }, [opened, recursive, connectionId, node.path]);

  const close = () => {
    if (job.state.outcome?.type === 'done') afterDelete(connectionId, node.path);
    setTyped('');
    setError(null);
    setConflict(null);
    job.reset();
    onClose();
  };

  const deleteLeaf = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await editApi.remove({ connectionId, path: node.path, version: node.stat.version });
      if (result.ok) {
        afterDelete(connectionId, node.path);
        close();
      } else {
        setConflict(result.conflict);
      }
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const deleteTree = async () => {
    if (!count) return;
    setBusy(true);
    setError(null);
    try {
      const started = await editApi.removeTree({ connectionId, path: node.path, confirmCount: count.total });
      job.follow(started.jobId);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const running = job.state.jobId !== null;
  const finished = job.state.outcome !== null;

  return (
    <Modal opened={opened} onClose={close} title={`Delete ${node.path}`} size="lg" data-testid="delete-modal">
      <Stack gap="sm">
        {!recursive ? (
          <Text size="sm">
            Delete this node (version {node.stat.version}, {fmt.format(node.stat.dataLength)} bytes)? If
            someone changed it since you opened it, nothing is deleted.
          </Text>
        ) : count === null && !error ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Counting the nodes in this subtree…</Text>
          </Group>
        ) : count ? (
          <>
            <Alert
              color="red"
              variant="light"
              title="This deletes a whole subtree"
              data-testid="delete-count"
            >
              {count.truncated
                ? `More than ${fmt.format(count.total)} nodes: too many to delete in one go. Delete smaller subtrees first.`
                : `${fmt.format(count.total)} nodes (${node.path} and everything below it, ${count.depth} level${count.depth === 1 ? '' : 's'} deep${
                    count.ephemerals > 0 ? `, ${fmt.format(count.ephemerals)} ephemeral` : ''
                  }), deepest first.`}
              {count.truncated ? null : (
                <Text size="sm" mt={6} data-testid="delete-snapshot-note">
                  A snapshot of the subtree is saved in the local store first, so what is deleted can still be
                  browsed offline and compared afterwards. If the subtree changes meanwhile, nothing is
                  deleted.
                </Text>
              )}
            </Alert>
            {!count.truncated && !running ? (
              <TextInput
                label={`Type ${count.total} to confirm`}
                value={typed}
                onChange={(event) => setTyped(event.currentTarget.value)}
                data-testid="delete-confirm-input"
                // Not data-autofocus: that acts when the modal opens, before the count arrives and this
                // field exists, so focus stayed on the close button. autoFocus acts when it appears.
                autoFocus
              />
            ) : null}
          </>
        ) : null}
        {running ? <JobProgress state={job.state} verb="Deleted" onCancel={() => void job.cancel()} /> : null}
        {conflict ? (
          <Alert color="orange" variant="light" data-testid="delete-conflict">
            {conflict.theirs
              ? `${node.path} changed since you opened it (now version ${conflict.theirs.stat.version}): nothing was deleted. Review it and delete again.`
              : `${node.path} was already deleted by someone else.`}
          </Alert>
        ) : null}
        {error ? (
          <Alert color="red" variant="light" data-testid="delete-error">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="delete-close">
            {finished ? 'Close' : 'Cancel'}
          </Button>
          {!recursive ? (
            <Button
              color="red"
              onClick={deleteLeaf}
              loading={busy}
              disabled={conflict !== null}
              data-testid="delete-submit"
            >
              Delete
            </Button>
          ) : (
            <Button
              color="red"
              onClick={deleteTree}
              loading={busy}
              disabled={!count || count.truncated || typed.trim() !== String(count.total) || running}
              data-testid="delete-submit"
            >
              Delete {count ? fmt.format(count.total) : ''} nodes
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
