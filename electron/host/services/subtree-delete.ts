/**
 * Recursive delete, bottom-up, in multi batches sized by bytes.
 *
 * 1. Walk the subtree (bounded) for its node list, versions and a digest of the data.
 * 2. Refuse unless the count is exactly the one the operator typed: a subtree that grew or shrank
 *    since the confirmation is not the subtree that was confirmed.
 * 2b. Take a snapshot of the subtree (design, section 8) and refuse unless it holds exactly what was
 *    counted (same digest): what is deleted can always be browsed and compared afterwards.
 * 3. Delete deepest nodes first, each remove version-checked against the walk, in byte-sized multis
 *    (the copy engine's MultiBatcher), one batch at a time so a parent never goes before a child.
 *    A node already gone is fine; a node changed or given a new child since the walk stops the job.
 * 4. Audit one event for the subtree: path, node count, root version, digest before, outcome.
 */
import type { TreeJobEvent } from '../../../shared/api/node-edit';
import { isZkError, ZkError } from '../../zk/errors';
import { type BatchEntry, BatchCommitError, commitSplitting, MultiBatcher } from '../../zk/multi-batcher';
import type { ZkWriteSession } from '../../zk/multi';
import { type CollectedNode, collectForTreeJob } from './subtree-collect';
import type { TreeJobContext } from './tree-jobs';
import { countOf, noun } from '../../../shared/plural';

/** Ops per multi: bytes bound the size; this bounds latency, so progress moves in visible steps. */
const MAX_OPS_PER_BATCH = 1000;

export interface RemoveTreeOptions {
  session: ZkWriteSession;
  path: string;
  confirmCount: number;
  maxNodes: number;
  job: TreeJobContext;
  audit(detail: Record<string, unknown>): void;
  /** Takes the snapshot of the subtree before anything is deleted; its digest must match the count's. */
  snapshotFirst?: (total: number) => Promise<{ snapshotId: string; digest: string }>;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function removeTree(options: RemoveTreeOptions): Promise<TreeJobEvent> {
  const { session, path, confirmCount, job } = options;
  const started = Date.now();
  job.report({ type: 'counting', visited: 0 });
  const subtree = await collectForTreeJob(session, path, options.maxNodes, job);
  const total = subtree.nodes.length;
  const refuse = (message: string): TreeJobEvent => ({ type: 'failed', message, done: 0, total });
  if (job.signal.aborted) return refuse('Cancelled before anything was deleted.');
  if (subtree.truncated) {
    return refuse(
      `${path} has more than ${fmt(options.maxNodes)} nodes (the limit): nothing was deleted. Delete smaller subtrees first, or raise the limit.`,
    );
  }
  if (subtree.unreadable.length > 0) {
    return refuse(
      `${countOf(subtree.unreadable.length, 'node')} under ${path} cannot be read with this connection's credentials (first: ${subtree.unreadable[0]}), so the subtree cannot be counted: nothing was deleted.`,
    );
  }
  if (total !== confirmCount) {
    return refuse(
      `${path} now has ${countOf(total, 'node')}, but ${fmt(confirmCount)} ${noun(confirmCount, 'was', 'were')} confirmed: the subtree changed since it was counted. Nothing was deleted; review it and confirm again.`,
    );
  }

  let snapshotId: string | null = null;
  if (options.snapshotFirst) {
    job.report({ type: 'snapshot', done: 0, total });
    try {
      const snapshot = await options.snapshotFirst(total);
      snapshotId = snapshot.snapshotId;
      if (snapshot.digest !== subtree.digest) {
        return refuse(
          `${path} changed while its snapshot was being taken (snapshot ${snapshotId} does not match the count): nothing was deleted. Review it and delete again.`,
        );
      }
    } catch (error) {
      return refuse(
        `The snapshot that must precede the delete could not be taken (${error instanceof Error ? error.message : String(error)}): nothing was deleted.`,
      );
    }
    if (job.signal.aborted) return refuse('Cancelled before anything was deleted.');
  }

  // Deepest first; within a depth the order does not matter (siblings are independent).
  const ordered = subtree.nodes.slice().sort((a, b) => b.depth - a.depth);
  const chroot = (session as { chroot?: string }).chroot ?? '';
  const batcher = new MultiBatcher<CollectedNode>({
    maxOps: MAX_OPS_PER_BATCH,
    chrootBytes: Buffer.byteLength(chroot, 'utf8'),
  });
  const batches: BatchEntry<CollectedNode>[][] = [];
  for (const node of ordered) {
    for (const batch of batcher.add({ type: 'remove', path: node.path, version: node.version }, node)) {
      batches.push(batch.entries);
    }
  }
  const last = batcher.flush();
  if (last) batches.push(last.entries);

  const root = subtree.nodes.find((node) => node.path === path);
  const auditOutcome = (outcome: string, deleted: number, extra: Record<string, unknown> = {}) =>
    options.audit({
      path,
      recursive: true,
      nodes: total,
      deleted,
      version: root?.version ?? null,
      digestBefore: subtree.digest,
      digestAfter: outcome === 'completed' ? null : 'partial',
      ephemerals: subtree.nodes.filter((node) => node.ephemeral).length,
      batches: batches.length,
      snapshotId,
      outcome,
      ...extra,
    });

  let deleted = 0;
  let sent = 0;
  for (const entries of batches) {
    if (job.signal.aborted) {
      auditOutcome('cancelled', deleted);
      return {
        type: 'failed',
        message: `Cancelled after deleting ${fmt(deleted)} of ${fmt(total)} nodes (deepest first, so what is left is still a tree).`,
        done: deleted,
        total,
      };
    }
    try {
      const result = await commitSplitting(session, entries, async (entry, code) => {
        if (code === 'NO_NODE') return []; // someone else deleted it: the goal is met
        const reason =
          code === 'BAD_VERSION'
            ? 'was changed after it was counted'
            : code === 'NOT_EMPTY'
              ? 'got a new child after it was counted'
              : `could not be deleted (${code})`;
        throw new ZkError(code, `${entry.op.path} ${reason}`, { path: entry.op.path });
      });
      deleted += result.applied.length;
      sent += result.requests;
    } catch (error) {
      const applied = error instanceof BatchCommitError ? error.applied.length : 0;
      deleted += applied;
      const message = error instanceof Error ? error.message : String(error);
      const unknown =
        error instanceof BatchCommitError || (isZkError(error) && error.code === 'CONNECTION_LOSS');
      auditOutcome('failed', deleted, { error: message });
      return {
        type: 'failed',
        message: `Stopped after deleting ${fmt(deleted)} of ${fmt(total)} nodes: ${message}.${
          unknown
            ? ' The last batch may or may not have been applied: reload the tree before going on.'
            : ' Review the subtree and delete it again.'
        }`,
        done: deleted,
        total,
      };
    }
    job.report({ type: 'progress', done: deleted, total, batches: sent, elapsedMs: Date.now() - started });
  }
  auditOutcome('completed', deleted);
  return {
    type: 'done',
    done: deleted,
    total,
    batches: sent,
    elapsedMs: Date.now() - started,
    note:
      [
        subtree.vanished > 0
          ? `${countOf(subtree.vanished, 'node')} ${noun(subtree.vanished, 'was', 'were')} deleted by someone else while counting.`
          : '',
        snapshotId
          ? 'A snapshot of the subtree was saved first (Snapshots tab): browse it offline or compare it.'
          : '',
      ]
        .filter(Boolean)
        .join(' ') || null,
    snapshotId,
  };
}
