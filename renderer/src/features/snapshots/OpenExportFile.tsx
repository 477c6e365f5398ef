/**
 * Opens an export file (ours or a zk-shell backup) as an offline workspace: a backup browsed like a
 * live tree, without importing it anywhere.
 */
import { Alert, FileInput, Group, Loader, Stack, Text } from '@mantine/core';
import { IconFileSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { useSnapshotsStore } from '../../stores/snapshots-store';
import { uploadForImport } from '../transfer/file-transfer';

export function OpenExportFile({ onOpened }: { onOpened?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const uploaded = await uploadForImport(file);
      const snapshot = await api.snapshots.fromUpload.mutate({ fileId: uploaded.fileId });
      useSnapshotsStore.getState().open(snapshot);
      void useSnapshotsStore.getState().load();
      onOpened?.();
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4}>
      <Group gap="xs" align="flex-end">
        <FileInput
          style={{ flex: 1 }}
          label="Open an export file offline"
          description="A Migration Desk export (.json, .json.gz) or a zk-shell backup, browsed like a snapshot"
          placeholder="Choose a file…"
          accept=".json,.gz,application/json,application/gzip"
          leftSection={<IconFileSearch size={14} />}
          value={null}
          onChange={(file) => void open(file)}
          disabled={busy}
          data-testid="open-export-file"
        />
        {busy ? <Loader size="sm" /> : null}
      </Group>
      {error ? (
        <Alert color="red" variant="light" data-testid="open-export-file-error">
          <Text size="sm">{error}</Text>
        </Alert>
      ) : null}
    </Stack>
  );
}
