/**
 * The foot of an add/edit form in a modal: a button that tries the values as typed before saving
 * (test the connection, check the tools) on the left, Cancel and Save (Add for a new one) on the
 * right. Save submits the form.
 */
import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

interface FormModalActionsProps {
  /** The try-before-saving button. */
  check: { label: string; icon: ReactNode; running?: boolean; onClick(): void; testId: string };
  editing: boolean;
  saving: boolean;
  saveTestId: string;
  onCancel(): void;
}

export function FormModalActions({ check, editing, saving, saveTestId, onCancel }: FormModalActionsProps) {
  return (
    <Group justify="space-between" mt="xs">
      <Button
        variant="default"
        leftSection={check.icon}
        loading={check.running}
        onClick={check.onClick}
        data-testid={check.testId}
      >
        {check.label}
      </Button>
      <Group gap="xs">
        <Button variant="subtle" color="gray" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={saving} data-testid={saveTestId}>
          {editing ? 'Save' : 'Add'}
        </Button>
      </Group>
    </Group>
  );
}
