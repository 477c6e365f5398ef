/**
 * The copy engine against two real ZooKeeper servers: what gets copied and how (issue 5, sections 1,
 * 2 and 4): byte-exact binary data, empty data, a child named zookeeper below the root, ephemerals
 * skipped and listed, sequential names warned about, a parent with 10,000 children, nodes near 1 MB
 * one per batch, unchanged nodes never rewritten, the three modes, the plan, filters, --no-acl.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../../electron/zk/zk-session';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { readWithKazoo, uniqueTestRoot } from '../../setup/zk-test-helpers';
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
const source = uniqueTestRoot('copy-src');
const targetBase = uniqueTestRoot('copy-dst');
const WIDE = 10_000;
// Near 1 MB and still writable: the largest request ZooKeeper takes, minus path and header bytes.
const BIG = MAX_REQUEST_BYTES - 400;
const binary = Buffer.concat([Buffer.from([0, 255, 0, 1, 254, 0x80, 0xc3, 0x28]), randomBytes(4096)]);

let src: ZkSession;
let dst: ZkSession;
let kit: Kit;
/** Non-ephemeral nodes of the source tree. */
let sourceNodes = 0;

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/bin`, data: binary },
    { path: `${source}/empty` },
    { path: `${source}/app`, data: Buffer.from('{"app":1}') },
    { path: `${source}/app/zookeeper`, data: Buffer.from('not the reserved subtree') },
    { path: `${source}/app/zookeeper/child`, data: Buffer.from('below it') },
    { path: `${source}/app/config`, data: Buffer.from('{"x":1}') },
    { path: `${source}/locks` },
    { path: `${source}/locks/lock-0000000007`, data: Buffer.from('held') },
    { path: `${source}/eph`, data: Buffer.from('session-bound'), mode: 'ephemeral' },
    { path: `${source}/big` },
  ]);
  for (let i = 0; i < 3; i += 1) await src.create(`${source}/big/b${i}`, randomBytes(BIG));
  await createWide(src, `${source}/wide`, WIDE, (i) => Buffer.from(`value-${i}`));
  // root, bin, empty, app, zookeeper, child, config, locks, lock, big + 3, wide + children
  sourceNodes = 10 + 3 + 1 + WIDE;
  kit = makeKit();
}, 120_000);

afterAll(async () => {
  await kit?.close();
  if (src) await removeSubtree(src, source);
  if (dst) await removeSubtree(dst, targetBase);
  await Promise.allSettled([src?.close(), dst?.close()]);
}, 120_000);

describe('a create-only copy into an empty target', () => {
  const target = `${targetBase}/first`;
  let runId = '';

  it('copies every persistent node byte for byte, with its ACL, and verifies zero differences', async () => {
    const view = kit.runs.create('zk-copy', copyParams(SRC, source, DST, target));
    runId = view.id;
    const done = await kit.runs.start(view.id);
    expect(done.state).toBe('completed');
    const copy = done.result!.copy!.counts;
    expect(copy.created).toBe(sourceNodes);
    expect(copy.errors + copy.conflicts + copy.unreadable).toBe(0);
    expect(done.result!.verify!.counts).toMatchObject({
      matching: sourceNodes,
      mismatched: 0,
      aclMismatched: 0,
      extraSource: 0,
      extraTarget: 0,
    });

    // Read independently of the engine; the 10,000 children are counted and sampled below (verify
    // compared each of them).
    const wideChildren = (rel: string) => rel.startsWith('/wide/');
    const expected = await readSubtree(src, source, wideChildren);
    const actual = await readSubtree(dst, target, wideChildren);
    expected.delete('/eph');
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [rel, node] of expected) {
      expect(actual.get(rel)!.data.equals(node.data), rel).toBe(true);
      expect(actual.get(rel)!.acl).toEqual(node.acl);
    }
  }, 120_000);

  it('keeps binary data byte-exact, as an independent client (kazoo) reads it', async () => {
    const read = await readWithKazoo(DST, `${target}/bin`);
    expect(read?.equals(binary)).toBe(true);
  });

  it('keeps empty data empty', async () => {
    const { data, stat } = await dst.getData(`${target}/empty`);
    expect(data.length).toBe(0);
    expect(stat.dataLength).toBe(0);
  });

  it('copies a child named zookeeper below the root, with its subtree', async () => {
    expect((await dst.getData(`${target}/app/zookeeper`)).data.toString()).toBe('not the reserved subtree');
    expect((await dst.getData(`${target}/app/zookeeper/child`)).data.toString()).toBe('below it');
  });

  it('skips ephemeral nodes and lists them', async () => {
    expect(await dst.exists(`${target}/eph`)).toBeNull();
    const view = kit.runs.get(runId);
    expect(view.result!.copy!.counts.skippedEphemeral).toBe(1);
    expect(view.result!.copy!.samples.skippedEphemeral).toEqual(['/eph']);
  });

  it('warns about sequential-looking names', () => {
    const warnings = kit.runs.get(runId).result!.copy!.warnings;
    expect(warnings.sequentialNames).toBe(1);
    expect(warnings.sequentialSamples).toEqual(['/locks/lock-0000000007']);
  });

  it('copies a parent with 10,000 children', async () => {
    const { children } = await dst.getChildren(`${target}/wide`);
    expect(children.length).toBe(WIDE);
    expect((await dst.getData(`${target}/wide/n09999`)).data.toString()).toBe('value-9999');
  });

  it('writes each node near 1 MB alone in its batch, and audits every batch', async () => {
    const batches = kit.store.events.list({ target: runId, actionPrefix: 'zk-copy.batch', limit: 1000 });
    const copy = kit.runs.get(runId).result!.copy!.counts;
    expect(batches.length).toBe(copy.batches);
    const bigOnes = batches.filter((event) => String(event.detail.firstPath).includes('/big/b'));
    expect(bigOnes.length).toBe(3);
    for (const event of bigOnes) {
      expect(event.detail.ops).toBe(1);
      expect(event.detail.firstPath).toBe(event.detail.lastPath);
    }
    // Small nodes share batches: far fewer requests than nodes.
    expect(batches.length).toBeLessThan(sourceNodes / 10);
    const actions = kit.store.events.list({ target: runId, limit: 1000 }).map((event) => event.action);
    expect(actions).toContain('zk-copy.started');
    expect(actions).toContain('zk-copy.finished');
  });

  it('rewrites nothing on a second run: every node unchanged, every version still 0', async () => {
    const view = kit.runs.create('zk-copy', copyParams(SRC, source, DST, target, { verify: false }));
    const done = await kit.runs.start(view.id);
    expect(done.state).toBe('completed');
    expect(done.result!.copy!.counts).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: sourceNodes,
      batches: 0,
    });
    const versions = [...(await readSubtree(dst, target)).values()].map((node) => node.version);
    expect(versions.length).toBe(sourceNodes);
    expect(new Set(versions)).toEqual(new Set([0]));
  }, 60_000);
});

describe('modes', () => {
  const small = `${source}-small`;
  const target = `${targetBase}/modes`;

  beforeAll(async () => {
    await createAll(src, [
      { path: small, data: Buffer.from('r') },
      { path: `${small}/a`, data: Buffer.from('a1') },
      { path: `${small}/b`, data: Buffer.from('b1') },
    ]);
    const first = await kit.runs.start(kit.runs.create('zk-copy', copyParams(SRC, small, DST, target)).id);
    expect(first.state).toBe('completed');
  });

  afterAll(async () => {
    await removeSubtree(src, small);
  });

  it('create-only reports a node with other data as a conflict and leaves it alone', async () => {
    await dst.setData(`${target}/a`, Buffer.from('changed on the target'), -1);
    const done = await kit.runs.start(kit.runs.create('zk-copy', copyParams(SRC, small, DST, target)).id);
    expect(done.result!.copy!.counts.conflicts).toBe(1);
    expect(done.result!.copy!.samples.conflicts?.[0]).toMatch(/^\/a: .*different data/);
    expect((await dst.getData(`${target}/a`)).data.toString()).toBe('changed on the target');
    expect(done.result!.verify!.counts.mismatched).toBe(1);
    expect(done.result!.verify!.samples.mismatched?.[0]).toMatch(/^\/a /);
  });

  it('overwrite rewrites what differs, only that', async () => {
    const before = await dst.exists(`${target}/b`);
    const done = await kit.runs.start(
      kit.runs.create('zk-copy', copyParams(SRC, small, DST, target, { mode: 'overwrite' })).id,
    );
    expect(done.result!.copy!.counts).toMatchObject({ updated: 1, created: 0, unchanged: 2 });
    expect((await dst.getData(`${target}/a`)).data.toString()).toBe('a1');
    expect((await dst.exists(`${target}/b`))!.version).toBe(before!.version);
    expect(done.result!.verify!.counts.mismatched).toBe(0);
  });

  it('mirror refuses to start unconfirmed, then deletes what the source lacks (keeping target ephemerals)', async () => {
    await createAll(dst, [
      { path: `${target}/extra`, data: Buffer.from('x') },
      { path: `${target}/extra/deep` },
      { path: `${target}/extra/deep/er` },
      { path: `${target}/alsoextra` },
    ]);
    await dst.create(`${target}/live`, Buffer.from('a live session owns this'), { mode: 'ephemeral' });
    const params = copyParams(SRC, small, DST, target, { mode: 'mirror' });

    const plan = kit.runs.create('zk-copy', params);
    const planned = await kit.runs.plan(plan.id);
    expect(planned.deletes).toBe(4);
    expect(planned.keptTargetEphemeral).toBe(1);
    expect(() => kit.runs.start(plan.id)).toThrow(/Mirror mode deletes every node/);
    expect(await dst.exists(`${target}/extra`)).not.toBeNull();

    const done = await kit.runs.start(plan.id, { mirrorConfirmed: true });
    expect(done.state).toBe('completed');
    expect(done.result!.copy!.counts).toMatchObject({ deleted: 4, keptTargetEphemeral: 1 });
    expect((await dst.getChildren(target)).children).toEqual(['a', 'b', 'live']);
    expect(done.result!.verify!.counts).toMatchObject({ extraTarget: 0, mismatched: 0, extraSource: 0 });
  });
});

describe('plan, filters and --no-acl', () => {
  it('plans without writing, and the plan matches what the copy then does', async () => {
    const target = `${targetBase}/planned`;
    const view = kit.runs.create(
      'zk-copy',
      copyParams(SRC, source, DST, target, { exclude: ['/wide', '/big'] }),
    );
    const plan = await kit.runs.plan(view.id);
    expect(plan).toMatchObject({ creates: 9, updates: 0, unchanged: 0, deletes: 0, skippedEphemeral: 1 });
    expect(plan.samples.creates).toContain('/app/zookeeper/child');
    expect(await dst.exists(target)).toBeNull();
    const done = await kit.runs.start(view.id);
    expect(done.result!.copy!.counts.created).toBe(plan.creates);
    expect(kit.runs.get(view.id).result!.plan!.creates).toBe(9);
  });

  it('copies only included subtrees (creating their parents) and leaves excluded ones out', async () => {
    const target = `${targetBase}/filtered`;
    const done = await kit.runs.start(
      kit.runs.create(
        'zk-copy',
        copyParams(SRC, source, DST, target, { include: ['/app/**'], exclude: ['/app/config'] }),
      ).id,
    );
    expect(done.state).toBe('completed');
    expect((await dst.getChildren(target)).children).toEqual(['app']);
    expect((await dst.getChildren(`${target}/app`)).children).toEqual(['zookeeper']);
    expect(done.result!.verify!.counts).toMatchObject({ matching: 3, extraSource: 0, extraTarget: 0 });
  });

  it("creates nodes with the target's default ACL with --no-acl", async () => {
    const target = `${targetBase}/noacl`;
    const secured = `${source}-acl`;
    await src.create(secured, Buffer.from('s'), {
      acl: [{ scheme: 'world', id: 'anyone', perms: 'r' }],
    });
    try {
      const done = await kit.runs.start(
        kit.runs.create('zk-copy', copyParams(SRC, secured, DST, target, { copyAcl: false })).id,
      );
      expect(done.state).toBe('completed');
      expect((await dst.getACL(target)).acl).toEqual([{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }]);
    } finally {
      await src.remove(secured, -1);
    }
  });
});

describe('reconcile', () => {
  it('fixes what verify found changed on the source, from the source, and verifies again to zero', async () => {
    const moving = `${source}-moving`;
    const target = `${targetBase}/reconciled`;
    await createAll(src, [
      { path: moving, data: Buffer.from('r') },
      { path: `${moving}/keep`, data: Buffer.from('v1') },
      { path: `${moving}/gone`, data: Buffer.from('g') },
    ]);
    try {
      const view = kit.runs.create(
        'zk-copy',
        copyParams(SRC, moving, DST, target, { mode: 'mirror', reconcilePasses: 2 }),
      );
      // Hold the run between its copy and its verify, and change the source meanwhile.
      const held = new Promise<void>((resolve) => {
        const listener = (event: { runId: string; phase: string | null; percent: number | null }) => {
          if (event.runId !== view.id || event.phase !== 'copy' || event.percent !== 100) return;
          kit.runs.events.off('progress', listener);
          kit.runs.pause(view.id);
          resolve();
        };
        kit.runs.events.on('progress', listener);
      });
      const finished = kit.runs.start(view.id, { mirrorConfirmed: true });
      await held;
      await src.setData(`${moving}/keep`, Buffer.from('v2'), -1);
      await src.create(`${moving}/new`, Buffer.from('n'));
      await src.remove(`${moving}/gone`, -1);
      kit.runs.resume(view.id);
      const done = await finished;
      expect(done.state).toBe('completed');
      const reconcile = done.result!.reconcile!;
      expect(reconcile.passes).toBe(1);
      expect(reconcile.fixed).toBe(3);
      expect(done.result!.verify!.counts).toMatchObject({
        mismatched: 0,
        extraSource: 0,
        extraTarget: 0,
        matching: 3,
      });
      const checkpoints = kit.runs.report(view.id).checkpoints.map((c) => c.unit);
      expect(checkpoints).toEqual(['copy', 'verify', 'reconcile-1', 'reconcile-1-verify']);
      // The first verify saw the three changes: that is what the reconcile pass fixed.
      const firstVerify = kit.store.checkpoints.get(view.id, 'verify')!.state as {
        report: { counts: Record<string, number> };
      };
      expect(firstVerify.report.counts).toMatchObject({ mismatched: 1, extraSource: 1, extraTarget: 1 });
      expect((await dst.getData(`${target}/keep`)).data.toString()).toBe('v2');
      expect(await dst.exists(`${target}/gone`)).toBeNull();
    } finally {
      await removeSubtree(src, moving);
    }
  });
});
