/**
 * The sidebar notice for snapshot tabs that did not come back after a restart (deleted since):
 * informational, dismissed by the operator, never an error state.
 */
import { Alert } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useSnapshotsStore } from '../../stores/snapshots-store';

export function SnapshotReopenNotice() {
  const notice = useSnapshotsStore((state) => state.reopenNotice);
  const setNotice = useSnapshotsStore((state) => state.setReopenNotice);
  if (!notice) return null;
  return (
    <Alert
      color="blue"
      variant="light"
      p="xs"
      icon={<IconInfoCircle size={16} />}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={() => setNotice(null)}
      data-testid="snapshot-reopen-notice"
    >
      {notice}
    </Alert>
  );
}
