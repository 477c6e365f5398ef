/**
 * Snapshots: captured subtrees kept in SQLite for offline browsing, comparison and rollback. One row
 * per snapshot (where it came from, why, how far the capture got) and one per node: the exact bytes
 * as a BLOB, the ACL and stat as JSON. Children are listed through the (snapshot_id, parent, path)
 * index, so a node with 100,000 children lists in order without a sort and without reading data.
 */
import type Database from 'better-sqlite3';
import type {
  NewSnapshot,
  SnapshotNodeRecord,
  SnapshotNodeWrite,
  SnapshotRecord,
  SnapshotState,
  SnapshotsRepo,
} from './types';

interface SnapshotRow {
  id: string;
  connection_id: string | null;
  connection_name: string;
  connect_string: string;
  root: string;
  label: string | null;
  reason: string;
  state: SnapshotState;
  node_count: number;
  byte_count: number;
  error: string | null;
  created_at: number;
  completed_at: number | null;
}

interface NodeRow {
  path: string;
  data: Buffer;
  acl: string;
  stat: string;
}

const SNAPSHOT_COLUMNS =
  'id, connection_id, connection_name, connect_string, root, label, reason, state, node_count, byte_count, error, created_at, completed_at';

export class SnapshotNotFoundError extends Error {
  override name = 'SnapshotNotFoundError';
  constructor(readonly snapshotId: string) {
    super(`There is no snapshot ${snapshotId} (it may have been deleted)`);
  }
}

