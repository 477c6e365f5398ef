/**
 * The foot of a dialog that asks before doing one thing (delete a connection, remove a profile,
 * switch a connection's mode): the host's refusal if it said no, then Cancel and the confirm button.
 */
import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

interface ConfirmModalActionsProps {
  /** The host's refusal of the last attempt. */
  error: string | null;
  onCancel(): void;
  confirm: {
    label: ReactNode;
    color: string;
    busy: boolean;
    disabled?: boolean;
    onClick(): void;
    testId: string;
  };
}

export function ConfirmModalActions({ error, onCancel, confirm }: ConfirmModalActionsProps) {
  return (
    <>
      {error ? (
        <Alert color="red" variant="light" data-testid="form-error">
          {error}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="xs">
        <Button variant="subtle" color="gray" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          color={confirm.color}
          loading={confirm.busy}
          disabled={confirm.disabled}
          onClick={confirm.onClick}
          data-testid={confirm.testId}
        >
          {confirm.label}
        </Button>
      </Group>
    </>
  );
}
