/**
 * The one gate every write passes: the connection must exist and be switched to read-write.
 * Connections are read-only by default (design, section 8), and the refusal says how to switch.
 */
import type { ConnectionProfile } from '../../../shared/api/connections';
import { snapshotIdOfWorkspace } from '../../../shared/api/snapshots';
import type { Store } from '../../store/types';

/** A refusal the API maps to FORBIDDEN; `zkCode` lets the UI tell it from a ZooKeeper NO_AUTH. */
export class ReadOnlyConnectionError extends Error {
  override name = 'ReadOnlyConnectionError';
  readonly zkCode = 'READ_ONLY';
  constructor(readonly connection: ConnectionProfile) {
    super(
      `Connection '${connection.name}' is read-only: nothing was written. Switch it to read-write (connection menu, Switch to read-write) to make changes`,
    );
  }
}

export class UnknownConnectionError extends Error {
  override name = 'UnknownConnectionError';
  constructor(readonly connectionId: string) {
    super(`Connection ${connectionId} does not exist (it may have been removed)`);
  }
}

/** A write aimed at a snapshot workspace: snapshots are read-only and offline by nature. */
export class SnapshotWriteError extends Error {
  override name = 'SnapshotWriteError';
  readonly zkCode = 'READ_ONLY';
  constructor() {
    super(
      'This is a snapshot (read-only and offline): nothing was written. Open the live connection to make changes',
    );
  }
}

/** The profile of a connection that may be written to, or a throw that says why not. */
export function assertWritable(store: Store, connectionId: string): ConnectionProfile {
  if (snapshotIdOfWorkspace(connectionId) !== null) throw new SnapshotWriteError();
  const profile = store.connections.get(connectionId);
  if (!profile) throw new UnknownConnectionError(connectionId);
  if (profile.readOnly) throw new ReadOnlyConnectionError(profile);
  return profile;
}
