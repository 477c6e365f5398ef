/**
 * Setting one ACL on every node of a subtree. ZooKeeper has no recursive setACL and a multi cannot
 * carry one, so each node gets its own request, pipelined through the session's bounded window;
 * each is checked against the ACL version the walk saw, so a node whose ACL someone else changed in
 * between is reported, not overwritten.
 */
import type { TreeJobEvent } from '../../../shared/api/node-edit';
import type { ZkAclView } from '../../../shared/api/zk-node';
import { isZkError } from '../../zk/errors';
import type { ZkWriteSession } from '../../zk/multi';
import { collectForTreeJob } from './subtree-collect';
import type { TreeJobContext } from './tree-jobs';
import { countOf, noun } from '../../../shared/plural';

/** Requests per step: enough to fill the session's window, few enough for visible progress. */
const CHUNK = 256;

export interface SetAclTreeOptions {
  session: ZkWriteSession;
  path: string;
  acl: ZkAclView[];
  /** The top node's ACL version the operator reviewed. */
  aversion: number;
  maxNodes: number;
  job: TreeJobContext;
  audit(detail: Record<string, unknown>): void;
  /** Takes the snapshot of the subtree (ACLs included) before any ACL changes (design, section 8). */
  snapshotFirst?: (total: number) => Promise<{ snapshotId: string; digest: string }>;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function setAclTree(options: SetAclTreeOptions): Promise<TreeJobEvent> {
  const { session, path, job } = options;
  const started = Date.now();
  job.report({ type: 'counting', visited: 0 });
  const { acl: aclBefore } = await session.getACL(path);
  const subtree = await collectForTreeJob(session, path, options.maxNodes, job);
  const total = subtree.nodes.length;
  const refuse = (message: string): TreeJobEvent => ({ type: 'failed', message, done: 0, total });
  if (job.signal.aborted) return refuse('Cancelled before any ACL was changed.');
  if (subtree.truncated) {
    return refuse(`${path} has more than ${fmt(options.maxNodes)} nodes (the limit): no ACL was changed.`);
  }
  if (subtree.unreadable.length > 0) {
    return refuse(
      `${countOf(subtree.unreadable.length, 'node')} under ${path} cannot be read with this connection's credentials (first: ${subtree.unreadable[0]}): no ACL was changed.`,
    );
  }
  const root = subtree.nodes.find((node) => node.path === path);
  if (!root || root.aversion !== options.aversion) {
    return refuse(
      `The ACL of ${path} was changed by someone else (version ${root?.aversion ?? '?'}, you reviewed ${options.aversion}): reload it and apply your change again.`,
    );
  }

  let snapshotId: string | null = null;
  if (options.snapshotFirst) {
    job.report({ type: 'snapshot', done: 0, total });
    try {
      snapshotId = (await options.snapshotFirst(total)).snapshotId;
    } catch (error) {
      return refuse(
        `The snapshot that must precede the ACL change could not be taken (${error instanceof Error ? error.message : String(error)}): no ACL was changed.`,
      );
    }
    if (job.signal.aborted) return refuse('Cancelled before any ACL was changed.');
  }

  let done = 0;
  const skipped: string[] = [];
  const finish = (outcome: string, extra: Record<string, unknown> = {}) =>
    options.audit({
      path,
      recursive: true,
      nodes: total,
      changed: done,
      aversion: options.aversion,
      aclBefore,
      aclAfter: options.acl,
      // ACLs do not touch data: the subtree's data digest is the same before and after.
      digestBefore: subtree.digest,
      digestAfter: subtree.digest,
      snapshotId,
      outcome,
      ...extra,
    });
  for (let start = 0; start < total; start += CHUNK) {
    if (job.signal.aborted) {
      finish('cancelled');
      return {
        type: 'failed',
        message: `Cancelled after changing ${fmt(done)} of ${fmt(total)} ACLs.`,
        done,
        total,
      };
    }
    const chunk = subtree.nodes.slice(start, start + CHUNK);
    const results = await Promise.allSettled(
      chunk.map((node) => session.setACL(node.path, options.acl, node.aversion)),
    );
    for (let index = 0; index < results.length; index += 1) {
      const result = results[index] as PromiseSettledResult<unknown>;
      const node = chunk[index] as (typeof chunk)[number];
      if (result.status === 'fulfilled') {
        done += 1;
        continue;
      }
      const error = result.reason;
      if (isZkError(error) && error.code === 'NO_NODE') {
        skipped.push(node.path);
        continue;
      }
      const message =
        isZkError(error) && error.code === 'BAD_VERSION'
          ? `the ACL of ${node.path} was changed by someone else during the update`
          : error instanceof Error
            ? error.message
            : String(error);
      finish('failed', { error: message });
      return {
        type: 'failed',
        message: `Stopped after changing ${fmt(done)} of ${fmt(total)} ACLs: ${message}.`,
        done,
        total,
      };
    }
    job.report({
      type: 'progress',
      done,
      total,
      batches: Math.ceil((start + chunk.length) / CHUNK),
      elapsedMs: Date.now() - started,
    });
  }
  finish('completed', skipped.length > 0 ? { deletedMeanwhile: skipped.length } : {});
  return {
    type: 'done',
    done,
    total,
    batches: Math.ceil(total / CHUNK),
    elapsedMs: Date.now() - started,
    note:
      [
        skipped.length > 0
          ? `${countOf(skipped.length, 'node')} ${noun(skipped.length, 'was', 'were')} deleted by someone else meanwhile.`
          : '',
        snapshotId ? 'A snapshot of the subtree with its previous ACLs was saved first (Snapshots tab).' : '',
      ]
        .filter(Boolean)
        .join(' ') || null,
    snapshotId,
  };
}
