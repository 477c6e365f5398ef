/**
 * A manual snapshot reads through the multiRead bulk reader (host/services/walk-readers.ts, opened
 * with whole stats): what it stores must be what ZkSession reads, byte for byte, for every kind of
 * node: binary, empty and ~1 MB data, a parent of 10,000 children, a non-default ACL, an ephemeral.
 * The live tree is walked again through a plain ZkSession (the reader snapshots used before) and
 * every stored node is compared with it: data, ACL and the whole stat, zxids included.
 * The same capture with the bulk reader in single-reads mode (what it falls back to on a server
 * without multiRead) is compared the same way.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SnapshotCaptureResult } from '../../../shared/api/snapshots';
import type { JobProgressEvent } from '../../../shared/api/background-job';
import { CaptureCancelledError, captureSnapshot } from '../../../electron/engines/snapshots/capture-snapshot';
import { bulkWalkReaders } from '../../../electron/host/services/walk-readers';
import type { SnapshotNodeRecord } from '../../../electron/store/types';
import { ZkBulkReader } from '../../../electron/zk/bulk-read/bulk-reader';
import { walkTree } from '../../../electron/zk/tree-walker';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { jobResult, startTestHost, type TestHost } from '../../setup/host-fixture';
import {
  childNodes,
  connectTestSession,
  createNodes,
  deleteTree,
  ensurePath,
} from '../../setup/zk-tree-builder';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('snapshot-bulk');
const WIDE = 10_000;
const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x00, 0xc3, 0x28]);
/** Just under ZooKeeper's default 1 MiB packet limit. */
const LARGE = randomBytes(1_000_000);
/** Not the default, and readable back as written (the server masks digest hashes in getACL replies). */
const ACL = [
  { scheme: 'world', id: 'anyone', perms: 'r' },
  { scheme: 'ip', id: '127.0.0.1', perms: 'cdrwa' },
];
let t: TestHost;
let session: ZkSession;
let connectionId: string;

/** Every stored node of a snapshot, paged out in path order. */
function storedNodes(snapshotId: string): Map<string, SnapshotNodeRecord> {
  const nodes = new Map<string, SnapshotNodeRecord>();
  let after = '';
  for (;;) {
    const page = t.host.services.store.snapshots.nodesAfter(snapshotId, after, 2000);
    for (const node of page) nodes.set(node.path, node);
    if (page.length < 2000) return nodes;
    after = (page[page.length - 1] as SnapshotNodeRecord).path;
  }
}

