/**
 * ACLs in the copy (issue 5, sections 1, 2 and 4): digest ACLs copied as they are; a node whose ACL
 * would lock the copier out gets it after its children exist, as soon as its subtree is written (not
 * at the very end), and a copy stopped while such a node still has its temporary ACL resumes
 * without calling its own node a conflict; NO_AUTH stops the run with the path and the credential
 * needed, on either side.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ProgressEvent } from '../../../electron/engines/zk-copy/types';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connect,
  copyParams,
  createAll,
  createWide,
  type Kit,
  makeKit,
  readSubtree,
  removeSubtree,
} from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const ADMIN = 'admin:secret';
const OPEN = { scheme: 'world', id: 'anyone', perms: 'cdrwa' };
const source = uniqueTestRoot('acl-src');
const target = uniqueTestRoot('acl-dst');
/** A locked node with a large subtree, then a large sibling after it in the walk's order. */
const staged = uniqueTestRoot('acl-staged');
const stagedTargets = uniqueTestRoot('acl-staged-dst');
const LOCKED = [
  { scheme: 'digest', id: digestAcl('admin', 'secret').id, perms: 'ra' },
  { scheme: 'world', id: 'anyone', perms: 'r' },
];

let src: ZkSession;
let dst: ZkSession;
let kit: Kit;

