/**
 * A snapshot of the store as the copy engine's source (issue 5 item 5): a subtree of the primary
 * server is captured into a real SQLite store, then deleted from the server; a copy from the
 * snapshot puts it back on the secondary byte for byte (binary data, an empty node, digest ACLs),
 * ephemeral nodes skipped as such, and verify compares the target with the snapshot. The run says
 * which snapshot it read; a deleted snapshot, a path outside it and a snapshot as target are refused.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { captureSnapshot } from '../../../electron/engines/snapshots/capture-snapshot';
import { describeEndpoint } from '../../../electron/engines/zk-copy/endpoints';
import { RunRefusedError } from '../../../electron/engines/zk-copy/run-manager';
import {
  findStoredSnapshot,
  storedSnapshotEndpoint,
} from '../../../electron/engines/zk-copy/stored-snapshot-endpoint';
import { openStoredSnapshot } from '../../../electron/engines/zk-copy/stored-snapshot-reader';
import type { CopyParams, StoredSnapshotRef } from '../../../electron/engines/zk-copy/types';
import { digestAcl } from '../../../electron/zk/acl';
import type { ZkAcl } from '../../../electron/zk/types';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connect,
  copyBetween,
  createAll,
  type Kit,
  makeKit,
  readSubtree,
  removeSubtree,
} from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const ADMIN = 'admin:secret';
const OPEN: ZkAcl = { scheme: 'world', id: 'anyone', perms: 'cdrwa' };
const source = uniqueTestRoot('snap-src');
const target = uniqueTestRoot('snap-dst');
const LABEL = `before-upgrade ${source.slice(-6)}`;
/** Not valid UTF-8: survives only if nothing turns it into a string. */
const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28, 0x00]);

let src: ZkSession;
let dst: ZkSession;
let kit: Kit;
let snapshotId: string;
let capturedAt: number;

/** A manual capture of `root` over `session` into the kit's store, named as the connection `name`. */
function captureManually(
  session: ZkSession,
  root: string,
  name: string,
  connectString: string,
  label?: string,
): ReturnType<typeof captureSnapshot> {
  return captureSnapshot({
    store: { snapshots: kit.store.snapshots, events: kit.store.events },
    actor: 'tester',
    sessions: [session],
    root,
    source: { connectionId: null, connectionName: name, connectString },
    reason: 'manual',
    ...(label === undefined ? {} : { label }),
  });
}

function params(ref: StoredSnapshotRef, extra: Partial<CopyParams> = {}): CopyParams {
  return copyBetween(ref, { kind: 'zk', connectString: DST, path: target }, extra);
}

