/**
 * Snapshots as the API accepts and returns them. A snapshot is browsed through the same node API as
 * a live connection, under a workspace id of its own ('snapshot:<id>'): every read works, every
 * write is refused, and nothing touches the network.
 */
import { z } from 'zod';
import { zkPathSchema } from './zk-node';

export const SNAPSHOT_WORKSPACE_PREFIX = 'snapshot:';

/** The connection-like id a snapshot is browsed under. */
export function snapshotWorkspaceId(snapshotId: string): string {
  return `${SNAPSHOT_WORKSPACE_PREFIX}${snapshotId}`;
}

/** The snapshot id behind a workspace id, or null for a live connection. */
export function snapshotIdOfWorkspace(connectionId: string): string | null {
  return connectionId.startsWith(SNAPSHOT_WORKSPACE_PREFIX)
    ? connectionId.slice(SNAPSHOT_WORKSPACE_PREFIX.length)
    : null;
}

/**
 * A snapshot's name where one is typed or chosen (the CLI's @snapshot:<name>, the Copy view's source
 * picker): its label, or where it was taken from when it has none.
 */
export function snapshotName(snapshot: {
  label: string | null;
  connectionName: string;
  root: string;
}): string {
  return snapshot.label?.trim() || `${snapshot.connectionName}:${snapshot.root}`;
}

export type SnapshotReason =
  | 'manual'
  | 'before-delete'
  | 'before-acl'
  | 'before-import'
  | 'sample'
  | 'export-file';

export interface SnapshotView {
  id: string;
  connectionId: string | null;
  connectionName: string;
  connectString: string;
  root: string;
  label: string | null;
  reason: string;
  state: 'capturing' | 'complete' | 'failed';
  nodeCount: number;
  byteCount: number;
  /** Why it failed; for a complete snapshot, what it could not read. */
  error: string | null;
  createdAt: number;
  completedAt: number | null;
  /** The id to browse it under. */
  workspaceId: string;
  /** Whether its connection still exists, so it can be compared with the live tree. */
  comparable: boolean;
}

export const snapshotIdSchema = z.object({ snapshotId: z.string().min(1).max(64) });

export const captureSnapshotInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema,
  label: z.string().trim().max(200, 'the label is longer than 200 characters').optional(),
});

export const listSnapshotsInputSchema = z
  .object({
    connectionId: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .optional();

export const removeSnapshotInputSchema = snapshotIdSchema.extend({
  /** The node count the operator typed: deleting a snapshot cannot be undone. */
  confirmNodeCount: z.number().int().min(0),
});

export interface SnapshotCaptureResult {
  snapshot: SnapshotView;
  /** SHA-256 over (path, SHA-256 of data) of every node in path order: the audit's digest. */
  digest: string;
  unreadable: string[];
}

/** What changed in the live tree since the snapshot, from the live tree's point of view. */
export type SnapshotChangeKind = 'created' | 'updated' | 'deleted' | 'aclChanged';

export interface SnapshotChangeSample {
  path: string;
  /** For updates: data sizes and versions; for deletes of a subtree: how many nodes went with it. */
  detail: string;
}

export interface SnapshotComparison {
  snapshotId: string;
  root: string;
  /** When the live tree was read (a comparison is only true as of then). */
  checkedAt: number;
  counts: {
    /** Live nodes compared with their snapshot copy. */
    compared: number;
    unchanged: number;
    /** In the live tree, not in the snapshot: created since. */
    created: number;
    /** In both, data differs. */
    updated: number;
    /** In the snapshot, gone from the live tree. */
    deleted: number;
    /** In both, ACL differs. */
    aclChanged: number;
    /** Live nodes the connection's credentials cannot read. */
    unreadable: number;
  };
  samples: Record<SnapshotChangeKind | 'unreadable', SnapshotChangeSample[]>;
  /** The live root itself is gone: everything in the snapshot counts as deleted. */
  liveRootMissing: boolean;
}
