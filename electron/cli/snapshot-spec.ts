/**
 * A snapshot of the data dir's store as the SRC of `zk copy` / `zk diff`:
 * `@snapshot:<name-or-id>[:/path]`, in the family of `@saved-name:/path`. The name is the snapshot's
 * label (or 'connection:/root' when it has none); the path defaults to the snapshot's root. A saved
 * connection called 'snapshot' stays reachable as `@snapshot:/path` (a path right after the colon).
 */
import { validateZkPath } from '../../shared/zk-path';
import { findStoredSnapshot, storedSnapshotEndpoint } from '../engines/zk-copy/stored-snapshot-endpoint';
import { RunRefusedError } from '../engines/zk-copy/run-manager';
import type { EndpointRef } from '../engines/zk-copy/types';
import { UsageError } from './command';
import type { CliContext } from './context';
import { parseEndpointSpec } from './endpoint-spec';

export const SNAPSHOT_SPEC_PREFIX = '@snapshot:';

export interface SnapshotSpec {
  nameOrId: string;
  /** Absent: the snapshot's root. */
  path?: string;
}

/** `@snapshot:...` parsed, or null when `text` is not one (a live endpoint). */
export function parseSnapshotSpec(text: string, role: string): SnapshotSpec | null {
  if (!text.startsWith(SNAPSHOT_SPEC_PREFIX)) return null;
  const rest = text.slice(SNAPSHOT_SPEC_PREFIX.length);
  if (rest.startsWith('/')) return null; // @snapshot:/path is a saved connection named 'snapshot'
  // Names may hold ':' ('before 10:30'); the path starts at the first ':/'.
  const cut = rest.indexOf(':/');
  const nameOrId = (cut < 0 ? rest : rest.slice(0, cut)).trim();
  if (nameOrId === '') {
    throw new UsageError(`${role} '${text}' must look like @snapshot:<name-or-id>[:/path]`);
  }
  if (cut < 0) return { nameOrId };
  const path = rest.slice(cut + 1).replace(/(.)\/+$/, '$1');
  const problem = validateZkPath(path);
  if (problem) throw new UsageError(`${role} '${text}': path ${problem}`);
  return { nameOrId, path };
}

/** SRC as an endpoint: a stored snapshot, or a live one through the context. */
export function resolveSourceEndpoint(context: CliContext, text: string, role = 'SRC'): EndpointRef {
  const snapshot = parseSnapshotSpec(text, role);
  if (!snapshot) return context.resolveEndpoint(parseEndpointSpec(text, role));
  try {
    const record = findStoredSnapshot(context.store.snapshots, snapshot.nameOrId);
    return storedSnapshotEndpoint(context.store.snapshots, record.id, snapshot.path);
  } catch (error) {
    if (error instanceof RunRefusedError) throw new UsageError(`${role} '${text}': ${error.message}`);
    throw error;
  }
}

/** DST as an endpoint: a snapshot is read-only, so it is refused with a message that says so. */
export function resolveTargetEndpoint(context: CliContext, text: string, role = 'DST'): EndpointRef {
  if (parseSnapshotSpec(text, role)) {
    throw new UsageError(
      `${role} '${text}' is a snapshot, and snapshots are read-only: copy into a live connection (zk://... or @saved-name:/path)`,
    );
  }
  return context.resolveEndpoint(parseEndpointSpec(text, role));
}
