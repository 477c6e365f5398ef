/**
 * Safe editing over the real host and a real ZooKeeper: read-only refusal, the audited switch to
 * read-write, version-checked writes with conflicts that show theirs, digests in the audit log,
 * recursive delete with a confirmed count, ACLs on one node and on a subtree.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TreeJobEvent } from '../../../shared/api/node-edit';
import { digestAclId } from '../../../electron/zk/acl';
import { ZkSession } from '../../../electron/zk/zk-session';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import {
  childNodes,
  connectTestSession,
  createNodes,
  deleteTree,
  ensurePath,
} from '../../setup/zk-tree-builder';
import { readWithKazoo, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('edit');
let t: TestHost;
let session: ZkSession;
let readOnlyId: string;
let writableId: string;

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const sha = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

beforeAll(async () => {
  t = await startTestHost('edit');
  session = await connectTestSession(zk);
  await ensurePath(session, root);
  readOnlyId = await t.addConnection('guarded', zk);
  writableId = await t.addConnection('writable', zk, { readWrite: true });
});

afterAll(async () => {
  await deleteTree(session, root).catch(() => undefined);
  await session?.close();
  await t?.stop();
});

async function auditOf(connectionId: string, prefix: string) {
  return t.api.audit.list.query({ target: connectionId, actionPrefix: prefix });
}

describe('read-only connections', () => {
  it('refuse every write with FORBIDDEN and write nothing', async () => {
    const path = `${root}/refused`;
    const attempts: Promise<unknown>[] = [
      t.api.edit.create.mutate({ connectionId: readOnlyId, path, dataBase64: b64('x') }),
      t.api.edit.setData.mutate({ connectionId: readOnlyId, path: root, dataBase64: b64('x'), version: 0 }),
      t.api.edit.remove.mutate({ connectionId: readOnlyId, path: root, version: 0 }),
      t.api.edit.removeTree.mutate({ connectionId: readOnlyId, path: root, confirmCount: 1 }),
      t.api.edit.setAcl.mutate({
        connectionId: readOnlyId,
        path: root,
        acl: [{ scheme: 'world', id: 'anyone', perms: 'r' }],
        aversion: 0,
      }),
    ];
    for (const attempt of attempts) {
      const error = await rejectionOf(attempt);
      expect(error.data?.code).toBe('FORBIDDEN');
      expect(error.data?.zkCode).toBe('READ_ONLY');
      expect(error.message).toMatch(/read-only: nothing was written/);
    }
    expect(await session.exists(path)).toBeNull();
    expect((await session.getData(root)).stat.version).toBe(0);
    expect(await auditOf(readOnlyId, 'node.')).toEqual([]);
  });

  it('switch to read-write only with the name typed back, and the switch is audited', async () => {
    const wrong = await rejectionOf(
      t.api.connections.setMode.mutate({ id: readOnlyId, readOnly: false, confirmName: 'guard' }),
    );
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.message).toMatch(/type its name exactly/);
    expect((await t.api.connections.list.query()).find((c) => c.id === readOnlyId)?.readOnly).toBe(true);

    const switched = await t.api.connections.setMode.mutate({
      id: readOnlyId,
      readOnly: false,
      confirmName: 'guarded',
    });
    expect(switched.readOnly).toBe(false);
    const back = await t.api.connections.setMode.mutate({ id: readOnlyId, readOnly: true });
    expect(back.readOnly).toBe(true);
    const events = await auditOf(readOnlyId, 'connection.mode-changed');
    expect(events.map((event) => [event.detail.from, event.detail.to])).toEqual([
      ['read-write', 'read-only'],
      ['read-only', 'read-write'],
    ]);
  });
});

describe('create', () => {
  it('creates persistent and sequential nodes with the exact bytes, audited with a digest', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const created = await t.api.edit.create.mutate({
      connectionId: writableId,
      path: `${root}/plain`,
      dataBase64: bytes.toString('base64'),
    });
    expect(created.path).toBe(`${root}/plain`);
    expect((await readWithKazoo(zk, `${root}/plain`))?.equals(bytes)).toBe(true);

    const seq = await t.api.edit.create.mutate({
      connectionId: writableId,
      path: `${root}/job-`,
      dataBase64: '',
      mode: 'persistent-sequential',
    });
    expect(seq.path).toMatch(new RegExp(`^${root}/job-\\d{10}$`));

    const events = await auditOf(writableId, 'node.created');
    const plain = events.find((event) => event.detail.path === `${root}/plain`);
    expect(plain?.detail).toMatchObject({
      digestBefore: null,
      digestAfter: sha(bytes),
      version: 0,
      mode: 'persistent',
    });
    expect(JSON.stringify(events)).not.toContain(bytes.toString('base64'));
  });

  it('creates an ephemeral node owned by the host session', async () => {
    const created = await t.api.edit.create.mutate({
      connectionId: writableId,
      path: `${root}/lease`,
      dataBase64: b64('holder'),
      mode: 'ephemeral',
    });
    const hostSession = t.host.services.sessions.current(writableId);
    expect(created.stat.ephemeralOwner).toBe(hostSession?.sessionId);
    const event = (await auditOf(writableId, 'node.created')).find((e) => e.detail.path === `${root}/lease`);
    expect(event?.detail.ephemeralOwner).toBe(hostSession?.sessionId);
  });

  it('says which parent is missing', async () => {
    const error = await rejectionOf(
      t.api.edit.create.mutate({ connectionId: writableId, path: `${root}/nope/child`, dataBase64: '' }),
    );
    expect(error.data?.zkCode).toBe('NO_NODE');
    expect(error.message).toMatch(/parent .*\/nope does not exist/);
  });
});

describe('set data with a version check', () => {
  it('writes at the reviewed version and audits both digests', async () => {
    const path = `${root}/config`;
    await session.create(path, Buffer.from('{"v":1}'));
    const result = await t.api.edit.setData.mutate({
      connectionId: writableId,
      path,
      dataBase64: b64('{"v":2}'),
      version: 0,
    });
    expect(result).toMatchObject({ ok: true, stat: { version: 1 } });
    const event = (await auditOf(writableId, 'node.data-set')).find((e) => e.detail.path === path);
    expect(event?.detail).toMatchObject({
      version: 0,
      newVersion: 1,
      digestBefore: sha('{"v":1}'),
      digestAfter: sha('{"v":2}'),
      bytesBefore: 7,
      bytesAfter: 7,
    });
  });

  it('returns theirs on a conflict and never overwrites', async () => {
    const path = `${root}/contended`;
    await session.create(path, Buffer.from('base'));
    // Someone else writes after the operator opened version 0.
    await session.setData(path, Buffer.from('theirs'), 0);
    const result = await t.api.edit.setData.mutate({
      connectionId: writableId,
      path,
      dataBase64: b64('yours'),
      version: 0,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.conflict.expectedVersion).toBe(0);
    expect(Buffer.from(result.conflict.theirs?.dataBase64 ?? '', 'base64').toString()).toBe('theirs');
    expect(result.conflict.theirs?.stat.version).toBe(1);
    expect((await session.getData(path)).data.toString()).toBe('theirs');
    const conflict = (await auditOf(writableId, 'node.write-conflict')).find((e) => e.detail.path === path);
    expect(conflict?.detail).toMatchObject({
      digestTheirs: sha('theirs'),
      digestYours: sha('yours'),
      theirVersion: 1,
    });
  });

  it('reports a node deleted meanwhile as a conflict with nothing on their side', async () => {
    const result = await t.api.edit.setData.mutate({
      connectionId: writableId,
      path: `${root}/gone`,
      dataBase64: b64('x'),
      version: 0,
    });
    expect(result).toEqual({
      ok: false,
      conflict: { path: `${root}/gone`, expectedVersion: 0, theirs: null },
    });
  });

  it('refuses -1 (a blind overwrite) and bad base64 at the boundary', async () => {
    const blind = await rejectionOf(
      t.api.edit.setData.mutate({ connectionId: writableId, path: root, dataBase64: '', version: -1 }),
    );
    expect(blind.message).toMatch(/version/);
    const bad = await rejectionOf(
      t.api.edit.setData.mutate({
        connectionId: writableId,
        path: root,
        dataBase64: 'not base64!',
        version: 0,
      }),
    );
    expect(bad.message).toMatch(/dataBase64: data must be standard base64/);
  });
});

describe('delete', () => {
  it('deletes at the reviewed version, refuses a changed one, and a node with children', async () => {
    const path = `${root}/doomed`;
    await session.create(path, Buffer.from('bye'));
    await session.setData(path, Buffer.from('bye!'), 0);
    const stale = await t.api.edit.remove.mutate({ connectionId: writableId, path, version: 0 });
    expect(stale.ok).toBe(false);
    expect(await session.exists(path)).not.toBeNull();

    const done = await t.api.edit.remove.mutate({ connectionId: writableId, path, version: 1 });
    expect(done).toEqual({ ok: true });
    expect(await session.exists(path)).toBeNull();
    const event = (await auditOf(writableId, 'node.deleted')).find((e) => e.detail.path === path);
    expect(event?.detail).toMatchObject({ version: 1, digestBefore: sha('bye!'), digestAfter: null });

    await ensurePath(session, `${root}/parent/kid`);
    const notEmpty = await rejectionOf(
      t.api.edit.remove.mutate({ connectionId: writableId, path: `${root}/parent`, version: 0 }),
    );
    expect(notEmpty.data?.zkCode).toBe('NOT_EMPTY');
    expect(notEmpty.message).toMatch(/has 1 child /);
  });
});

async function followJob(jobId: string): Promise<TreeJobEvent[]> {
  const stream = t.subscribe<TreeJobEvent>('edit.job', { jobId });
  await stream.waitFor(
    (event) => event.type === 'done' || event.type === 'failed',
    60_000,
    'the job outcome',
  );
  stream.close();
  return stream.events;
}

describe('recursive delete', () => {
  const tree = `${root}/tree`;

  /** Removes the tree with `confirmCount` typed as its size, following the job to its outcome. */
  async function removeTreeConfirming(confirmCount: number): Promise<TreeJobEvent[]> {
    const started = await t.api.edit.removeTree.mutate({
      connectionId: writableId,
      path: tree,
      confirmCount,
    });
    return followJob(started.jobId);
  }

  beforeAll(async () => {
    // 3 levels, 1 + 20 + 20*30 = 621 nodes, with data (so batches are sized by bytes, not count).
    const nodes = [{ path: tree, data: Buffer.from('top') }];
    for (let a = 0; a < 20; a += 1) nodes.push({ path: `${tree}/a${a}`, data: Buffer.alloc(200, a) });
    for (let a = 0; a < 20; a += 1) {
      for (let b = 0; b < 30; b += 1) nodes.push({ path: `${tree}/a${a}/b${b}`, data: Buffer.alloc(900, b) });
    }
    await createNodes(session, nodes);
  });

  it('counts the subtree for the typed confirmation', async () => {
    const count = await t.api.edit.countTree.query({ connectionId: writableId, path: tree });
    expect(count).toEqual({ path: tree, total: 621, truncated: false, ephemerals: 0, depth: 2 });
    const bounded = await t.api.edit.countTree.query({ connectionId: writableId, path: tree, maxNodes: 100 });
    expect(bounded).toMatchObject({ total: 100, truncated: true });
  });

  it('refuses when the confirmed count is not the current one, deleting nothing', async () => {
    const events = await removeTreeConfirming(620);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'failed', done: 0, total: 621 });
    expect(last?.type === 'failed' && last.message).toMatch(/now has 621 nodes, but 620 were confirmed/);
    expect((await session.exists(tree))?.numChildren).toBe(20);
  });

  it('deletes bottom-up in byte-sized batches with progress, and audits the subtree digest', async () => {
    const events = await removeTreeConfirming(621);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'done', done: 621, total: 621 });
    // A remove op carries no data, so 621 of them fit one byte-sized multi: one batch, one progress step.
    expect(events.some((event) => event.type === 'progress')).toBe(true);
    expect(await session.exists(tree)).toBeNull();
    const audit = (await auditOf(writableId, 'node.tree-deleted')).find((e) => e.detail.path === tree);
    expect(audit?.detail).toMatchObject({
      nodes: 621,
      deleted: 621,
      outcome: 'completed',
      digestAfter: null,
      version: 0,
    });
    expect(String(audit?.detail.digestBefore)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('stops between batches when cancelled, saying how far it got, deepest first', async () => {
    const big = `${root}/big`;
    await createNodes(session, [{ path: big }, ...childNodes(big, 4000)]);
    const started = await t.api.edit.removeTree.mutate({
      connectionId: writableId,
      path: big,
      confirmCount: 4001,
    });
    const stream = t.subscribe<TreeJobEvent>('edit.job', { jobId: started.jobId });
    await stream.waitFor(
      (event) => event.type === 'counting' || event.type === 'progress',
      20_000,
      'the job running',
    );
    expect(await t.api.edit.cancelJob.mutate({ jobId: started.jobId })).toEqual({ cancelled: true });
    const outcome = await stream.waitFor(
      (event) => event.type === 'failed' || event.type === 'done',
      30_000,
      'the outcome',
    );
    stream.close();
    expect(outcome.type).toBe('failed');
    if (outcome.type !== 'failed') return;
    expect(outcome.message).toMatch(
      /^Cancelled (before anything was deleted|after deleting [\d,]+ of 4,001 nodes)/,
    );
    // What it says it deleted is what is gone; the parent goes last, so it is still there.
    const left = (await session.getChildren(big)).children.length;
    expect(4000 - left).toBe(outcome.done);
    expect(await t.api.edit.cancelJob.mutate({ jobId: started.jobId })).toEqual({ cancelled: false });
  });

  it('reports an unknown job as not found', async () => {
    const stream = t.subscribe<TreeJobEvent>('edit.job', { jobId: 'no-such-job' });
    await stream.ended;
    expect(stream.error()).toMatch(/No job no-such-job/);
  });
});

