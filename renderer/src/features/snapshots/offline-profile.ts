/**
 * A snapshot as a workspace: a connection-like profile (read-only, id 'snapshot:<id>') the Explorer
 * and Pegasus views take like any connection, reading through the same API, with no network.
 */
import { formatDateTime } from '../../lib/date-time';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { type SnapshotView, snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';

export function isOfflineProfile(profile: Pick<ConnectionProfile, 'id'>): boolean {
  return snapshotIdOfWorkspace(profile.id) !== null;
}

/** When a snapshot was taken (the app's one date format). */
export function formatSnapshotTime(at: number): string {
  return formatDateTime(at);
}

/** The tab name: what it is a snapshot of, and when. */
export function snapshotTitle(view: SnapshotView): string {
  if (view.reason === 'sample') return view.connectionName;
  return `${view.connectionName} ${view.root} @ ${formatSnapshotTime(view.createdAt)}`;
}

export function offlineProfile(view: SnapshotView): ConnectionProfile {
  return {
    id: view.workspaceId,
    name: snapshotTitle(view),
    connectString:
      view.reason === 'sample' ? 'bundled sample, read offline' : `snapshot of ${view.connectString}`,
    chroot: null,
    sessionTimeoutMs: 10_000,
    // Opening a snapshot reads the local store: no server to wait for.
    connectTimeoutMs: 5_000,
    hasDigestAuth: false,
    sshTunnel: null,
    readOnly: true,
    createdAt: view.createdAt,
    updatedAt: view.completedAt ?? view.createdAt,
  };
}

export const REASON_TEXT: Record<string, string> = {
  manual: 'taken by hand',
  'before-delete': 'before a recursive delete',
  'before-acl': 'before a recursive ACL change',
  'before-import': 'before an import overwrote it',
  sample: 'bundled sample',
  'export-file': 'from an export file',
};
