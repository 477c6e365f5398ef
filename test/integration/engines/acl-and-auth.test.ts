/**
 * ACLs in the copy (issue 5, sections 1, 2 and 4): digest ACLs copied as they are; a node whose ACL
 * would lock the copier out gets it after its children exist; NO_AUTH stops the run with the path
 * and the credential needed, on either side.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connect,
  copyParams,
  createAll,
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
  kit = makeKit({ credentials: () => [ADMIN] });
});

afterAll(async () => {
  await kit?.close();
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
});
