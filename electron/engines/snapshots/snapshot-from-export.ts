/**
 * Turns an export file (ours or zk-shell's, already parsed) into a snapshot, so a saved export can be
 * browsed offline like any capture. The bundled sample cluster is such an export. Stats the file
 * does not carry are left at zero apart from what the file itself says (data length, child count).
 */
import type { SnapshotReason } from '../../../shared/api/snapshots';
import type { EventsRepo, SnapshotNodeWrite, SnapshotRecord, SnapshotsRepo } from '../../store/types';
import type { ZkStatRaw } from '../../zk/types';
import type { ExportedNode, ExportedTree } from '../zk-export/export-format';
import { countOf } from '../../../shared/plural';

export interface SnapshotFromExportOptions {
  store: { snapshots: SnapshotsRepo; events: EventsRepo };
  actor: string;
  tree: ExportedTree;
  /** Shown where a capture shows its connection. */
  sourceName: string;
  sourceDescription: string;
  reason: SnapshotReason;
  label?: string | null;
  id?: string;
  batchNodes?: number;
}

function statOf(node: ExportedNode): ZkStatRaw {
  const recorded = node.stat;
  return {
    czxid: recorded?.czxid ?? '0x0',
    mzxid: recorded?.mzxid ?? '0x0',
    pzxid: recorded?.pzxid ?? '0x0',
    ctime: recorded?.ctime ?? 0,
    mtime: recorded?.mtime ?? 0,
    version: recorded?.version ?? 0,
    cversion: recorded?.cversion ?? 0,
    aversion: recorded?.aversion ?? 0,
    ephemeralOwner: recorded?.ephemeralOwner ?? (node.ephemeral ? '0x1' : '0x0'),
    dataLength: node.data.length,
    // What the snapshot holds, as for a capture (the file never holds /zookeeper).
    numChildren: node.children.length,
  };
}

export function snapshotFromExport(options: SnapshotFromExportOptions): SnapshotRecord {
  const { store, tree } = options;
  const snapshot = store.snapshots.create({
    id: options.id,
    connectionId: null,
    connectionName: options.sourceName,
    connectString: options.sourceDescription,
    root: tree.root,
    label: options.label ?? null,
    reason: options.reason,
    // The tree is as it was when exported, not as of now.
    ...(tree.exportedAt !== null ? { createdAt: tree.exportedAt } : {}),
  });
  const batchNodes = options.batchNodes ?? 1000;
  let batch: SnapshotNodeWrite[] = [];
  let nodeCount = 0;
  let byteCount = 0;
  try {
    for (const node of tree.nodes.values()) {
      batch.push({ path: node.path, data: node.data, acl: node.acl, stat: statOf(node) });
      nodeCount += 1;
      byteCount += node.data.length;
      if (batch.length >= batchNodes) {
        store.snapshots.addNodes(snapshot.id, batch);
        batch = [];
      }
    }
    if (batch.length > 0) store.snapshots.addNodes(snapshot.id, batch);
  } catch (error) {
    store.snapshots.fail(snapshot.id, error instanceof Error ? error.message : String(error), {
      nodeCount,
      byteCount,
    });
    throw error;
  }
  const note = tree.complete
    ? null
    : `The export was incomplete: ${countOf(tree.unreadable.length, 'node')} could not be read when it was made`;
  const complete = store.snapshots.complete(snapshot.id, { nodeCount, byteCount, note });
  store.events.append({
    actor: options.actor,
    action: 'snapshot.loaded',
    target: null,
    detail: {
      snapshotId: complete.id,
      root: tree.root,
      reason: options.reason,
      source: options.sourceDescription,
      format: tree.format,
      nodeCount,
      bytes: byteCount,
    },
  });
  return complete;
}
