/**
 * Captures a live subtree into the store: the streaming tree walker reads (bounded window, memory
 * independent of the tree's size), nodes go into SQLite in transactions of bounded size (count and
 * bytes), and the snapshot row moves capturing -> complete, or -> failed with the reason. Nodes the
 * credentials cannot read are listed in the snapshot's note, never silently missing.
 *
 * The digest is the one the recursive delete audits (path and SHA-256 of the data of every node, in
 * path order), so an audit event and the snapshot taken before it can be matched; it is computed
 * from the stored rows afterwards, so the walk never holds more than a batch.
 */
import type { JobProgressEvent } from '../../../shared/api/background-job';
import type { SnapshotReason } from '../../../shared/api/snapshots';
import { sha256, TreeDigest } from '../../host/services/data-digest';
import type { EventsRepo, SnapshotNodeWrite, SnapshotRecord, SnapshotsRepo } from '../../store/types';
import { ZkError } from '../../zk/errors';
import { walkTree } from '../../zk/tree-walker';
import type { ZkSessionLike } from '../../zk/types';
import { WalkProgress } from './walk-progress';
import { countOf, noun } from '../../../shared/plural';

export interface SnapshotSource {
  connectionId: string | null;
  connectionName: string;
  /** Connect string with chroot; never a credential. */
  connectString: string;
}

export interface CaptureOptions {
  store: { snapshots: SnapshotsRepo; events: EventsRepo };
  actor: string;
  /**
   * What the walk reads through: the connection's session, or the multiRead bulk reader dressed as
   * one (host/services/walk-readers.ts, opened with whole stats) that reads a tree several times faster.
   */
  sessions: readonly ZkSessionLike[];
  /** Visits in flight (default 128 a session); the bulk reader needs ~1024 to fill its batches. */
  concurrency?: number;
  /** How the tree was read ('multi-read', 'single-reads', 'session'), for the audit entry. */
  via?: string;
  root: string;
  source: SnapshotSource;
  reason: SnapshotReason;
  label?: string | null;
  /** An exact node count when the caller has one (a recursive delete counted first). */
  knownTotal?: number | null;
  signal?: AbortSignal;
  onProgress?: (event: JobProgressEvent) => void;
  /** Nodes per insert transaction (default 500). */
  batchNodes?: number;
  /** Data bytes per insert transaction (default 4 MiB). */
  batchBytes?: number;
}

export interface CaptureResult {
  snapshot: SnapshotRecord;
  digest: string;
  unreadable: string[];
}

/** Unreadable paths kept in full; beyond this only counted. */
const MAX_UNREADABLE_LISTED = 1000;

/**
 * The digest of what a snapshot holds, paged out of SQLite in path order (UTF-8 byte order, the
 * order compareCodePoints gives): memory stays bounded whatever the tree's size.
 */
export function snapshotDigest(repo: SnapshotsRepo, snapshotId: string): string {
  const tree = new TreeDigest();
  let after = '';
  for (;;) {
    const page = repo.nodesAfter(snapshotId, after, 1000);
    for (const node of page) tree.add(node.path, sha256(node.data));
    if (page.length < 1000) break;
    after = (page[page.length - 1] as { path: string }).path;
  }
  return tree.digest();
}

export class CaptureCancelledError extends Error {
  override name = 'CaptureCancelledError';
}

