/**
 * Snapshots as connection-like workspaces: given a workspace id ('snapshot:<id>'), the session the
 * host's session registry hands to every reader in place of a live one. Ids of live connections are
 * not ours (undefined); an id of a snapshot that no longer exists is an error that says so.
 */
import { snapshotIdOfWorkspace } from '../../../shared/api/snapshots';
import { SnapshotNotFoundError } from '../../store/snapshots-repo';
import type { SnapshotsRepo } from '../../store/types';
import type { ZkSessionLike } from '../../zk/types';
import { SnapshotSession } from './snapshot-session';

export type OfflineSource = (connectionId: string) => ZkSessionLike | undefined;

/**
 * The source for a store. Snapshots still marked 'capturing' when it is created belong to a process
 * that stopped mid-capture (this one has not started any): they are marked failed, so they never
 * pass for complete ones.
 */
export function offlineSnapshotSource(repo: SnapshotsRepo): OfflineSource {
  repo.failInterrupted(
    'Interrupted: the app stopped while this snapshot was being taken (it holds part of the tree)',
  );
  return (connectionId) => {
    const snapshotId = snapshotIdOfWorkspace(connectionId);
    if (snapshotId === null) return undefined;
    const snapshot = repo.get(snapshotId);
    if (!snapshot) throw new SnapshotNotFoundError(snapshotId);
    return new SnapshotSession(repo, snapshot);
  };
}