beforeAll(async () => {
  src = await connect(SRC, [ADMIN]);
  dst = await connect(DST, [ADMIN]);
  const admin = digestAcl('admin', 'secret');
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/binary`, data: BINARY },
    { path: `${source}/empty`, data: Buffer.alloc(0) },
    { path: `${source}/empty/child`, data: Buffer.from('under an empty node') },
    { path: `${source}/private`, data: Buffer.from('admin only'), acl: [admin] },
    {
      path: `${source}/shared`,
      data: Buffer.from('{"x":1}'),
      acl: [admin, { scheme: 'world', id: 'anyone', perms: 'r' }],
    },
    { path: `${source}/deep`, data: Buffer.from('d') },
    { path: `${source}/deep/er`, data: Buffer.from('e') },
    { path: `${source}/deep/er/est`, data: Buffer.alloc(3000, 7) },
    { path: `${source}/session`, data: Buffer.from('ephemeral'), mode: 'ephemeral', acl: [OPEN] },
  ]);
  kit = makeKit({ credentials: () => [ADMIN] });
  const captured = await captureManually(src, source, 'primary', SRC, LABEL);
  snapshotId = captured.snapshot.id;
  capturedAt = captured.snapshot.createdAt;
}, 60_000);

afterAll(async () => {
  await kit?.close();
  if (src) {
    await removeSubtree(src, source).catch(() => undefined);
    await src.close();
  }
  if (dst) {
    await removeSubtree(dst, target).catch(() => undefined);
    await dst.close();
  }
});

describe('copy from a stored snapshot', () => {
  it('captured the ephemeral node as ephemeral (so the copy can skip it as such)', () => {
    const node = kit.store.snapshots.node(snapshotId, `${source}/session`);
    expect(node?.stat.ephemeralOwner).not.toBe('0x0');
  });

  it('reproduces the deleted source tree on the target byte for byte, ACLs included, and verifies it', async () => {
    const expected = await readSubtree(src, source, (rel) => rel === '/session');
    expect(expected.get('/empty')?.data.length).toBe(0);
    await removeSubtree(src, source);
    expect(await src.exists(source)).toBeNull();

    const ref = storedSnapshotEndpoint(kit.store.snapshots, snapshotId);
    expect(ref).toMatchObject({ snapshotId, snapshotName: LABEL, capturedAt, path: source });
    const run = kit.runs.create('zk-copy', params(ref));
    const plan = await kit.runs.plan(run.id);
    expect(plan).toMatchObject({ creates: 9, skippedEphemeral: 1, unreadable: 0, deletes: 0 });
    const final = await kit.runs.start(run.id);

    expect(final.state).toBe('completed');
    expect(final.result?.error).toBeUndefined();
    expect(final.result?.copy?.counts).toMatchObject({ created: 9, skippedEphemeral: 1, errors: 0 });
    expect(final.result?.verify?.counts).toMatchObject({
      compared: 9,
      matching: 9,
      mismatched: 0,
      aclMismatched: 0,
      extraSource: 0,
      extraTarget: 0,
      unreadable: 0,
    });

    const copied = await readSubtree(dst, target);
    expect([...copied.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [rel, node] of expected) {
      const other = copied.get(rel)!;
      expect(other.data.equals(node.data), `data of ${rel}`).toBe(true);
      expect(other.acl, `ACL of ${rel}`).toEqual(node.acl);
    }
    expect(copied.get('/binary')?.data.equals(BINARY)).toBe(true);
    expect(copied.get('/empty')?.data.length).toBe(0);
    expect(copied.get('/private')?.acl).toEqual([digestAcl('admin', 'secret')]);
    expect(copied.has('/session')).toBe(false);

    // The run and its audit trail say which snapshot it copied from.
    const stored = kit.runs.get(run.id).params as unknown as CopyParams;
    expect(stored.source).toMatchObject({
      kind: 'stored-snapshot',
      snapshotId,
      snapshotName: LABEL,
      capturedAt,
    });
    const created = kit.store.events
      .list({ limit: 500 })
      .find((event) => event.action === 'zk-copy.created' && event.target === run.id);
    expect(created).toBeDefined();
    expect(String((created!.detail as { source?: string }).source)).toContain(
      `snapshot '${LABEL}' (${snapshotId}, captured ${new Date(capturedAt).toISOString()})`,
    );
  }, 60_000);

  it('compares the target with the snapshot, and an overwrite copy from it repairs a changed node', async () => {
    const ref = storedSnapshotEndpoint(kit.store.snapshots, snapshotId);
    const clean = await kit.runs.start(kit.runs.create('zk-diff', params(ref)).id);
    expect(clean.state).toBe('completed');
    expect(clean.result?.verify?.counts).toMatchObject({ matching: 9, mismatched: 0, extraTarget: 0 });

    await dst.setData(`${target}/binary`, Buffer.from('changed on the target'), -1);
    await dst.create(`${target}/stray`, Buffer.from('not in the snapshot'), { acl: [OPEN] });
    const drifted = await kit.runs.start(kit.runs.create('zk-diff', params(ref)).id);
    expect(drifted.result?.verify?.counts).toMatchObject({ mismatched: 1, extraTarget: 1 });
    expect(drifted.result?.verify?.samples.mismatched).toEqual([expect.stringContaining('/binary')]);

    const repair = kit.runs.create('zk-copy', params(ref, { mode: 'mirror', reconcilePasses: 2 }));
    const repaired = await kit.runs.start(repair.id, { mirrorConfirmed: true });
    expect(repaired.state).toBe('completed');
    expect(repaired.result?.copy?.counts).toMatchObject({ updated: 1, deleted: 1, unchanged: 8 });
    expect(repaired.result?.verify?.counts).toMatchObject({ matching: 9, mismatched: 0, extraTarget: 0 });
    expect((await dst.getData(`${target}/binary`)).data.equals(BINARY)).toBe(true);
  }, 60_000);

  it('copies a part of the snapshot, and refuses a path outside it or a snapshot as the target', () => {
    const part = storedSnapshotEndpoint(kit.store.snapshots, snapshotId, `${source}/deep`);
    expect(part.path).toBe(`${source}/deep`);
    expect(() => storedSnapshotEndpoint(kit.store.snapshots, snapshotId, '/elsewhere')).toThrow(
      /is not in the snapshot .* it holds .* and below/,
    );
    expect(() => storedSnapshotEndpoint(kit.store.snapshots, 'no-such-snapshot')).toThrow(RunRefusedError);
    expect(() =>
      kit.runs.create('zk-copy', {
        ...params(part),
        source: { kind: 'zk', connectString: DST, path: target },
        target: part,
      }),
    ).toThrow(/target of a copy must be a ZooKeeper connection/);
    expect(describeEndpoint(part)).toContain(`snapshot '${LABEL}'`);
  });

  it('finds a snapshot by its name or id, and says which names exist when none matches', () => {
    expect(findStoredSnapshot(kit.store.snapshots, LABEL.toUpperCase()).id).toBe(snapshotId);
    expect(findStoredSnapshot(kit.store.snapshots, snapshotId).id).toBe(snapshotId);
    expect(() => findStoredSnapshot(kit.store.snapshots, 'nothing-like-it')).toThrow(
      new RegExp(`No snapshot named 'nothing-like-it' \\(newest: '${LABEL}'`),
    );
  });

  it('refuses digest ACLs a capture without ADMIN permission saw masked, unless ACLs are left out', async () => {
    const masked = uniqueTestRoot('snap-masked');
    await createAll(src, [
      { path: masked, data: Buffer.from('m') },
      {
        path: `${masked}/guarded`,
        data: Buffer.from('g'),
        acl: [{ scheme: 'world', id: 'anyone', perms: 'r' }, digestAcl('admin', 'secret')],
      },
    ]);
    const anonymous = await connect(SRC);
    try {
      const captured = await captureManually(anonymous, masked, 'anonymous', SRC);
      expect(kit.store.snapshots.node(captured.snapshot.id, `${masked}/guarded`)?.acl[1]?.id).toBe('admin:x');
      const ref = storedSnapshotEndpoint(kit.store.snapshots, captured.snapshot.id);
      const maskedTarget = { kind: 'zk' as const, connectString: DST, path: `${target}-masked` };
      const run = kit.runs.create('zk-copy', { ...params(ref), target: maskedTarget });
      await expect(kit.runs.plan(run.id)).rejects.toThrow(
        new RegExp(`1 node of .* \\(first: ${masked}/guarded\\) has digest ACLs recorded as 'user:x'`),
      );
      const failed = await kit.runs.start(run.id);
      expect(failed.state).toBe('failed');
      expect(failed.result?.error).toMatchObject({ code: 'MASKED_ACL', path: `${masked}/guarded` });
      expect(await dst.exists(maskedTarget.path)).toBeNull();

      const withoutAcl = kit.runs.create('zk-copy', {
        ...params(ref, { copyAcl: false }),
        target: maskedTarget,
      });
      const copied = await kit.runs.start(withoutAcl.id);
      expect(copied.state).toBe('completed');
      expect(copied.result?.verify?.counts).toMatchObject({ matching: 2, mismatched: 0 });
    } finally {
      await anonymous.close();
      await removeSubtree(src, masked);
      await removeSubtree(dst, `${target}-masked`);
    }
  }, 60_000);

  it('stops reading a snapshot deleted mid-run instead of taking it for an empty tree', async () => {
    const other = await captureManually(dst, target, 'secondary', DST);
    const ref = storedSnapshotEndpoint(kit.store.snapshots, other.snapshot.id);
    const reader = openStoredSnapshot(kit.store.snapshots, ref, 'the test snapshot');
    expect((await reader.read('/binary', 0, false)).state).toBe('present');
    expect(await reader.children('/deep', 0)).toEqual(['er']);
    kit.store.snapshots.remove(other.snapshot.id);
    await expect(reader.read('/binary', 0, false)).rejects.toThrow(/was deleted while this run read it/);
    await expect(reader.children('/deep', 0)).rejects.toThrow(/was deleted while this run read it/);
  });

  it('fails a run whose snapshot was deleted after the run was made, saying so', async () => {
    const other = await captureManually(dst, target, 'secondary', DST);
    const run = kit.runs.create(
      'zk-diff',
      params(storedSnapshotEndpoint(kit.store.snapshots, other.snapshot.id)),
    );
    kit.store.snapshots.remove(other.snapshot.id);
    const final = await kit.runs.start(run.id);
    expect(final.state).toBe('failed');
    expect(final.result?.error?.message).toMatch(/no longer exists \(it was deleted\)/);
  });
});
