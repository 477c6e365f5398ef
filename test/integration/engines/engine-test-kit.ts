/**
 * What the engine integration tests share: a store in a temp dir, an EngineRuns whose sessions go to
 * the real servers (credentials per test), tree builders and a reader that returns a whole subtree
 * (data, ACL, version, ephemeral) for assertions.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SessionFactory, ZkEndpointRef } from '../../../electron/engines/zk-copy/endpoints';
import { type EngineRunsOptions, EngineRuns } from '../../../electron/engines/zk-copy/run-manager';
import type { CopyParams, RunView } from '../../../electron/engines/zk-copy/types';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import { ZkBulkReader } from '../../../electron/zk/bulk-read/bulk-reader';
import type { ZkAcl, ZkSessionLike } from '../../../electron/zk/types';
import { ZkSession } from '../../../electron/zk/zk-session';
import type { ApiClient } from '../../setup/host-fixture';
import { copyParams as defaultCopyParams } from '../../../electron/engines/zk-copy/copy-params';

export function connect(connectString: string, digestAuth: string[] = [], sessionTimeoutMs = 10_000) {
  return ZkSession.connect({ connectString, sessionTimeoutMs, connectTimeoutMs: 5000, digestAuth });
}

export interface Kit {
  store: Store;
  runs: EngineRuns;
  dir: string;
  /** Every session the factory opened, for assertions on what engines did. */
  opened: ZkSession[];
  /** The sessions opened for writing (the copy's writer), in order. */
  writers: ZkSession[];
  /** The bulk readers walks read through (none when the kit was made with bulk: false). */
  bulkReaders: ZkBulkReader[];
  close(): Promise<void>;
}

/**
 * A store and runs; sessions authenticate with `credentials` (by connect string, default none).
 * Walks read through bulk readers, as in the app and the CLI; `bulk: false` leaves them out, so the
 * engine falls back to reading through plain sessions (a factory without openBulkReader).
 */
