/**
 * Editing the open node's data in place. The edit is based on the version that was open when it
 * started; Save writes only if the node is still at that version. A conflict shows theirs and yours
 * side by side, and the operator chooses: drop the edit, or keep it on top of their version (the next
 * Save then writes over the version they have now seen).
 */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { WriteConflict } from '../../../../shared/api/node-edit';
import type { ApiError } from '../../api/api-error';
import type { ZkNodeView } from '../../api/types';
import { base64ToBytes, bytesToBase64 } from '../../lib/base64';
import { sameBytes } from '../../lib/data-encode';
import { useExplorerStore } from '../../stores/explorer-store';
import { ByteEditor, type ByteEditorValue } from './ByteEditor';
import { ConflictView } from './ConflictView';
import { editApi } from './edit-api';

interface EditDataFormProps {
  connectionId: string;
  /** The node as it was when editing started. */
  base: ZkNodeView;
  /** The node as the panel shows it now (the live view may have re-read it meanwhile). */
  current: ZkNodeView | undefined;
  onDone(): void;
}

export function EditDataForm({ connectionId, base, current, onDone }: EditDataFormProps) {
  const [original] = useState(() => base64ToBytes(base.dataBase64));
  const [baseVersion, setBaseVersion] = useState(base.stat.version);
  const [value, setValue] = useState<ByteEditorValue>({ ok: true, bytes: original });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<WriteConflict | null>(null);
  const onChange = useCallback((next: ByteEditorValue) => setValue(next), []);
  const unchanged = value.ok && sameBytes(value.bytes, original) && baseVersion === base.stat.version;
  const changedMeanwhile = current !== undefined && current.stat.version !== baseVersion;

  const save = async () => {
    if (!value.ok) return;
    setSaving(true);
    setError(null);
    try {
      const result = await editApi.setData({
        connectionId,
        path: base.path,
        dataBase64: bytesToBase64(value.bytes),
        version: baseVersion,
      });
      if (result.ok) {
        void useExplorerStore.getState().loadDetail(connectionId, base.path);
        onDone();
      } else {
        setConflict(result.conflict);
      }
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setSaving(false);
    }
  };

  const keepMine = () => {
    if (conflict?.theirs) setBaseVersion(conflict.theirs.stat.version);
    setConflict(null);
  };

  const discard = () => {
    setConflict(null);
    void useExplorerStore.getState().loadDetail(connectionId, base.path);
    onDone();
  };

  return (
    <Stack gap="xs" data-testid="edit-data" data-base-version={baseVersion}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          Editing data (based on version {baseVersion})
        </Text>
      </Group>
      {changedMeanwhile && !conflict ? (
        <Alert color="orange" variant="light" py={6} data-testid="edit-changed-meanwhile">
          Someone else changed this node (it is at version {current?.stat.version} now). Saving will show both
          versions side by side before anything is written.
        </Alert>
      ) : null}
      <ByteEditor initial={original} onChange={onChange} />
      {error ? (
        <Alert color="red" variant="light" data-testid="edit-error">
          {error.message}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" size="xs" onClick={onDone} data-testid="edit-cancel">
          Cancel
        </Button>
        <Button
          size="xs"
          onClick={save}
          loading={saving}
          disabled={!value.ok || unchanged}
          data-testid="edit-save"
        >
          Save
        </Button>
      </Group>
      <Modal
        opened={conflict !== null}
        onClose={() => setConflict(null)}
        title="Someone else changed this node"
        size="xl"
        data-testid="conflict-modal"
      >
        {conflict && value.ok ? (
          <Stack>
            <ConflictView conflict={conflict} yours={value.bytes} />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={discard} data-testid="conflict-discard">
                Discard mine, show theirs
              </Button>
              {conflict.theirs ? (
                <Button color="orange" onClick={keepMine} data-testid="conflict-keep-mine">
                  Keep editing mine over version {conflict.theirs.stat.version}
                </Button>
              ) : null}
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