beforeAll(async () => {
  src = await connect(SRC, [ADMIN]);
  dst = await connect(DST, [ADMIN]);
  const admin = digestAcl('admin', 'secret');
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/private`, data: Buffer.from('only admin'), acl: [admin] },
    { path: `${source}/private/inner`, data: Buffer.from('inner'), acl: [admin] },
    {
      path: `${source}/shared`,
      data: Buffer.from('mixed'),
      acl: [admin, { scheme: 'world', id: 'anyone', perms: 'r' }],
    },
    { path: `${source}/frozen`, data: Buffer.from('frozen'), acl: [OPEN] },
    { path: `${source}/frozen/a`, data: Buffer.from('a'), acl: [OPEN] },
    { path: `${source}/frozen/b`, data: Buffer.from('b'), acl: [OPEN] },
  ]);
  // Read-only for everyone, admin included: creating its children on the target needs a temporary ACL.
  await src.setACL(
    `${source}/frozen`,
    [digestAcl('admin', 'secret', 'ra'), { scheme: 'world', id: 'anyone', perms: 'r' }],
    -1,
  );
  await src.create(staged, Buffer.from('staged'));
  await createWide(src, `${staged}/a-frozen`, 1500, (i) => Buffer.alloc(40, i % 256));
  await src.setACL(`${staged}/a-frozen`, LOCKED, -1);
  await createWide(src, `${staged}/b-later`, 3000, (i) => Buffer.alloc(40, i % 256));
  kit = makeKit({ credentials: () => [ADMIN] });
}, 60_000);

const kits: Kit[] = [];

afterAll(async () => {
  await kit?.close();
  for (const other of kits) await other.close();
  // The frozen node forbids deleting its children until its ACL is opened again.
  for (const [session, root] of [
    [src, source],
    [dst, target],
  ] as const) {
    for (const path of [`${root}/frozen`, `${root}/sub/frozen`]) {
      if (await session.exists(path)) await session.setACL(path, [OPEN], -1);
    }
    await removeSubtree(session, root);
  }
  for (const path of [
    `${staged}/a-frozen`,
    `${stagedTargets}/early/a-frozen`,
    `${stagedTargets}/resumed/a-frozen`,
  ]) {
    const session = path.startsWith(staged) ? src : dst;
    if (await session?.exists(path)) await session.setACL(path, [OPEN], -1);
  }
  await removeSubtree(src, staged);
  await removeSubtree(dst, stagedTargets);
  await Promise.allSettled([src?.close(), dst?.close()]);
});

describe('ACLs', () => {
  it('copies digest ACLs, and applies a locking ACL only after the children exist', async () => {
    const done = await kit.runs.start(kit.runs.create('zk-copy', copyParams(SRC, source, DST, target)).id);
    expect(done.state).toBe('completed');
    expect(done.result!.verify!.counts).toMatchObject({ aclMismatched: 0, mismatched: 0, extraSource: 0 });
    const expected = await readSubtree(src, source);
    const actual = await readSubtree(dst, target);
    expect(actual.size).toBe(expected.size);
    for (const [rel, node] of expected) expect(actual.get(rel)?.acl, rel).toEqual(node.acl);
    expect((await dst.getChildren(`${target}/frozen`)).children).toEqual(['a', 'b']);
    // Created with a temporary ACL (one create), then set once: aversion 1.
    expect((await dst.getACL(`${target}/frozen`)).stat.aversion).toBe(1);
    expect(done.result!.copy!.counts.aclUpdated).toBe(1);
  });

  it('stops with the path and the credential when the source cannot be read', async () => {
    const stranger = makeKit({ credentials: () => [] });
    try {
      const done = await stranger.runs.start(
        stranger.runs.create('zk-copy', copyParams(SRC, source, DST, `${target}-stranger`)).id,
      );
      expect(done.state).toBe('failed');
      expect(done.result!.error).toMatchObject({ code: 'NO_AUTH', path: `${source}/private` });
      expect(done.result!.error!.message).toContain(`Not authorized to read ${source}/private on the source`);
      expect(done.result!.error!.needs).toMatch(/MDESK_ZK_AUTH=digest:user:password/);
    } finally {
      await stranger.close();
    }
  });

  it('stops before writing an ACL that ZooKeeper masked for a source reader without ADMIN', async () => {
    // shared is readable by anyone, but only admin may see its digest: a stranger reads 'admin:x'.
    const stranger = makeKit({ credentials: () => [] });
    const masked = `${target}-masked`;
    try {
      // The plan says so before anything is written.
      const planned = await stranger.runs.plan(
        stranger.runs.create('zk-copy', copyParams(SRC, `${source}/shared`, DST, masked)).id,
      );
      expect(planned.warnings).toMatchObject({ hiddenAcls: 1 });
      expect(planned.warnings.hiddenAclSamples).toHaveLength(1);
      const done = await stranger.runs.start(
        stranger.runs.create('zk-copy', copyParams(SRC, `${source}/shared`, DST, masked)).id,
      );
      expect(done.state).toBe('failed');
      expect(done.result!.error).toMatchObject({ code: 'ACL_HIDDEN', path: `${source}/shared` });
      expect(done.result!.error!.message).toContain('digest:admin:x:cdrwa');
      expect(done.result!.error!.message).toContain('nothing more was written');
      expect(done.result!.error!.needs).toContain("authenticate the source as 'admin'");
      expect(await dst.exists(masked)).toBeNull();
      // Without ACLs the same copy is fine: the target's default ACL, no lock-out.
      const plain = await stranger.runs.start(
        stranger.runs.create('zk-copy', {
          ...copyParams(SRC, `${source}/shared`, DST, masked),
          copyAcl: false,
        }).id,
      );
      expect(plain.state).toBe('completed');
      expect((await dst.getACL(masked)).acl).toEqual([OPEN]);
      expect((await dst.getData(masked)).data.toString()).toBe('mixed');
    } finally {
      await stranger.close();
      await dst.remove(masked, -1).catch(() => undefined);
    }
  });

  it('stops with the path and the credential when the target refuses a create', async () => {
    const locked = `${target}-locked`;
    // admin may do anything but create; only ops may create there.
    await dst.create(locked, Buffer.alloc(0), {
      acl: [
        digestAcl('admin', 'secret', 'rwda'),
        digestAcl('ops', 'other', 'c'),
        { scheme: 'world', id: 'anyone', perms: 'r' },
      ],
    });
    try {
      const done = await kit.runs.start(
        kit.runs.create('zk-copy', copyParams(SRC, `${source}/shared`, DST, `${locked}/x`)).id,
      );
      expect(done.state).toBe('failed');
      expect(done.result!.error).toMatchObject({ code: 'NO_AUTH', path: `${locked}/x` });
      expect(done.result!.error!.message).toContain(`Not authorized to create ${locked}/x on the target`);
      // The ACL of the parent names who may create there.
      expect(done.result!.error!.message).toContain(`The ACL of ${locked} is digest:admin:`);
      expect(done.result!.error!.needs).toContain("a digest credential for 'ops'");
      const events = kit.store.events.list({ target: done.id, actionPrefix: 'zk-copy.finished' });
      expect(events[0]?.detail.status).toBe('failed');
    } finally {
      await dst.remove(locked, -1);
    }
  });
  it("sets a locking ACL as soon as its node's subtree is written, while the rest is still copying", async () => {
    const on = makeKit({ credentials: () => [ADMIN], tuning: { maxBatchOps: 100 } });
    kits.push(on);
    const done = await on.runs.start(
      on.runs.create('zk-copy', copyParams(SRC, staged, DST, `${stagedTargets}/early`)).id,
    );
    expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
    expect(done.result!.verify!.counts).toMatchObject({ aclMismatched: 0, mismatched: 0, extraSource: 0 });
    expect((await dst.getACL(`${stagedTargets}/early/a-frozen`)).acl).toEqual(LOCKED);
    // The audit trail in order: the setACL went out before the later sibling's creates were done.
    const batches = on.store.events
      .list({ target: done.id, actionPrefix: 'zk-copy.batch', limit: 1000 })
      .map((event) => event.detail as { seq: number; aclUpdated: number; created: number; lastPath: string })
      .sort((a, b) => a.seq - b.seq);
    const acl = batches.findIndex((batch) => batch.aclUpdated === 1);
    expect(acl).toBeGreaterThan(0);
    const laterCreates = batches.slice(acl + 1).filter((batch) => batch.lastPath.includes('/b-later/'));
    expect(laterCreates.length).toBeGreaterThan(0);
  }, 60_000);

  it('resumes a copy stopped while a locked node still had its temporary ACL: its own node, no conflict', async () => {
    const first = makeKit({ credentials: () => [ADMIN], tuning: { maxBatchOps: 100 } });
    kits.push(first);
    const view = first.runs.create('zk-copy', copyParams(SRC, staged, DST, `${stagedTargets}/resumed`));
    const inside = new Promise<void>((resolve) => {
      first.runs.events.on('progress', (event: ProgressEvent) => {
        if (event.runId === view.id && event.phase === 'copy' && event.done >= 300) resolve();
      });
    });
    const running = first.runs.start(view.id);
    void running.catch(() => undefined);
    await inside;
    expect((await first.runs.pauseAndSettle(view.id)).state).toBe('paused');
    // Stopped inside the locked node's subtree: it still carries the writer's temporary ACL.
    const midway = await dst.getACL(`${stagedTargets}/resumed/a-frozen`);
    expect(midway.acl).toEqual([digestAcl('admin', 'secret')]);

    // Another process (the app after a restart) resumes it from the checkpoint.
    const second = makeKit({ credentials: () => [ADMIN], store: first.store, tuning: { maxBatchOps: 100 } });
    kits.push(second);
    const done = await second.runs.start(view.id);
    expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
    expect(done.result!.copy!.counts.conflicts).toBe(0);
    expect(done.result!.verify!.counts).toMatchObject({
      aclMismatched: 0,
      mismatched: 0,
      extraSource: 0,
      matching: 1 + 2 + 1500 + 3000,
    });
    expect((await dst.getACL(`${stagedTargets}/resumed/a-frozen`)).acl).toEqual(LOCKED);
  }, 60_000);
});
