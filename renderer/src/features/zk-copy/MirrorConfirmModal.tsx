/**
 * Mirror mode deletes target nodes: the operator types the target path back before it starts (the
 * host checks the same text). Also used when reconciling a mirror run.
 */
import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';

interface MirrorConfirmModalProps {
  opened: boolean;
  /** 'prod-zk:/pegasus' as the operator reads it. */
  targetLabel: string;
  /** What must be typed: the target path. */
  targetPath: string;
  /** Nodes the plan would delete, when a plan was made. */
  deletes?: number;
  busy?: boolean;
  error?: string | null;
  onConfirm(typed: string): void;
  onClose(): void;
}

export function MirrorConfirmModal({
  opened,
  targetLabel,
  targetPath,
  deletes,
  busy,
  error,
  onConfirm,
  onClose,
}: MirrorConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const matches = typed === targetPath;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Confirm a mirror copy"
      size="lg"
      data-testid="mirror-confirm-modal"
    >
      <Stack gap="sm">
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
          Mirror deletes every node under <Code>{targetLabel}</Code> that the source does not have
          {deletes !== undefined ? ` (${deletes} by the plan)` : ''}. Ephemeral nodes on the target stay. The
          deletes are audited, but not undone by anything here: take a snapshot of the target first if you may
          need it back.
        </Alert>
        <Text size="sm">
          Type the target path <Code>{targetPath}</Code> to confirm.
        </Text>
        <TextInput
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          placeholder={targetPath}
          aria-label="Target path, typed to confirm"
          data-testid="mirror-confirm-input"
          error={typed !== '' && !matches ? 'Not the target path: type it exactly' : undefined}
          autoFocus
        />
        {error ? (
          <Alert color="red" variant="light" data-testid="mirror-confirm-error">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="mirror-confirm-cancel">
            Cancel
          </Button>
          <Button
            color="red"
            disabled={!matches}
            loading={busy}
            onClick={() => onConfirm(typed)}
            data-testid="mirror-confirm"
          >
            Mirror, deleting extras
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