/** The live tree through a plain ZkSession, compared node by node with what the snapshot stored. */
async function expectSameAsLive(snapshotId: string): Promise<number> {
  const stored = storedNodes(snapshotId);
  let compared = 0;
  const mismatches: string[] = [];
  for await (const event of walkTree({ sessions: [session], root, withAcl: true })) {
    if (event.kind !== 'node') throw new Error(`the reference walk met ${event.kind} at ${event.path}`);
    const node = stored.get(event.path);
    compared += 1;
    if (!node) {
      mismatches.push(`${event.path}: missing`);
      continue;
    }
    if (!node.data.equals(event.data)) mismatches.push(`${event.path}: data differs`);
    if (JSON.stringify(node.acl) !== JSON.stringify(event.acl)) mismatches.push(`${event.path}: ACL differs`);
    const liveStat = { ...event.stat, numChildren: event.childCount };
    if (JSON.stringify(sortedKeys(node.stat)) !== JSON.stringify(sortedKeys(liveStat))) {
      mismatches.push(`${event.path}: stat ${JSON.stringify(node.stat)} vs ${JSON.stringify(liveStat)}`);
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(stored.size).toBe(compared);
  return compared;
}

function sortedKeys(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

beforeAll(async () => {
  t = await startTestHost('snapshot-bulk');
  session = await connectTestSession(zk);
  await ensurePath(session, root);
  await session.create(`${root}/binary`, BINARY);
  await session.create(`${root}/empty`, Buffer.alloc(0));
  await session.create(`${root}/large`, LARGE);
  await session.create(`${root}/acl`, Buffer.from('guarded'), { acl: ACL });
  // Owned by this test's session: the snapshot records the owner, as ZkSession reports it.
  await session.create(`${root}/ephemeral`, Buffer.from('lease'), { mode: 'ephemeral' });
  await session.create(`${root}/wide`, Buffer.from('w'));
  await createNodes(
    session,
    childNodes(`${root}/wide`, WIDE, (index) =>
      index % 3 === 0 ? Buffer.alloc(0) : Buffer.from([index & 0xff, 0x00, (index >> 8) & 0xff, 0xff]),
    ),
  );
  connectionId = await t.addConnection('bulk-source', zk);
});

afterAll(async () => {
  if (session) await deleteTree(session, root).catch(() => undefined);
  await session?.close();
  await t?.stop();
});

// root + binary, empty, large, acl, ephemeral, wide (+10,000)
const TOTAL = 7 + WIDE;

describe('snapshot capture through the bulk reader', () => {
  it('stores every node exactly as ZkSession reads it, read with multiRead', async () => {
    const started = await t.api.snapshots.capture.mutate({ connectionId, path: root, label: 'bulk' });
    const result = await jobResult<SnapshotCaptureResult>(t, started.jobId, 60_000);
    expect(result.snapshot).toMatchObject({ state: 'complete', nodeCount: TOTAL, root });
    expect(result.unreadable).toEqual([]);
    const audit = await t.api.audit.list.query({ actionPrefix: 'snapshot.captured' });
    const entry = audit.find(
      (item) => (item.detail as { snapshotId?: string }).snapshotId === result.snapshot.id,
    );
    expect(entry?.detail).toMatchObject({ via: 'multi-read', nodeCount: TOTAL });

    expect(await expectSameAsLive(result.snapshot.id)).toBe(TOTAL);
    const store = t.host.services.store.snapshots;
    expect(store.node(result.snapshot.id, `${root}/large`)?.data.equals(LARGE)).toBe(true);
    expect(store.node(result.snapshot.id, `${root}/acl`)?.acl).toEqual(ACL);
    expect(store.node(result.snapshot.id, `${root}/ephemeral`)?.stat.ephemeralOwner).toBe(session.sessionId);
    expect(store.node(result.snapshot.id, `${root}/wide`)?.stat.numChildren).toBe(WIDE);
    // Whole stats, not placeholders: zxids as ZooKeeper's tools print them.
    expect(store.node(result.snapshot.id, `${root}/binary`)?.stat.czxid).toMatch(/^0x[0-9a-f]+$/);
  });

  it('reports progress and stops when cancelled, leaving a failed snapshot', async () => {
    const bulk = await ZkBulkReader.open({
      connectString: zk,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
      fullStat: true,
    });
    const readers = bulkWalkReaders(bulk, session, true);
    const controller = new AbortController();
    const progress: JobProgressEvent[] = [];
    try {
      const capture = captureSnapshot({
        store: t.host.services.store,
        actor: 'test',
        sessions: readers.sessions,
        concurrency: readers.concurrency,
        root,
        source: { connectionId: null, connectionName: 'cancelled', connectString: zk },
        reason: 'manual',
        signal: controller.signal,
        // The first progress event comes with the first node: cancel right there.
        onProgress: (event) => {
          progress.push(event);
          controller.abort();
        },
      });
      await expect(capture).rejects.toBeInstanceOf(CaptureCancelledError);
    } finally {
      await readers.close();
    }
    expect(progress[0]).toMatchObject({ type: 'progress', phase: 'snapshot' });
    const failed = t.host.services.store.snapshots
      .list({ limit: 10 })
      .find((item) => item.connectionName === 'cancelled');
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed?.error).toMatch(/^Cancelled after/);
    expect(failed?.nodeCount).toBeLessThan(TOTAL);
  });

  it('stores the same with the bulk reader in single-reads mode (servers without multiRead)', async () => {
    const bulk = await ZkBulkReader.open({
      connectString: zk,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
      sessions: 2,
      multiRead: 'never',
      fullStat: true,
    });
    const readers = bulkWalkReaders(bulk, session, true);
    expect(readers.via).toBe('single-reads');
    try {
      const result = await captureSnapshot({
        store: t.host.services.store,
        actor: 'test',
        sessions: readers.sessions,
        concurrency: readers.concurrency,
        via: readers.via,
        root,
        source: { connectionId: null, connectionName: 'single-reads', connectString: zk },
        reason: 'manual',
      });
      expect(result.snapshot.nodeCount).toBe(TOTAL);
      expect(await expectSameAsLive(result.snapshot.id)).toBe(TOTAL);
    } finally {
      await readers.close();
    }
  });
});
