/** Renders whichever connection dialog is open; a dialog for a vanished profile closes itself. */
import { useConnectionDialogs } from '../../stores/connection-dialogs-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { ConnectionFormModal } from './ConnectionFormModal';
import { DeleteConnectionModal } from './DeleteConnectionModal';
import { ModeSwitchModal } from './ModeSwitchModal';

export function ConnectionDialogs() {
  const dialog = useConnectionDialogs((state) => state.dialog);
  const close = useConnectionDialogs((state) => state.close);
  const connections = useConnectionsStore((state) => state.connections);
  if (!dialog) return null;
  if (dialog.kind === 'create') return <ConnectionFormModal onClose={close} />;
  const profile = connections.find((item) => item.id === dialog.id);
  if (!profile) return null;
  if (dialog.kind === 'mode') return <ModeSwitchModal profile={profile} onClose={close} />;
  return dialog.kind === 'edit' ? (
    <ConnectionFormModal key={profile.id} profile={profile} onClose={close} />
  ) : (
    <DeleteConnectionModal profile={profile} onClose={close} />
  );
}
