/** Removing a cluster profile: the operator types its name, as the host requires. */
import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../api/api-error';
import { ConfirmModalActions } from '../../components/ConfirmModalActions';
import { type PegasusProfileView, usePegasusProfilesStore } from '../../stores/pegasus-profiles-store';

export function RemoveProfileModal({ profile, onClose }: { profile: PegasusProfileView; onClose(): void }) {
  const remove = usePegasusProfilesStore((state) => state.remove);
  const [typed, setTyped] = useState('');
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setRemoving(true);
    try {
      await remove(profile.id, typed);
      onClose();
    } catch (problem) {
      setError((problem as ApiError).message);
      setRemoving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Remove cluster profile" data-testid="profile-remove-dialog">
      <Stack gap="sm">
        <Text size="sm">
          Remove <b>{profile.name}</b>? Runbook steps that use it fall back to manual commands. Nothing on the
          cluster changes, and the audit log keeps its history.
        </Text>
        <TextInput
          label={`Type ${profile.name} to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          data-testid="profile-remove-confirm-input"
          autoComplete="off"
        />
        <ConfirmModalActions
          error={error}
          onCancel={onClose}
          confirm={{
            label: 'Remove',
            color: 'red',
            busy: removing,
            disabled: typed !== profile.name,
            onClick: confirm,
            testId: 'profile-remove-confirm',
          }}
        />
      </Stack>
    </Modal>
  );
}