/** '/a' -> '/', '/a/b' -> '/a'; the root's parent is '' so it never lists as its own child. */
export function snapshotParentOf(path: string): string {
  if (path === '/') return '';
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function createSnapshotsRepo(
  db: Database.Database,
  now: () => number,
  newId: () => string,
): SnapshotsRepo {
  const insertSnapshot = db.prepare<[SnapshotRow]>(
    `INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) VALUES (@id, @connection_id, @connection_name, @connect_string,
       @root, @label, @reason, @state, @node_count, @byte_count, @error, @created_at, @completed_at)`,
  );
  const getSnapshot = db.prepare<[string], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE id = ?`,
  );
  const listSnapshots = db.prepare<[number], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const listByConnection = db.prepare<[string, number], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE connection_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const listByReason = db.prepare<[string, number], SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM snapshots WHERE reason = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const progressStmt = db.prepare<[number, number, string]>(
    'UPDATE snapshots SET node_count = ?, byte_count = ? WHERE id = ?',
  );
  const finishStmt = db.prepare<[SnapshotState, number, number, string | null, number, string]>(
    'UPDATE snapshots SET state = ?, node_count = ?, byte_count = ?, error = ?, completed_at = ? WHERE id = ?',
  );
  const failCapturing = db.prepare<[string, number]>(
    "UPDATE snapshots SET state = 'failed', error = ?, completed_at = ? WHERE state = 'capturing'",
  );
  const deleteSnapshot = db.prepare<[string]>('DELETE FROM snapshots WHERE id = ?');
  const insertNode = db.prepare<[string, string, string, Buffer, string, string]>(
    'INSERT INTO snapshot_nodes (snapshot_id, path, parent, data, acl, stat) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const getNode = db.prepare<[string, string], NodeRow>(
    'SELECT path, data, acl, stat FROM snapshot_nodes WHERE snapshot_id = ? AND path = ?',
  );
  const childNames = db.prepare<[string, string], { path: string }>(
    'SELECT path FROM snapshot_nodes WHERE snapshot_id = ? AND parent = ? ORDER BY path',
  );
  const pageNodes = db.prepare<[string, string, number], NodeRow>(
    'SELECT path, data, acl, stat FROM snapshot_nodes WHERE snapshot_id = ? AND path > ? ORDER BY path LIMIT ?',
  );
  // Everything at or below a path: '/' sorts right below '0', so [p + '/', p + '0') is the subtree.
  const countBelow = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM snapshot_nodes
     WHERE snapshot_id = ? AND (path = ? OR (path >= ? AND path < ?))`,
  );
  const samplesBelow = db.prepare<[string, string, string, number], { path: string }>(
    `SELECT path FROM snapshot_nodes WHERE snapshot_id = ? AND path >= ? AND path < ? ORDER BY path LIMIT ?`,
  );

  const decodeNode = (row: NodeRow): SnapshotNodeRecord => ({
    path: row.path,
    data: row.data,
    acl: JSON.parse(row.acl) as SnapshotNodeRecord['acl'],
    stat: JSON.parse(row.stat) as SnapshotNodeRecord['stat'],
  });

  const requireSnapshot = (id: string): SnapshotRow => {
    const row = getSnapshot.get(id);
    if (!row) throw new SnapshotNotFoundError(id);
    return row;
  };

  const subtreeBounds = (path: string): [string, string] =>
    path === '/' ? ['/', '0'] : [`${path}/`, `${path}0`];

  return {
    create(input: NewSnapshot): SnapshotRecord {
      const row: SnapshotRow = {
        id: input.id ?? newId(),
        connection_id: input.connectionId,
        connection_name: input.connectionName,
        connect_string: input.connectString,
        root: input.root,
        label: input.label ?? null,
        reason: input.reason,
        state: 'capturing',
        node_count: 0,
        byte_count: 0,
        error: null,
        created_at: input.createdAt ?? now(),
        completed_at: null,
      };
      insertSnapshot.run(row);
      return toRecord(row);
    },

    get(id) {
      const row = getSnapshot.get(id);
      return row ? toRecord(row) : undefined;
    },

    list(query = {}) {
      const limit = Math.max(1, Math.min(query.limit ?? 200, 1000));
      const rows =
        query.connectionId !== undefined
          ? listByConnection.all(query.connectionId, limit)
          : query.reason !== undefined
            ? listByReason.all(query.reason, limit)
            : listSnapshots.all(limit);
      return rows.map(toRecord);
    },

    addNodes(id, nodes: readonly SnapshotNodeWrite[]) {
      // One transaction per batch: 100k single-row inserts would each fsync the WAL.
      db.transaction(() => {
        for (const node of nodes) {
          insertNode.run(
            id,
            node.path,
            snapshotParentOf(node.path),
            node.data,
            JSON.stringify(node.acl),
            JSON.stringify(node.stat),
          );
        }
      })();
    },

    recordProgress(id, nodeCount, byteCount) {
      progressStmt.run(nodeCount, byteCount, id);
    },

    complete(id, summary) {
      requireSnapshot(id);
      finishStmt.run('complete', summary.nodeCount, summary.byteCount, summary.note ?? null, now(), id);
      return toRecord(requireSnapshot(id));
    },

    fail(id, error, summary) {
      const row = requireSnapshot(id);
      finishStmt.run(
        'failed',
        summary?.nodeCount ?? row.node_count,
        summary?.byteCount ?? row.byte_count,
        error,
        now(),
        id,
      );
      return toRecord(requireSnapshot(id));
    },

    failInterrupted(message) {
      return failCapturing.run(message, now()).changes;
    },

    remove(id) {
      return deleteSnapshot.run(id).changes > 0;
    },

    node(id, path) {
      const row = getNode.get(id, path);
      return row ? decodeNode(row) : undefined;
    },

    children(id, parent) {
      const prefix = parent === '/' ? 1 : parent.length + 1;
      return childNames.all(id, parent).map((row) => row.path.slice(prefix));
    },

    nodesAfter(id, afterPath, limit) {
      return pageNodes.all(id, afterPath, Math.max(1, limit)).map(decodeNode);
    },

    countSubtree(id, path) {
      const [low, high] = subtreeBounds(path);
      return countBelow.get(id, path, low, high)?.n ?? 0;
    },

    subtreeSample(id, path, limit) {
      const [low, high] = subtreeBounds(path);
      return samplesBelow.all(id, low, high, Math.max(1, limit)).map((row) => row.path);
    },
  };
}

function toRecord(row: SnapshotRow): SnapshotRecord {
  return {
    id: row.id,
    connectionId: row.connection_id,
    connectionName: row.connection_name,
    connectString: row.connect_string,
    root: row.root,
    label: row.label,
    reason: row.reason,
    state: row.state,
    nodeCount: row.node_count,
    byteCount: row.byte_count,
    error: row.error,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
