/**
 * Cleanup: the batched, bottom-up, recursive delete of a tree (the old cluster root at the end of a
 * ZooKeeper migration). It refuses unless an export of that tree is saved and complete, and the
 * caller confirms with the exact node count the operator was shown; it deletes only nodes the export
 * holds (a node added since is a reason to stop, not to delete what nobody saw).
 */
import type { ZkWriteSession } from '../../zk/multi';
import { preorderKey, walkTree } from '../../zk/tree-walker';
import type { ZkSessionLike } from '../../zk/types';
import { readExportFile } from '../zk-export/export-file';
import { BatchWriter, type WriteTag } from './batch-writer';
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

  const exported = readExportFile(input.exportFile);
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
      message: `Refusing to delete ${path}: the export ${input.exportFile} is incomplete (${exported.unreadable.length} nodes could not be read): export it again with a credential that can read everything`,
      needs: 'a complete export',
    });
  }
  if (exported.nodes.size !== input.confirmNodeCount) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: the confirmed count ${input.confirmNodeCount} is not the ${exported.nodes.size} nodes of the export ${input.exportFile}`,
      needs: `confirmation of ${exported.nodes.size} nodes`,
    });
  }

  // What is there now, each node checked against the export; a resume finds fewer nodes, never others.
  const live: string[] = [];
  const walker = walkTree({ sessions: input.readers, root: path });
  for await (const event of walker) {
    if (event.kind === 'unreadable') {
      throw await noAuthStop({
        side: 'target',
        verb: 'read',
        path: event.path,
        aclPath: event.path,
        letter: 'r',
        session: input.readers[0],
      });
    }
    if (event.kind !== 'node') continue;
    if (!exported.nodes.has(event.path)) {
      throw new CopyStopError({
        code: 'REFUSED',
        path: event.path,
        message: `Refusing to delete ${path}: ${event.path} was created after the export ${input.exportFile}. Export the tree again and confirm the new count.`,
      });
    }
    live.push(event.path);
  }
  if (deleted === 0 && live.length !== input.confirmNodeCount) {
    throw new CopyStopError({
      code: 'REFUSED',
      path,
      message: `Refusing to delete ${path}: it has ${live.length} nodes now, not the ${input.confirmNodeCount} confirmed. Export it again.`,
    });
  }
  // Reverse pre-order: every node comes after all of its descendants.
  live.sort((a, b) => {
    const ka = preorderKey(a);
    const kb = preorderKey(b);
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  });

  const progress = new PhaseProgressReporter(input.onProgress, deleted + live.length);
  const writer = new BatchWriter({
    session: input.writer,
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
  for (const node of live) {
    await input.control.gate(() => writer.flush());
    const tag: WriteTag = { key: preorderKey(node), rel: node, kind: 'delete', dataBytes: 0 };
    writer.add({ type: 'remove', path: node, version: -1 }, tag);
    await writer.waitForRoom();
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
