/**
 * Reads a whole subtree's node list before a recursive write: the count the operator confirms, the
 * versions the write is checked against, and a digest of what is about to change. Uses the copy
 * engine's streaming walker (bounded in-flight reads), and stops at a node bound instead of growing
 * without limit.
 */
import { ZkError } from '../../zk/errors';
import { walkTree } from '../../zk/tree-walker';
import type { ZkSessionLike } from '../../zk/types';
import { compareCodePoints, sha256, TreeDigest } from './data-digest';
import type { TreeJobContext } from './tree-jobs';

export interface CollectedNode {
  path: string;
  /** Segments below the root (0: the root). */
  depth: number;
  version: number;
  aversion: number;
  ephemeral: boolean;
}

export interface CollectedSubtree {
  nodes: CollectedNode[];
  /** The walk stopped at maxNodes: the subtree is larger than `nodes`. */
  truncated: boolean;
  /** Digest over (path, data digest) of every node, in path order. */
  digest: string;
  /** Listed by a parent, deleted before it was read. */
  vanished: number;
  /** Nodes the credentials may not read. */
  unreadable: string[];
}

export interface CollectOptions {
  session: ZkSessionLike;
  root: string;
  maxNodes: number;
  signal?: AbortSignal;
  onProgress?: (visited: number) => void;
}

const PROGRESS_EVERY_MS = 250;

function depthBelow(root: string, path: string): number {
  if (path === root) return 0;
  const rest = root === '/' ? path.slice(1) : path.slice(root.length + 1);
  return rest.split('/').length;
}

/** The walk a recursive write job starts with: stopped with the job, its count the job's progress. */
export function collectForTreeJob(
  session: ZkSessionLike,
  root: string,
  maxNodes: number,
  job: TreeJobContext,
): Promise<CollectedSubtree> {
  return collectSubtree({
    session,
    root,
    maxNodes,
    signal: job.signal,
    onProgress: (visited) => job.report({ type: 'counting', visited }),
  });
}

export async function collectSubtree(options: CollectOptions): Promise<CollectedSubtree> {
  const { session, root, maxNodes, signal } = options;
  const walker = walkTree({ sessions: [session], root, concurrency: 128 });
  const onAbort = () => walker.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  const nodes: CollectedNode[] = [];
  // Folded in path order once the walk ends, so the same subtree always gives the same digest.
  const digests: { path: string; sha: Buffer }[] = [];
  const unreadable: string[] = [];
  let vanished = 0;
  let truncated = false;
  let lastProgress = Date.now();
  try {
    for await (const event of walker) {
      if (event.kind === 'vanished') {
        if (event.path === root)
          throw new ZkError('NO_NODE', `${root} does not exist (it may have been deleted)`, { path: root });
        vanished += 1;
        continue;
      }
      if (event.kind === 'unreadable') {
        unreadable.push(event.path);
        continue;
      }
      if (nodes.length >= maxNodes) {
        truncated = true;
        break;
      }
      nodes.push({
        path: event.path,
        depth: depthBelow(root, event.path),
        version: event.stat.version,
        aversion: event.stat.aversion,
        ephemeral: event.stat.ephemeralOwner !== '0x0',
      });
      // Hashed at once: the walk must not keep every node's bytes alive until the end.
      digests.push({ path: event.path, sha: sha256(event.data) });
      if (options.onProgress && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        options.onProgress(nodes.length);
      }
    }
  } finally {
    walker.cancel();
    signal?.removeEventListener('abort', onAbort);
  }
  digests.sort((a, b) => compareCodePoints(a.path, b.path));
  const tree = new TreeDigest();
  for (const entry of digests) tree.add(entry.path, entry.sha);
  return { nodes, truncated, digest: tree.digest(), vanished, unreadable };
}
