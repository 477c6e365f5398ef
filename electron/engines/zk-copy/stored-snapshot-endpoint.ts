/**
 * A snapshot of the app's store as a copy source: finding it (by id, or by name in the CLI), the
 * checks that make it a trustworthy source (complete, the path inside what it captured). Opening it
 * when the run starts is stored-snapshot-reader's.
 */
import { snapshotName } from '../../../shared/api/snapshots';
import type { SnapshotRecord, SnapshotsRepo } from '../../store/types';
import { RunRefusedError } from './run-manager';
import type { StoredSnapshotRef } from './types';

function isUnder(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/** "snapshot 'name' (id, captured 2026-...Z)", for messages. */
function describeRecord(snapshot: SnapshotRecord): string {
  return `snapshot '${snapshotName(snapshot)}' (${snapshot.id}, captured ${new Date(snapshot.createdAt).toISOString()})`;
}

/** Refuses a snapshot that cannot stand for a tree: one still being taken, or one that failed. */
function checkUsable(snapshot: SnapshotRecord): void {
  if (snapshot.state === 'capturing') {
    throw new RunRefusedError(
      `The ${describeRecord(snapshot)} is still being taken: wait until it is complete, then copy from it`,
    );
  }
  if (snapshot.state === 'failed') {
    throw new RunRefusedError(
      `The ${describeRecord(snapshot)} failed (${snapshot.error ?? 'no reason recorded'}): it holds part of the tree only; take a new snapshot and copy from that`,
    );
  }
}

/**
 * The source endpoint for a copy from snapshot `snapshotId`, at `path` (default: the snapshot's
 * root), which must be inside what the snapshot captured.
 */
export function storedSnapshotEndpoint(
  repo: SnapshotsRepo,
  snapshotId: string,
  path?: string,
): StoredSnapshotRef {
  const snapshot = repo.get(snapshotId);
  if (!snapshot) {
    throw new RunRefusedError(
      `There is no snapshot ${snapshotId} (it may have been deleted): choose another source`,
    );
  }
  checkUsable(snapshot);
  const wanted = path ?? snapshot.root;
  if (!isUnder(wanted, snapshot.root)) {
    throw new RunRefusedError(
      `${wanted} is not in the ${describeRecord(snapshot)}: it holds ${snapshot.root} and below; choose a path there`,
    );
  }
  return {
    kind: 'stored-snapshot',
    snapshotId: snapshot.id,
    snapshotName: snapshotName(snapshot),
    capturedAt: snapshot.createdAt,
    capturedFrom: snapshot.connectionName,
    capturedFromConnectionId: snapshot.connectionId,
    snapshotRoot: snapshot.root,
    snapshotNote: snapshot.state === 'complete' ? snapshot.error : null,
    path: wanted,
  };
}

/**
 * The snapshot named by `nameOrId`: an exact id, else the one complete snapshot with that name
 * (label, or 'connection:root'; case-insensitive). Several with one name is a question for the
 * operator, answered with their ids and times.
 */
export function findStoredSnapshot(repo: SnapshotsRepo, nameOrId: string): SnapshotRecord {
  const byId = repo.get(nameOrId);
  if (byId) return byId;
  const all = repo.list({ limit: 10_000 });
  const wanted = nameOrId.trim().toLowerCase();
  const named = all.filter((snapshot) => snapshotName(snapshot).toLowerCase() === wanted);
  const complete = named.filter((snapshot) => snapshot.state === 'complete');
  if (complete.length === 1) return complete[0]!;
  if (complete.length > 1) {
    const choices = complete.map(
      (snapshot) => `${snapshot.id} (captured ${new Date(snapshot.createdAt).toISOString()})`,
    );
    throw new RunRefusedError(
      `${complete.length} snapshots are named '${nameOrId}': give the id of the one to copy from: ${choices.join(', ')}`,
    );
  }
  if (named.length > 0) return named[0]!; // not complete: storedSnapshotEndpoint says why it cannot be used
  const known = all
    .filter((snapshot) => snapshot.state === 'complete')
    .slice(0, 10)
    .map((snapshot) => `'${snapshotName(snapshot)}' (${snapshot.id})`);
  throw new RunRefusedError(
    `No snapshot named '${nameOrId}'${known.length > 0 ? ` (newest: ${known.join(', ')})` : ' (there are no snapshots in this data dir)'}`,
  );
}
