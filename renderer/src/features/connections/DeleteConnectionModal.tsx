import { Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../api/api-error';
import type { ConnectionProfile } from '../../api/types';
import { ConfirmModalActions } from '../../components/ConfirmModalActions';
import { useConnectionsStore } from '../../stores/connections-store';
import { useExplorerStore } from '../../stores/explorer-store';

interface DeleteConnectionModalProps {
  profile: ConnectionProfile;
  onClose(): void;
}

export function DeleteConnectionModal({ profile, onClose }: DeleteConnectionModalProps) {
  const remove = useConnectionsStore((state) => state.remove);
  const resetExplorer = useExplorerStore((state) => state.reset);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setDeleting(true);
    try {
      await remove(profile.id);
      resetExplorer(profile.id);
      onClose();
    } catch (problem) {
      setError((problem as ApiError).message);
      setDeleting(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Delete connection" data-testid="connection-delete-dialog">
      <Stack gap="sm">
        <Text size="sm">
          Delete <b>{profile.name}</b> ({profile.connectString}
          {profile.chroot ?? ''})? Its session is closed and its stored credential removed. Nothing on the
          ensemble changes, and the audit log keeps its history.
        </Text>
        <ConfirmModalActions
          error={error}
          onCancel={onClose}
          confirm={{
            label: 'Delete',
            color: 'red',
            busy: deleting,
            onClick: confirm,
            testId: 'connection-delete-confirm',
          }}
        />
      </Stack>
    </Modal>
  );
}