export function makeKit(
  options: {
    credentials?: (ref: ZkEndpointRef) => string[];
    bulk?: boolean;
  } & Partial<EngineRunsOptions> = {},
): Kit {
  const dir = mkdtempSync(join(tmpdir(), 'mdesk-engine-'));
  const store = openStore({ file: join(dir, 'store.db'), secretBox: createSecretBox(randomBytes(32)) });
  const opened: ZkSession[] = [];
  const writers: ZkSession[] = [];
  const bulkReaders: ZkBulkReader[] = [];
  const credentials = options.credentials ?? (() => []);
  const factory: SessionFactory = {
    credentials,
    open: async (ref, purpose) => {
      const session = await connect(ref.connectString, credentials(ref), ref.sessionTimeoutMs ?? 10_000);
      opened.push(session);
      if (purpose === 'write') writers.push(session);
      return session;
    },
  };
  if (options.bulk !== false) {
    factory.openBulkReader = async (ref, sessions) => {
      const reader = await ZkBulkReader.open({
        connectString: ref.connectString,
        sessionTimeoutMs: ref.sessionTimeoutMs ?? 10_000,
        connectTimeoutMs: 5000,
        digestAuth: credentials(ref),
        sessions,
      });
      bulkReaders.push(reader);
      return reader;
    };
  }
  const runs = new EngineRuns({
    store,
    actor: 'tester',
    factory,
    exportDir: join(dir, 'exports'),
    ...options,
  });
  return {
    store,
    runs,
    dir,
    opened,
    writers,
    bulkReaders,
    async close() {
      await Promise.allSettled([
        ...opened.map((session) => session.close()),
        ...bulkReaders.map((reader) => reader.close()),
      ]);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function copyParams(
  source: string,
  sourcePath: string,
  target: string,
  targetPath: string,
  extra: Partial<CopyParams> = {},
): CopyParams {
  return copyBetween(
    { kind: 'zk', connectString: source, path: sourcePath },
    { kind: 'zk', connectString: target, path: targetPath },
    extra,
  );
}

/** A verified create-only copy keeping ACLs, between any two endpoints (a snapshot, a connection); `extra` overrides. */
export function copyBetween(
  source: CopyParams['source'],
  target: CopyParams['target'],
  extra: Partial<CopyParams> = {},
): CopyParams {
  return { ...defaultCopyParams(source, target), ...extra };
}

export interface NodeSnapshot {
  data: Buffer;
  acl: ZkAcl[];
  version: number;
  ephemeral: boolean;
}

/** Every node under root (relative paths, '' for the root), read through one session; `skip` prunes. */
export async function readSubtree(
  session: ZkSessionLike,
  root: string,
  skip: (rel: string) => boolean = () => false,
): Promise<Map<string, NodeSnapshot>> {
  const out = new Map<string, NodeSnapshot>();
  const visit = async (path: string, rel: string): Promise<void> => {
    if (skip(rel)) return;
    const [{ data, stat }, { acl }] = await Promise.all([session.getData(path), session.getACL(path)]);
    out.set(rel, { data, acl, version: stat.version, ephemeral: stat.ephemeralOwner !== '0x0' });
    if (stat.numChildren === 0) return;
    const { children } = await session.getChildren(path);
    await Promise.all(children.map((child) => visit(`${path}/${child}`, `${rel}/${child}`)));
  };
  await visit(root, '');
  return out;
}

/** Creates nodes in order with pipelined creates (parents first). */
export async function createAll(
  session: ZkSession,
  nodes: { path: string; data?: Buffer; acl?: ZkAcl[]; mode?: 'persistent' | 'ephemeral' }[],
): Promise<void> {
  for (const node of nodes) {
    await session.create(node.path, node.data ?? Buffer.alloc(0), { acl: node.acl, mode: node.mode });
  }
}

/** A parent with `count` leaf children, created in multis (fast enough for 10,000). */
export async function createWide(
  session: ZkSession,
  parent: string,
  count: number,
  data: (i: number) => Buffer,
) {
  await session.create(parent, Buffer.from('wide'));
  const pending: Promise<unknown>[] = [];
  for (let start = 0; start < count; start += 500) {
    const ops = [];
    for (let i = start; i < Math.min(count, start + 500); i += 1) {
      ops.push({
        type: 'create' as const,
        path: `${parent}/n${String(i).padStart(5, '0')}`,
        data: data(i),
        acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
      });
    }
    pending.push(session.multi(ops));
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);
}

/** A wide tree: its root, `parents` parents p<index> (index padded to `pad` digits), each with `children` leaves. */
export interface WideTree {
  parents: number;
  children: number;
  pad?: number;
  payload: (i: number) => Buffer;
}

/** The tree the copy-fault tests copy (a restart, an expiry, a jump host going away): 4,825 nodes. */
export const FAULT_TREE: WideTree = {
  parents: 24,
  children: 200,
  payload: (i) => Buffer.alloc(200, i % 251),
};

/** How many nodes `tree` has, its root included. */
export function wideTreeNodes(tree: WideTree): number {
  return 1 + tree.parents * (tree.children + 1);
}

/** Writes `tree` at `root` (which must not exist), parent by parent. */
export async function createWideTree(session: ZkSession, root: string, tree: WideTree): Promise<void> {
  await session.create(root, Buffer.from('root'));
  for (let p = 0; p < tree.parents; p += 1) {
    await createWide(
      session,
      `${root}/p${String(p).padStart(tree.pad ?? 0, '0')}`,
      tree.children,
      tree.payload,
    );
  }
}

/** Verify of a finished run found all `nodes` nodes equal on both sides, none differing or extra. */
export function expectVerifiedEqual(run: RunView, nodes: number): void {
  expect(run.result!.verify!.counts).toMatchObject({
    matching: nodes,
    mismatched: 0,
    extraSource: 0,
    extraTarget: 0,
  });
}

/** Deletes a subtree bottom-up in multis (test cleanup of large trees; missing is fine). */
export async function removeSubtree(session: ZkSession, root: string): Promise<void> {
  if (!(await session.exists(root))) return;
  const paths: string[] = [];
  const visit = async (path: string): Promise<void> => {
    paths.push(path);
    const stat = await session.exists(path);
    if (!stat || stat.numChildren === 0) return;
    const { children } = await session.getChildren(path);
    await Promise.all(children.map((child) => visit(`${path}/${child}`)));
  };
  await visit(root);
  // Deepest first: a path's descendants are longer than it.
  paths.sort((a, b) => b.split('/').length - a.split('/').length);
  for (let start = 0; start < paths.length; start += 200) {
    const ops = paths
      .slice(start, start + 200)
      .map((path) => ({ type: 'remove' as const, path, version: -1 }));
    await session.multi(ops);
  }
}

/** Polls the copy API until run `runId` has ended (not live, not running or paused); fails after `timeoutMs`. */
export async function waitForApiRunEnd(api: ApiClient, runId: string, timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.zkCopy.status.query({ runId });
    if (!run.live && run.state !== 'running' && run.state !== 'paused') return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} did not end within ${timeoutMs} ms (${run.state})`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
