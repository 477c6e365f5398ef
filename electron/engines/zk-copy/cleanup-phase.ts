/**
 * Cleanup: the batched, bottom-up, recursive delete of a tree (the old cluster root at the end of a
 * ZooKeeper migration). It refuses unless an export of that tree is saved and complete, and the
 * caller confirms with the exact node count the operator was shown; it deletes only nodes the export
 * holds (a node added since is a reason to stop, not to delete what nobody saw).
 *
 * Memory does not grow with the tree: the export is read as a stream into path digests
 * (export-path-index.ts), the tree is walked twice (count and check, then delete bottom-up as the
 * walk goes), and only parents still waiting for their children are kept.
 */
import type { ZkWriteSession } from '../../zk/multi';
import { preorderKey, walkTree } from '../../zk/tree-walker';
import type { ZkSessionLike } from '../../zk/types';
import { BatchWriter, type WriteTag } from './batch-writer';
import { type CopyTuning, DEFAULT_BATCH_OPS } from './copy-phase';
import { indexExportPaths } from './export-path-index';
import { CopyStopError, DEFAULT_FAULT_POLICY, type FaultPolicy, noAuthStop } from './faults';
import type { PhaseRecorder } from './phase-recorder';
import { PhaseProgressReporter, type ProgressSink } from './phase-progress';
import type { RunControl } from './run-control';

export interface CleanupInput {
  unit: string;
  path: string;
  exportFile: string;
  /** The node count the operator confirmed (from the export). */
  confirmNodeCount: number;
  readers: readonly ZkSessionLike[];
  writer: ZkWriteSession;
  control: RunControl;
  recorder: PhaseRecorder;
  faults?: FaultPolicy;
  /** Batch sizes (the copy's: bytes bound them, ops at most DEFAULT_BATCH_OPS). */
  tuning?: Pick<CopyTuning, 'maxBatchBytes' | 'maxBatchOps' | 'maxInFlight'>;
  onProgress?: ProgressSink;
}

