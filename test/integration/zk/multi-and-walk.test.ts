/**
 * The ZooKeeper layer's additions against a real server: multi with per-op results, byte-sized
 * batches (including the request that would exceed jute.maxbuffer, refused before it is sent), the
 * failing op split out, setACL, and the streaming walk (unreadable nodes reported, /zookeeper only
 * reserved at the ensemble root).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestAcl, OPEN_ACL_UNSAFE } from '../../../electron/zk/acl';
import type { MultiOp } from '../../../electron/zk/multi';
import { commitOps, commitSplitting, MultiBatcher } from '../../../electron/zk/multi-batcher';
import { type WalkEvent, walkTree } from '../../../electron/zk/tree-walker';
import { MAX_REQUEST_BYTES, ZkSession } from '../../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const root = uniqueTestRoot('multi');
const open = [...OPEN_ACL_UNSAFE];
let session: ZkSession;

const create = (path: string, data = Buffer.alloc(0)): MultiOp => ({ type: 'create', path, data, acl: open });

beforeAll(async () => {
  session = await ZkSession.connect({
    connectString,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5000,
    digestAuth: ['ops:pw'],
  });
  await session.create(root, Buffer.alloc(0));
});

afterAll(async () => {
  for (const path of [`${root}/sealed`, `${root}/walk/private`]) {
    if (await session.exists(path)) await session.setACL(path, open, -1).catch(() => undefined);
  }
  await removeTree(session, root);
  await session.close();
});

describe('multi', () => {
  it('applies all ops, or none, and says which op failed and why', async () => {
    const ok = await session.multi([
      create(`${root}/a`, Buffer.from('1')),
      create(`${root}/a/b`),
      { type: 'check', path: `${root}/a`, version: 0 },
    ]);
    expect(ok).toMatchObject({ ok: true, failedIndex: -1 });
    expect(ok.results[0]).toEqual({ ok: true, createdPath: `${root}/a` });

    const failed = await session.multi([create(`${root}/c`), create(`${root}/a`), create(`${root}/d`)]);
    expect(failed.ok).toBe(false);
    expect(failed.failedIndex).toBe(1);
    expect(failed.results[1]).toEqual({ ok: false, code: 'NODE_EXISTS' });
    // Rolled back: the op before the culprit was not applied either.
    expect(await session.exists(`${root}/c`)).toBeNull();
  });

  it('keeps a version 0 check (the client library turns 0 into "any version")', async () => {
    await session.setData(`${root}/a`, Buffer.from('2'), 0);
    const result = await session.multi([
      { type: 'setData', path: `${root}/a`, data: Buffer.from('3'), version: 0 },
    ]);
    expect(result).toMatchObject({
      ok: false,
      failedIndex: 0,
      results: [{ ok: false, code: 'BAD_VERSION' }],
    });
    expect((await session.getData(`${root}/a`)).data.toString()).toBe('2');
  });

  it('refuses a multi over jute.maxbuffer before sending it, and the connection stays usable', async () => {
    const ops = Array.from({ length: 1100 }, (_, i) => create(`${root}/big${i}`, Buffer.alloc(1000)));
    const pendingRead = session.getData(`${root}/a`);
    await expect(session.multi(ops)).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
    expect((await pendingRead).data.toString()).toBe('2');
    // The same ops sized by bytes go through in a few batches.
    const batcher = new MultiBatcher<number>();
    const batches = ops.flatMap((op, i) => batcher.add(op, i));
    const last = batcher.flush();
    if (last) batches.push(last);
    expect(batches.length).toBe(3);
    for (const batch of batches)
      expect(
        (
          await commitOps(
            session,
            batch.entries.map((e) => e.op),
          )
        ).ok,
      ).toBe(true);
    expect((await session.getChildren(root)).children.filter((name) => name.startsWith('big'))).toHaveLength(
      1100,
    );
  });

  it('writes a node near 1 MB alone, as a plain request', async () => {
    const data = Buffer.alloc(MAX_REQUEST_BYTES - 200, 7);
    const batcher = new MultiBatcher<string>();
    expect(batcher.add(create(`${root}/small`), 'small')).toEqual([]);
    const sealed = batcher.add(create(`${root}/huge`, data), 'huge');
    expect(sealed.map((batch) => batch.entries.map((entry) => entry.tag))).toEqual([['small'], ['huge']]);
    for (const batch of sealed)
      expect(
        (
          await commitOps(
            session,
            batch.entries.map((e) => e.op),
          )
        ).ok,
      ).toBe(true);
    expect((await session.getData(`${root}/huge`)).data.equals(data)).toBe(true);
  });

  it('splits out the failing op, lets the caller decide, and applies the rest', async () => {
    const entries = ['x1', 'a', 'x2', 'x3'].map((name) => ({
      op: create(`${root}/${name}`, Buffer.from(name)),
      tag: name,
    }));
    const culprits: string[] = [];
    const result = await commitSplitting(session, entries, async (entry, code) => {
      culprits.push(`${entry.tag}:${code}`);
      return [];
    });
    expect(culprits).toEqual(['a:NODE_EXISTS']);
    expect(result.applied.map((entry) => entry.tag)).toEqual(['x1', 'x2', 'x3']);
    expect(result.requests).toBe(2);
    expect((await session.getData(`${root}/x3`)).data.toString()).toBe('x3');
  });

  it('sets ACLs, and names the missing permission when it may not', async () => {
    await session.create(`${root}/sealed`, Buffer.alloc(0));
    const stat = await session.setACL(
      `${root}/sealed`,
      [digestAcl('ops', 'pw', 'r'), { scheme: 'world', id: 'anyone', perms: 'r' }],
      -1,
    );
    expect(stat.aversion).toBe(1);
    await expect(session.setACL(`${root}/sealed`, open, -1)).rejects.toMatchObject({
      code: 'NO_AUTH',
      message: expect.stringContaining('admin (a)'),
    });
  });
});

describe('walkTree', () => {
  beforeAll(async () => {
    await session.create(`${root}/walk`, Buffer.from('w'));
    await session.create(`${root}/walk/zookeeper`, Buffer.from('ordinary'));
    await session.create(`${root}/walk/zookeeper/quota`, Buffer.from('also ordinary'));
    await session.create(`${root}/walk/private`, Buffer.from('p'), { acl: [digestAcl('someone', 'else')] });
    await session.create(`${root}/walk/leaf`, Buffer.from([0, 1, 2]));
  });

  async function collect(walkSession: ZkSession, start: string): Promise<WalkEvent[]> {
    const events: WalkEvent[] = [];
    for await (const event of walkTree({ sessions: [walkSession, walkSession], root: start, withAcl: true }))
      events.push(event);
    return events;
  }

  it('reports nodes it may not read instead of skipping them, and walks a child named zookeeper', async () => {
    const events = await collect(session, `${root}/walk`);
    const nodes = events.flatMap((event) => (event.kind === 'node' ? [event.path] : []));
    expect(nodes.sort()).toEqual(
      [`${root}/walk`, `${root}/walk/leaf`, `${root}/walk/zookeeper`, `${root}/walk/zookeeper/quota`].sort(),
    );
    const unreadable = events.filter((event) => event.kind === 'unreadable');
    expect(unreadable).toEqual([
      expect.objectContaining({ kind: 'unreadable', path: `${root}/walk/private`, code: 'NO_AUTH' }),
    ]);
    const leaf = events.find((event) => event.kind === 'node' && event.path === `${root}/walk/leaf`);
    expect(leaf && leaf.kind === 'node' && leaf.data).toEqual(Buffer.from([0, 1, 2]));
  });

  it('leaves out /zookeeper at the ensemble root only; under a chroot it is ordinary', async () => {
    // Everything but /zookeeper and our own tree is skipped: other test files' trees are not ours to read.
    const ours = (path: string) =>
      path === root || path.startsWith(`${root}/`) || root.startsWith(`${path}/`);
    const fromRoot = walkTree({
      sessions: [session],
      root: '/',
      skip: (path) => !(path === '/zookeeper' || path.startsWith('/zookeeper/') || ours(path)),
    });
    let sawReserved = false;
    let sawOurs = false;
    for await (const event of fromRoot) {
      if (event.kind !== 'node') continue;
      if (event.path === '/zookeeper' || event.path.startsWith('/zookeeper/')) sawReserved = true;
      if (event.path === `${root}/walk/zookeeper/quota`) sawOurs = true;
    }
    expect(sawReserved).toBe(false);
    expect(sawOurs).toBe(true);

    const chrooted = await ZkSession.connect({
      connectString: `${connectString}${root}/walk`,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
    });
    try {
      const paths = (await collect(chrooted, '/')).flatMap((event) =>
        event.kind === 'node' ? [event.path] : [],
      );
      expect(paths).toEqual(expect.arrayContaining(['/zookeeper', '/zookeeper/quota']));
    } finally {
      await chrooted.close();
    }
  });
});