describe('ACLs', () => {
  it('sets an ACL on one node, checked against the reviewed ACL version', async () => {
    const path = `${root}/acl-one`;
    await session.create(path, Buffer.from('data'));
    const acl = [
      { scheme: 'world', id: 'anyone', perms: 'r' },
      { scheme: 'digest', id: digestAclId('ops', 'pw'), perms: 'cdrwa' },
    ];
    const result = await t.api.edit.setAcl.mutate({ connectionId: writableId, path, acl, aversion: 0 });
    expect(result).toMatchObject({ kind: 'node', stat: { aversion: 1 } });
    // ZooKeeper 3.6+ shows a digest id as 'ops:x' to a reader without admin rights: read it back as ops.
    const ops = await ZkSession.connect({
      connectString: zk,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
      digestAuth: ['ops:pw'],
    });
    try {
      expect((await ops.getACL(path)).acl).toEqual(acl);
    } finally {
      await ops.close();
    }
    expect((await session.getACL(path)).acl[1]?.id).toBe('ops:x');
    const stale = await rejectionOf(
      t.api.edit.setAcl.mutate({ connectionId: writableId, path, acl, aversion: 0 }),
    );
    expect(stale.data?.zkCode).toBe('BAD_VERSION');
    const event = (await auditOf(writableId, 'node.acl-set')).find((e) => e.detail.path === path);
    expect(event?.detail).toMatchObject({
      aversion: 0,
      newAversion: 1,
      aclAfter: acl,
      digestBefore: sha('data'),
      digestAfter: sha('data'),
    });
  });

  it('sets an ACL on a whole subtree as a job', async () => {
    const top = `${root}/acl-tree`;
    await createNodes(session, [
      { path: top },
      ...Array.from({ length: 5 }, (_, i) => ({ path: `${top}/n${i}` })),
      ...Array.from({ length: 5 }, (_, i) => ({ path: `${top}/n${i}/leaf` })),
    ]);
    const acl = [{ scheme: 'world', id: 'anyone', perms: 'cdrw' }];
    const started = await t.api.edit.setAcl.mutate({
      connectionId: writableId,
      path: top,
      acl,
      aversion: 0,
      recursive: true,
    });
    expect(started.kind).toBe('job');
    if (started.kind !== 'job') return;
    const events = await followJob(started.jobId);
    expect(events.at(-1)).toMatchObject({ type: 'done', done: 11, total: 11 });
    for (const path of [top, `${top}/n0`, `${top}/n4/leaf`])
      expect((await session.getACL(path)).acl).toEqual(acl);
    const event = (await auditOf(writableId, 'node.acl-set')).find((e) => e.detail.path === top);
    expect(event?.detail).toMatchObject({ recursive: true, nodes: 11, changed: 11, outcome: 'completed' });
  });
});
