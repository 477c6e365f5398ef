/**
 * Switching a connection between read-only and read-write. Allowing writes needs the connection's
 * name typed back: the one moment an operator is about to be able to change a production ensemble
 * deserves a deliberate act. The host checks the name too, and audits the switch either way.
 */
import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../api/api-error';
import type { ConnectionProfile } from '../../api/types';
import { ConfirmModalActions } from '../../components/ConfirmModalActions';
import { useConnectionsStore } from '../../stores/connections-store';

interface ModeSwitchModalProps {
  profile: ConnectionProfile;
  onClose(): void;
}

export function ModeSwitchModal({ profile, onClose }: ModeSwitchModalProps) {
  const setMode = useConnectionsStore((state) => state.setMode);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toReadWrite = profile.readOnly;

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await setMode(profile.id, !toReadWrite, toReadWrite ? typed : undefined);
      onClose();
    } catch (problem) {
      setError((problem as ApiError).message);
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={toReadWrite ? `Allow writes to ${profile.name}?` : `Make ${profile.name} read-only?`}
      data-testid="mode-switch-dialog"
    >
      <Stack gap="sm">
        {toReadWrite ? (
          <>
            <Text size="sm">
              Read-write lets this app create, change and delete nodes on{' '}
              <b>
                {profile.connectString}
                {profile.chroot ?? ''}
              </b>
              . Every write is checked against the version you reviewed and recorded in the audit log.
            </Text>
            <TextInput
              label={`Type ${profile.name} to confirm`}
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
              data-testid="mode-switch-confirm-input"
              data-autofocus
            />
          </>
        ) : (
          <Text size="sm">Nothing will be written to this ensemble until it is switched back.</Text>
        )}
        <ConfirmModalActions
          error={error}
          onCancel={onClose}
          confirm={{
            label: toReadWrite ? 'Allow writes' : 'Make read-only',
            color: toReadWrite ? 'orange' : 'teal',
            busy,
            disabled: toReadWrite && typed !== profile.name,
            onClick: confirm,
            testId: 'mode-switch-confirm',
          }}
        />
      </Stack>
    </Modal>
  );
}
