/**
 * Builds test trees fast: creates go out as byte-sized multi batches (the same MultiBatcher the copy
 * engine uses), a few in flight, so 10k-100k nodes take a second or two instead of a minute.
 */
import { MultiBatcher } from '../../electron/zk/multi-batcher';
import type { MultiOp } from '../../electron/zk/multi';
import { OPEN_ACL_UNSAFE } from '../../electron/zk/acl';
import { walkTree } from '../../electron/zk/tree-walker';
import { ZkSession } from '../../electron/zk/zk-session';

export async function connectTestSession(connectString: string): Promise<ZkSession> {
  return ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });
}

/** Creates `path` and its missing parents with empty data. */
export async function ensurePath(session: ZkSession, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    const prefix = `/${parts.slice(0, i).join('/')}`;
    if (!(await session.exists(prefix))) {
      await session.create(prefix, Buffer.alloc(0)).catch((error: { code?: string }) => {
        if (error.code !== 'NODE_EXISTS') throw error;
      });
    }
  }
}

/** Creates the nodes in order (parents before children), in multis of up to 1000 ops, 4 in flight. */
export async function createNodes(
  session: ZkSession,
  nodes: Iterable<{ path: string; data?: Buffer }>,
): Promise<number> {
  const batcher = new MultiBatcher<null>({ maxOps: 1000 });
  const inFlight = new Set<Promise<void>>();
  let created = 0;
  const send = async (ops: MultiOp[]) => {
    const result = await session.multi(ops);
    if (!result.ok) {
      throw new Error(
        `creating ${ops[result.failedIndex]?.path ?? ops[0]?.path} failed: ${result.results[result.failedIndex]?.code}`,
      );
    }
    created += ops.length;
  };
  const dispatch = async (ops: MultiOp[]) => {
    // Parents go in earlier batches: wait for everything in flight before a batch that may need them.
    while (inFlight.size >= 4) await Promise.race(inFlight);
    const pending = send(ops).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };
  let lastDepth = -1;
  for (const node of nodes) {
    const depth = node.path.split('/').length;
    const op: MultiOp = {
      type: 'create',
      path: node.path,
      data: node.data ?? Buffer.alloc(0),
      acl: OPEN_ACL_UNSAFE,
    };
    if (depth !== lastDepth) {
      // A new depth may depend on nodes of the previous one: flush and drain first.
      const pending = batcher.flush();
      if (pending) await dispatch(pending.entries.map((entry) => entry.op));
      await Promise.all(inFlight);
      lastDepth = depth;
    }
    for (const batch of batcher.add(op, null)) await dispatch(batch.entries.map((entry) => entry.op));
  }
  const rest = batcher.flush();
  if (rest) await dispatch(rest.entries.map((entry) => entry.op));
  await Promise.all(inFlight);
  return created;
}

/** `count` children named child-000000... under `parent` (which must exist). */
export function childNodes(
  parent: string,
  count: number,
  data?: (index: number) => Buffer,
): { path: string; data?: Buffer }[] {
  return Array.from({ length: count }, (_, index) => ({
    path: `${parent}/child-${String(index).padStart(6, '0')}`,
    data: data?.(index),
  }));
}

/** Deletes a subtree deepest first in multi batches (cleanup of big test trees in a second, not minutes). */
export async function deleteTree(session: ZkSession, root: string): Promise<void> {
  const paths: string[] = [];
  for await (const event of walkTree({ sessions: [session], root }))
    if (event.kind === 'node') paths.push(event.path);
  paths.sort((a, b) => b.split('/').length - a.split('/').length);
  const batcher = new MultiBatcher<null>({ maxOps: 1000 });
  const batches: MultiOp[][] = [];
  for (const path of paths) {
    for (const batch of batcher.add({ type: 'remove', path, version: -1 }, null))
      batches.push(batch.entries.map((e) => e.op));
  }
  const rest = batcher.flush();
  if (rest) batches.push(rest.entries.map((e) => e.op));
  for (const ops of batches) {
    const result = await session.multi(ops);
    // Something changed meanwhile: fall back to one by one, ignoring what is already gone.
    if (!result.ok) for (const op of ops) await session.remove(op.path, -1).catch(() => undefined);
  }
}
