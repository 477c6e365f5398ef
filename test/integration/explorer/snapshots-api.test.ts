/**
 * Snapshots through the real host on a real ZooKeeper: capture a subtree (binary and empty data,
 * ACLs), then browse it with the ensemble cut off (a TCP proxy in front of ZooKeeper is closed and
 * the session dropped) exactly like a live tree, compare it with the live tree after each kind of
 * change, delete it with the typed count, and the snapshot a recursive delete and a recursive ACL
 * set take before they write.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TreeJobEvent } from '../../../shared/api/node-edit';
import type { SnapshotCaptureResult, SnapshotComparison } from '../../../shared/api/snapshots';
import type { SearchEvent } from '../../../shared/api/subtree-search';
import { digestAclId } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { jobResult, rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import { startTcpProxy, type TcpProxy } from '../../setup/tcp-proxy';
import { connectTestSession, deleteTree, ensurePath } from '../../setup/zk-tree-builder';
import { uniqueTestRoot, writeWithKazoo } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('snapshots');
const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x00, 0xc3, 0x28]);
const secretAcl = [{ scheme: 'digest', id: digestAclId('ops', 'pw'), perms: 'cdrwa' }];
let t: TestHost;
let session: ZkSession;
let proxy: TcpProxy;
let viaProxy: string;
let snapshot: SnapshotCaptureResult['snapshot'];

beforeAll(async () => {
  t = await startTestHost('snapshots');
  session = await connectTestSession(zk);
  await ensurePath(session, root);
  // Every kind of node: binary, empty, text, nested, a wide parent, a restrictive ACL.
  await session.create(`${root}/binary`, BINARY);
  await session.create(`${root}/empty`, Buffer.alloc(0));
  await session.create(`${root}/config`, Buffer.from('{"replicas":3}'));
  await session.create(`${root}/tree`, Buffer.from('t'));
  for (let i = 0; i < 30; i += 1)
    await session.create(`${root}/tree/n-${String(i).padStart(3, '0')}`, Buffer.from([i]));
  await session.create(`${root}/tree/n-000/deep`, Buffer.from('deep'));
  await session.create(`${root}/locked`, Buffer.from('locked'), {
    acl: [{ scheme: 'world', id: 'anyone', perms: 'r' }],
  });
  await writeWithKazoo(zk, `${root}/kazoo-null`, null);

  proxy = await startTcpProxy(zk);
  const profile = await t.api.connections.create.mutate({
    name: 'via-proxy',
    connectString: proxy.address,
    sessionTimeoutMs: 4000,
    connectTimeoutMs: 1500,
  });
  viaProxy = profile.id;
});

afterAll(async () => {
  proxy?.restore();
  await deleteTree(session, root).catch(() => undefined);
  await session?.close();
  await proxy?.close();
  await t?.stop();
});

describe('capture', () => {
  it('captures the subtree with progress and a digest, on a read-only connection', async () => {
    const started = await t.api.snapshots.capture.mutate({
      connectionId: viaProxy,
      path: root,
      label: 'before tests',
    });
    expect(started.kind).toBe('snapshot-capture');
    const result = await jobResult<SnapshotCaptureResult>(t, started.jobId);
    snapshot = result.snapshot;
    // root + binary, empty, config, tree (+30 +deep), locked, kazoo-null
    expect(snapshot).toMatchObject({
      state: 'complete',
      nodeCount: 38,
      root,
      reason: 'manual',
      label: 'before tests',
    });
    expect(snapshot.workspaceId).toBe(`snapshot:${snapshot.id}`);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const audit = await t.api.audit.list.query({ actionPrefix: 'snapshot.captured' });
    expect(audit[0]?.detail).toMatchObject({ snapshotId: snapshot.id, nodeCount: 38, digest: result.digest });
    const listed = await t.api.snapshots.list.query({ connectionId: viaProxy });
    expect(listed.map((item) => item.id)).toContain(snapshot.id);
  });

  it('refuses a path that does not exist, with the path in the message', async () => {
    const started = await t.api.snapshots.capture.mutate({ connectionId: viaProxy, path: `${root}/nope` });
    await expect(jobResult(t, started.jobId)).rejects.toThrow(/nope: it does not exist/);
  });
});

describe('browsing offline', () => {
  it('reads the snapshot with the ensemble unreachable and the session closed', async () => {
    proxy.cut();
    await t.api.sessions.close.mutate({ connectionId: viaProxy });
    // The live connection really is gone...
    const live = await rejectionOf(t.api.sessions.open.mutate({ connectionId: viaProxy }));
    expect(live.message).toMatch(/could not|unreachable|no server|timed out/i);

    // ...and the snapshot still reads like a live tree.
    const ws = snapshot.workspaceId;
    const state = await t.api.sessions.open.mutate({ connectionId: ws });
    expect(state.state).toBe('connected');
    const top = await t.api.nodes.children.query({ connectionId: ws, path: '/' });
    expect(top.children).toEqual([root.slice(1)]);
    const listing = await t.api.nodes.children.query({ connectionId: ws, path: root });
    expect(listing.children).toEqual(['binary', 'config', 'empty', 'kazoo-null', 'locked', 'tree']);
    expect(listing.count).toBe(6);
    expect(listing.stat.numChildren).toBe(6);
    const tree = await t.api.nodes.children.query({ connectionId: ws, path: `${root}/tree` });
    expect(tree.count).toBe(30);
    expect(tree.children[0]).toBe('n-000');
    expect(tree.children).toEqual([...tree.children].sort());

    const binary = await t.api.nodes.get.query({ connectionId: ws, path: `${root}/binary` });
    expect(Buffer.from(binary.dataBase64, 'base64').equals(BINARY)).toBe(true);
    expect(binary.stat.dataLength).toBe(BINARY.length);
    const empty = await t.api.nodes.get.query({ connectionId: ws, path: `${root}/empty` });
    expect(empty.dataBase64).toBe('');
    const nul = await t.api.nodes.get.query({ connectionId: ws, path: `${root}/kazoo-null` });
    expect(nul.dataBase64).toBe('');
    const locked = await t.api.nodes.get.query({ connectionId: ws, path: `${root}/locked` });
    expect(locked.acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'r' }]);

    const info = await t.api.nodes.childInfo.query({
      connectionId: ws,
      parent: root,
      names: ['tree', 'binary', 'gone'],
    });
    expect(info).toEqual([
      expect.objectContaining({ name: 'tree', exists: true, numChildren: 30 }),
      expect.objectContaining({ name: 'binary', exists: true, numChildren: 0, dataLength: BINARY.length }),
      expect.objectContaining({ name: 'gone', exists: false }),
    ]);
    const missing = await rejectionOf(t.api.nodes.get.query({ connectionId: ws, path: `${root}/gone` }));
    expect(missing.data?.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/not in this snapshot/);
  });

  it('searches the snapshot offline', async () => {
    const stream = t.subscribe<SearchEvent>('search.run', {
      connectionId: snapshot.workspaceId,
      root,
      path: { mode: 'glob', pattern: 'n-01*' },
    });
    const done = await stream.waitFor((event) => event.type === 'done', 15_000, 'the end of the search');
    const hits = stream.events.flatMap((event) =>
      event.type === 'matches' ? event.items.map((i) => i.path) : [],
    );
    expect(done.type).toBe('done');
    expect(hits.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${root}/tree/n-01${i}`));
    stream.close();
  });

  it('refuses every write as read-only', async () => {
    const ws = snapshot.workspaceId;
    const attempts = [
      t.api.edit.create.mutate({ connectionId: ws, path: `${root}/new`, dataBase64: '' }),
      t.api.edit.setData.mutate({ connectionId: ws, path: `${root}/config`, dataBase64: '', version: 0 }),
      t.api.edit.remove.mutate({ connectionId: ws, path: `${root}/empty`, version: 0 }),
      t.api.edit.removeTree.mutate({ connectionId: ws, path: `${root}/tree`, confirmCount: 32 }),
    ];
    for (const attempt of attempts) {
      const error = await rejectionOf(attempt);
      expect(error.data?.code).toBe('FORBIDDEN');
      expect(error.data?.zkCode).toBe('READ_ONLY');
      expect(error.message).toMatch(/snapshot/);
    }
    const meta = await rejectionOf(
      t.api.pegasus.metaHttp.query({ connectionId: ws, root, metaServers: '127.0.0.1:1' }),
    );
    expect(meta.message).toMatch(/offline snapshot/);
  });
});

describe('compare with the live tree', () => {
  it('finds nothing changed right after the capture', async () => {
    proxy.restore();
    const started = await t.api.snapshots.compare.mutate({ snapshotId: snapshot.id });
    const result = await jobResult<SnapshotComparison>(t, started.jobId);
    expect(result.counts).toMatchObject({
      compared: 38,
      unchanged: 38,
      created: 0,
      updated: 0,
      deleted: 0,
      aclChanged: 0,
    });
  });

  it('finds each kind of change, from the live side', async () => {
    await session.create(`${root}/tree/added`, Buffer.from('new'));
    await session.setData(`${root}/config`, Buffer.from('{"replicas":5}'), -1);
    await deleteTree(session, `${root}/tree/n-000`); // n-000 and its child deep
    // Still readable by anyone (so the walk reads it), now also writable by ops only.
    await session.setACL(`${root}/empty`, [{ scheme: 'world', id: 'anyone', perms: 'r' }, ...secretAcl], -1);
    const started = await t.api.snapshots.compare.mutate({ snapshotId: snapshot.id });
    const result = await jobResult<SnapshotComparison>(t, started.jobId);
    expect(result.counts).toMatchObject({ created: 1, updated: 1, deleted: 2, aclChanged: 1 });
    expect(result.samples.created.map((s) => s.path)).toEqual([`${root}/tree/added`]);
    expect(result.samples.updated[0]).toMatchObject({ path: `${root}/config` });
    expect(result.samples.updated[0]?.detail).toMatch(/14 -> 14 bytes, version 0 -> 1/);
    expect(result.samples.deleted).toEqual([{ path: `${root}/tree/n-000`, detail: 'with 1 node below it' }]);
    expect(result.samples.aclChanged[0]?.path).toBe(`${root}/empty`);
    expect(result.liveRootMissing).toBe(false);
  });
});

describe('recursive writes take a snapshot first', () => {
  it('deletes a subtree only after saving it, and audits the snapshot id', async () => {
    const writable = await t.addConnection('writable', zk, { readWrite: true });
    const path = `${root}/tree`;
    const count = await t.api.edit.countTree.query({ connectionId: writable, path });
    const started = await t.api.edit.removeTree.mutate({
      connectionId: writable,
      path,
      confirmCount: count.total,
    });
    const stream = t.subscribe<TreeJobEvent>('edit.job', { jobId: started.jobId });
    const final = await stream.waitFor(
      (e) => e.type === 'done' || e.type === 'failed',
      30_000,
      'the outcome',
    );
    expect(final.type).toBe('done');
    expect(stream.events.some((event) => event.type === 'snapshot')).toBe(true);
    const snapshotId = final.type === 'done' ? final.snapshotId : null;
    expect(snapshotId).toBeTruthy();
    const saved = await t.api.snapshots.get.query({ snapshotId: snapshotId as string });
    expect(saved).toMatchObject({
      reason: 'before-delete',
      root: path,
      nodeCount: count.total,
      state: 'complete',
    });
    // What was deleted can still be read, offline.
    const kept = await t.api.nodes.get.query({ connectionId: saved.workspaceId, path: `${path}/added` });
    expect(Buffer.from(kept.dataBase64, 'base64').toString()).toBe('new');
    expect(await session.exists(path)).toBeNull();
    const audit = await t.api.audit.list.query({ target: writable, actionPrefix: 'node.tree-deleted' });
    expect(audit[0]?.detail).toMatchObject({ snapshotId, outcome: 'completed' });
  });

  it('saves the previous ACLs before a recursive ACL set', async () => {
    const writable = (await t.api.connections.list.query()).find((c) => c.name === 'writable')?.id as string;
    const path = `${root}/acl`;
    await session.create(path, Buffer.from('a'));
    await session.create(`${path}/child`, Buffer.from('b'));
    const started = await t.api.edit.setAcl.mutate({
      connectionId: writable,
      path,
      acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }, ...secretAcl],
      aversion: 0,
      recursive: true,
    });
    expect(started.kind).toBe('job');
    const stream = t.subscribe<TreeJobEvent>('edit.job', {
      jobId: started.kind === 'job' ? started.jobId : '',
    });
    const final = await stream.waitFor(
      (e) => e.type === 'done' || e.type === 'failed',
      30_000,
      'the outcome',
    );
    expect(final.type).toBe('done');
    const snapshotId = final.type === 'done' ? (final.snapshotId as string) : '';
    const saved = await t.api.snapshots.get.query({ snapshotId });
    expect(saved).toMatchObject({ reason: 'before-acl', nodeCount: 2 });
    const before = await t.api.nodes.get.query({ connectionId: saved.workspaceId, path: `${path}/child` });
    expect(before.acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
  });
});

describe('delete', () => {
  it('needs the node count typed back, then the snapshot is gone', async () => {
    const wrong = await rejectionOf(
      t.api.snapshots.remove.mutate({ snapshotId: snapshot.id, confirmNodeCount: 1 }),
    );
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.message).toMatch(/Type the snapshot's node count \(38\)/);
    expect(await t.api.snapshots.get.query({ snapshotId: snapshot.id })).toBeTruthy();
    await t.api.snapshots.remove.mutate({ snapshotId: snapshot.id, confirmNodeCount: 38 });
    const gone = await rejectionOf(t.api.snapshots.get.query({ snapshotId: snapshot.id }));
    expect(gone.data?.code).toBe('NOT_FOUND');
    const read = await rejectionOf(t.api.nodes.get.query({ connectionId: snapshot.workspaceId, path: root }));
    expect(read.message).toMatch(/no snapshot/);
    const audit = await t.api.audit.list.query({ actionPrefix: 'snapshot.deleted' });
    expect(audit[0]?.detail).toMatchObject({ snapshotId: snapshot.id, nodeCount: 38 });
  });
});