export async function captureSnapshot(options: CaptureOptions): Promise<CaptureResult> {
  const { store, root, source } = options;
  const first = options.sessions[0];
  if (!first) throw new RangeError('captureSnapshot needs at least one session');
  if (!(await first.exists(root))) {
    throw new ZkError(
      'NO_NODE',
      `Cannot take a snapshot of ${root}: it does not exist on '${source.connectionName}'`,
      {
        path: root,
      },
    );
  }
  const previous = store.snapshots
    .list({ connectionId: source.connectionId ?? undefined, limit: 50 })
    .find((snapshot) => snapshot.root === root && snapshot.state === 'complete');
  const snapshot = store.snapshots.create({
    connectionId: source.connectionId,
    connectionName: source.connectionName,
    connectString: source.connectString,
    root,
    label: options.label ?? null,
    reason: options.reason,
  });
  const progress = new WalkProgress({
    phase: 'snapshot',
    knownTotal: options.knownTotal ?? null,
    estimatedTotal: previous?.nodeCount ?? null,
    emit: (event) => options.onProgress?.(event),
  });
  const batchNodes = options.batchNodes ?? 500;
  const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
  const walker = walkTree({
    sessions: options.sessions,
    root,
    withAcl: true,
    concurrency: options.concurrency,
  });
  const onAbort = () => walker.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let batch: SnapshotNodeWrite[] = [];
  let pendingBytes = 0;
  let nodeCount = 0;
  let byteCount = 0;
  const unreadable: string[] = [];
  let unreadableCount = 0;
  const flush = () => {
    if (batch.length === 0) return;
    store.snapshots.addNodes(snapshot.id, batch);
    store.snapshots.recordProgress(snapshot.id, nodeCount, byteCount);
    batch = [];
    pendingBytes = 0;
  };

  try {
    for await (const event of walker) {
      if (event.kind === 'vanished') {
        if (event.path === root) {
          throw new ZkError('NO_NODE', `${root} was deleted while the snapshot was being taken`, {
            path: root,
          });
        }
        continue;
      }
      if (event.kind === 'unreadable') {
        unreadableCount += 1;
        if (unreadable.length < MAX_UNREADABLE_LISTED) unreadable.push(event.path);
        continue;
      }
      batch.push({
        path: event.path,
        data: event.data,
        acl: event.acl ?? [],
        // The children the snapshot holds (the walk skips /zookeeper at the ensemble root).
        stat: { ...event.stat, numChildren: event.childCount },
      });
      nodeCount += 1;
      byteCount += event.data.length;
      pendingBytes += event.data.length;
      if (batch.length >= batchNodes || pendingBytes >= batchBytes) flush();
      const stats = walker.stats();
      progress.update(nodeCount, byteCount, {
        pending: stats.pendingChildren + stats.inVisit + stats.queued,
      });
    }
    if (options.signal?.aborted) {
      throw new CaptureCancelledError(`Cancelled after ${nodeCount.toLocaleString('en-US')} nodes`);
    }
    flush();
  } catch (error) {
    walker.cancel();
    options.signal?.removeEventListener('abort', onAbort);
    const message = error instanceof Error ? error.message : String(error);
    const failed = store.snapshots.fail(snapshot.id, message, { nodeCount, byteCount });
    store.events.append({
      actor: options.actor,
      action: 'snapshot.failed',
      target: source.connectionId,
      detail: { snapshotId: failed.id, root, reason: options.reason, nodeCount, error: message },
    });
    throw error;
  }
  options.signal?.removeEventListener('abort', onAbort);
  progress.update(nodeCount, byteCount, { pending: 0 }, true);

  const digest = snapshotDigest(store.snapshots, snapshot.id);
  const note =
    unreadableCount > 0
      ? `${countOf(unreadableCount, 'node')} could not be read with this connection's credentials and ${noun(unreadableCount, 'is', 'are')} not in the snapshot (first: ${unreadable[0]})`
      : null;
  const complete = store.snapshots.complete(snapshot.id, { nodeCount, byteCount, note });
  store.events.append({
    actor: options.actor,
    action: 'snapshot.captured',
    target: source.connectionId,
    detail: {
      snapshotId: complete.id,
      root,
      reason: options.reason,
      connection: source.connectionName,
      nodeCount,
      bytes: byteCount,
      digest,
      unreadable: unreadableCount,
      seconds: progress.elapsedMs / 1000,
      ...(options.via ? { via: options.via } : {}),
    },
  });
  return { snapshot: complete, digest, unreadable };
}
