/**
 * Creating a child of the open node: name, mode (persistent, sequential, ephemeral), data. An
 * ephemeral node belongs to this app's ZooKeeper session and disappears with it; the dialog says so.
 */
import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { CreateModeView } from '../../../../shared/api/node-edit';
import { joinZkPath, validateZkPath } from '../../../../shared/zk-path';
import type { ApiError } from '../../api/api-error';
import { bytesToBase64 } from '../../lib/base64';
import { useExplorerStore } from '../../stores/explorer-store';
import { ByteEditor, type ByteEditorValue } from './ByteEditor';
import { editApi } from './edit-api';

const MODES: { value: CreateModeView; label: string }[] = [
  { value: 'persistent', label: 'Persistent' },
  { value: 'persistent-sequential', label: 'Persistent, sequential (a counter is appended)' },
  { value: 'ephemeral', label: 'Ephemeral (lives with this app’s session)' },
  { value: 'ephemeral-sequential', label: 'Ephemeral, sequential' },
];

interface CreateNodeModalProps {
  connectionId: string;
  parent: string;
  opened: boolean;
  onClose(): void;
}

export function CreateNodeModal({ connectionId, parent, opened, onClose }: CreateNodeModalProps) {
  const [name, setName] = useState('');
  const [mode, setMode] = useState<CreateModeView>('persistent');
  const [value, setValue] = useState<ByteEditorValue>({ ok: true, bytes: new Uint8Array() });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const onChange = useCallback((next: ByteEditorValue) => setValue(next), []);
  const path = name === '' ? '' : joinZkPath(parent, name);
  const nameProblem =
    name === ''
      ? null
      : name.includes('/')
        ? 'A name cannot contain /: create the parent first'
        : validateZkPath(path);
  const ephemeral = mode.startsWith('ephemeral');

  const close = () => {
    setName('');
    setMode('persistent');
    setError(null);
    onClose();
  };

  const create = async () => {
    if (!value.ok || name === '' || nameProblem) return;
    setBusy(true);
    setError(null);
    try {
      const created = await editApi.create({
        connectionId,
        path,
        dataBase64: bytesToBase64(value.bytes),
        mode,
      });
      const explorer = useExplorerStore.getState();
      explorer.expand(connectionId, parent);
      await explorer.loadChildren(connectionId, parent);
      explorer.select(connectionId, created.path);
      close();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={`New node under ${parent}`}
      size="lg"
      data-testid="create-modal"
    >
      <Stack gap="sm">
        <TextInput
          label="Name"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={nameProblem ?? error?.fieldErrors.path}
          description={
            path === ''
              ? undefined
              : `Creates ${path}${mode.endsWith('sequential') ? '0000000001 (or the next number)' : ''}`
          }
          data-testid="create-name"
          data-autofocus
        />
        <Select
          label="Mode"
          data={MODES}
          value={mode}
          onChange={(next) => next && setMode(next as CreateModeView)}
          allowDeselect={false}
          data-testid="create-mode"
        />
        {ephemeral ? (
          <Alert color="violet" variant="light" data-testid="create-ephemeral-warning" title="Ephemeral node">
            It lives only as long as this app&apos;s ZooKeeper session: it disappears when the app closes, the
            connection is closed, or the session expires. Do not use it for anything that must stay.
          </Alert>
        ) : null}
        <Text size="sm" fw={500}>
          Data
        </Text>
        <ByteEditor initial={new Uint8Array()} startFormat="text" onChange={onChange} />
        {error ? (
          <Alert color="red" variant="light" data-testid="create-error">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            onClick={create}
            loading={busy}
            disabled={!value.ok || name === '' || !!nameProblem}
            data-testid="create-submit"
          >
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