export interface CleanupReport {
  deleted: number;
  exportFile: string;
  nodeCount: number;
  seconds: number;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export async function runCleanupPhase(input: CleanupInput): Promise<CleanupReport> {
  const started = Date.now();
  const { path } = input;
  if (path === '/' || path === '/zookeeper' || path.startsWith('/zookeeper/')) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: it is the root or ZooKeeper's own subtree`,
    });
  }
  const saved = input.recorder.load(input.unit);
  if (saved?.done && saved.state?.report) return saved.state.report as unknown as CleanupReport;
  let deleted = Number(saved?.state?.deleted ?? 0);

  const exported = await indexExportPaths(input.exportFile);
  if (exported.root !== path) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: the export ${input.exportFile} is of ${exported.root}, not of this tree`,
    });
  }
  if (!exported.complete) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: the export ${input.exportFile} is incomplete (${exported.unreadable} nodes could not be read): export it again with a credential that can read everything`,
      needs: 'a complete export',
    });
  }
  if (exported.nodeCount !== input.confirmNodeCount) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: the confirmed count ${input.confirmNodeCount} is not the ${exported.nodeCount} nodes of the export ${input.exportFile}`,
      needs: `confirmation of ${exported.nodeCount} nodes`,
    });
  }

  const unreadable = async (event: { path: string }) =>
    noAuthStop({
      side: 'target',
      verb: 'read',
      path: event.path,
      aclPath: event.path,
      letter: 'r',
      session: input.readers[0],
    });
  const progress = new PhaseProgressReporter(input.onProgress, null);

  // Pass 1: what is there now, each node checked against the export (a resume finds fewer nodes,
  // never others). Streamed: only the count is kept.
  let remaining = 0;
  progress.setMessage('Counting the nodes still there and checking each against the export');
  for await (const event of walkTree({ sessions: input.readers, root: path })) {
    if (event.kind === 'unreadable') throw await unreadable(event);
    if (event.kind !== 'node') continue;
    if (!exported.has(event.path)) {
      throw new CopyStopError({
        code: 'REFUSED',
        path: event.path,
        message: `Refusing to delete ${path}: ${event.path} was created after the export ${input.exportFile}. Export the tree again and confirm the new count.`,
      });
    }
    remaining += 1;
    progress.update(0, 0, () => ({ deleted, counted: remaining }));
  }
  if (deleted === 0 && remaining !== input.confirmNodeCount) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: it has ${remaining} nodes now, not the ${input.confirmNodeCount} confirmed. Export it again.`,
    });
  }
  progress.setMessage(null);
  progress.setTotal(deleted + remaining);

  const writer = new BatchWriter({
    session: input.writer,
    maxBatchBytes: input.tuning?.maxBatchBytes,
    maxBatchOps: input.tuning?.maxBatchOps ?? DEFAULT_BATCH_OPS,
    maxInFlight: input.tuning?.maxInFlight,
    faults: input.faults ?? DEFAULT_FAULT_POLICY,
    resolveCulprit: async (entry, code) => {
      if (code === 'NO_NODE') {
        deleted += 1;
        return [];
      }
      if (code === 'NO_AUTH') {
        throw await noAuthStop({
          side: 'target',
          verb: 'delete',
          path: entry.op.path,
          aclPath: parentOf(entry.op.path),
          letter: 'd',
          session: input.writer,
        });
      }
      throw new CopyStopError({
        code,
        path: entry.op.path,
        message:
          code === 'NOT_EMPTY'
            ? `Stopped: ${entry.op.path} got a new child during the cleanup. Export the tree again and confirm the new count.`
            : `Stopped: deleting ${entry.op.path} failed with ${code}`,
      });
    },
    onSettled: (batch) => {
      deleted += batch.applied.length;
      progress.update(deleted, 0, () => ({ deleted }), true);
      input.recorder.save(
        input.unit,
        { cursor: null, done: false, state: { deleted } },
        {
          batch: {
            seq: batch.seq,
            ops: batch.sent,
            applied: batch.applied.length,
            created: 0,
            updated: 0,
            aclUpdated: 0,
            deleted: batch.applied.length,
            bytes: 0,
            requests: batch.requests,
            firstPath: batch.firstPath,
            lastPath: batch.lastPath,
          },
        },
      );
    },
  });

  // Pass 2: delete bottom-up while walking. A leaf is queued at once; a parent waits for the count of
  // its children it was listed with, and is queued right after its last child: one session applies
  // its requests in order, so the parent's delete always comes after its children's. Memory holds
  // the parents still waiting (a path per level of the walk's window), never the tree.
  const waiting = new Map<string, number>();
  const remove = async (node: string) => {
    await input.control.gate(() => writer.flush());
    const tag: WriteTag = { key: preorderKey(node), rel: node, kind: 'delete', dataBytes: 0 };
    writer.add({ type: 'remove', path: node, version: -1 }, tag);
    if (!writer.hasRoom) await writer.waitForRoom();
    // The parent is due once its last child is queued (never above the cleanup's root).
    for (let child = node; child !== path; ) {
      const parent = parentOf(child);
      const left = (waiting.get(parent) ?? 0) - 1;
      if (left > 0) {
        waiting.set(parent, left);
        return;
      }
      if (!waiting.delete(parent)) return;
      const parentTag: WriteTag = { key: preorderKey(parent), rel: parent, kind: 'delete', dataBytes: 0 };
      writer.add({ type: 'remove', path: parent, version: -1 }, parentTag);
      if (!writer.hasRoom) await writer.waitForRoom();
      child = parent;
    }
  };
  for await (const event of walkTree({ sessions: input.readers, root: path })) {
    if (event.kind === 'unreadable') throw await unreadable(event);
    if (event.kind !== 'node') continue;
    if (!exported.has(event.path)) {
      throw new CopyStopError({
        code: 'REFUSED',
        path: event.path,
        message: `Stopped: ${event.path} was created during the cleanup, after the export ${input.exportFile}. Export the tree again and confirm the new count.`,
      });
    }
    if (event.childCount > 0) waiting.set(event.path, event.childCount);
    else await remove(event.path);
  }
  // Parents whose children vanished meanwhile (deleted by someone else) are still due.
  for (const parent of [...waiting.keys()].sort((a, b) => (a < b ? 1 : -1))) {
    waiting.delete(parent);
    writer.add(
      { type: 'remove', path: parent, version: -1 },
      { key: preorderKey(parent), rel: parent, kind: 'delete', dataBytes: 0 },
    );
  }
  await writer.flush();
  const report: CleanupReport = {
    deleted,
    exportFile: input.exportFile,
    nodeCount: input.confirmNodeCount,
    seconds: (Date.now() - started) / 1000,
  };
  const event = progress.finish(deleted, 0, { deleted });
  input.recorder.save(
    input.unit,
    { cursor: null, done: true, state: { deleted, report } as never },
    { progress: event },
  );
  return report;
}
