/**
 * The snapshot tables and the offline session over them, on a real SQLite file: bytes survive as
 * BLOBs exactly (binary, empty), children list sorted through the index, counts below a path, paging,
 * the root's ancestors as placeholders, writes refused, interrupted captures marked failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotWorkspaceId } from '../../../shared/api/snapshots';
import { offlineSnapshotSource } from '../../../electron/engines/snapshots/offline-source';
import { SnapshotReadOnlyError, SnapshotSession } from '../../../electron/engines/snapshots/snapshot-session';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { SnapshotNodeWrite, Store } from '../../../electron/store/types';
import type { ZkStatRaw } from '../../../electron/zk/types';

let dir: string;
let store: Store;

const stat = (overrides: Partial<ZkStatRaw> = {}): ZkStatRaw => ({
  czxid: '0x10',
  mzxid: '0x11',
  pzxid: '0x12',
  ctime: 1_700_000_000_000,
  mtime: 1_700_000_000_500,
  version: 2,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: '0x0',
  dataLength: 0,
  numChildren: 0,
  ...overrides,
});

const OPEN = [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }];
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0x00, 0x0a]);

function node(path: string, data: Buffer, numChildren = 0): SnapshotNodeWrite {
  return { path, data, acl: OPEN, stat: stat({ dataLength: data.length, numChildren }) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-snapshots-'));
  store = openStore({ file: join(dir, 'store.db'), secretBox: createSecretBox(randomBytes(32)) });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function seed() {
  const snapshot = store.snapshots.create({
    connectionId: 'c1',
    connectionName: 'prod',
    connectString: '10.0.0.1:2181',
    root: '/app/cfg',
    reason: 'manual',
  });
  const children = Array.from({ length: 300 }, (_, i) =>
    node(`/app/cfg/k-${String(299 - i).padStart(4, '0')}`, Buffer.from([i % 256])),
  );
  store.snapshots.addNodes(snapshot.id, [
    node('/app/cfg', Buffer.from('root'), 302),
    node('/app/cfg/bin', BINARY, 1),
    node('/app/cfg/bin/leaf', Buffer.alloc(0)),
    node('/app/cfg0', Buffer.from('sibling-prefix')),
    ...children,
  ]);
  return store.snapshots.complete(snapshot.id, { nodeCount: 304, byteCount: 999 });
}

describe('snapshots repository', () => {
  it('keeps bytes exactly and lists children sorted, with subtree counts', () => {
    const snapshot = seed();
    expect(snapshot).toMatchObject({ state: 'complete', nodeCount: 304, connectionName: 'prod' });
    const bin = store.snapshots.node(snapshot.id, '/app/cfg/bin');
    expect(bin?.data.equals(BINARY)).toBe(true);
    expect(Buffer.isBuffer(bin?.data)).toBe(true);
    expect(store.snapshots.node(snapshot.id, '/app/cfg/bin/leaf')?.data.length).toBe(0);
    const names = store.snapshots.children(snapshot.id, '/app/cfg');
    expect(names.length).toBe(301);
    expect(names[0]).toBe('bin');
    expect(names.slice(1, 4)).toEqual(['k-0000', 'k-0001', 'k-0002']);
    // '/app/cfg0' shares the prefix but is not below /app/cfg.
    expect(store.snapshots.countSubtree(snapshot.id, '/app/cfg')).toBe(303);
    expect(store.snapshots.countSubtree(snapshot.id, '/app/cfg/bin')).toBe(2);
    expect(store.snapshots.subtreeSample(snapshot.id, '/app/cfg/bin', 5)).toEqual(['/app/cfg/bin/leaf']);
    const page = store.snapshots.nodesAfter(snapshot.id, '/app/cfg/k-0010', 3);
    expect(page.map((n) => n.path)).toEqual(['/app/cfg/k-0011', '/app/cfg/k-0012', '/app/cfg/k-0013']);
  });

  it('deletes a snapshot with its nodes, and marks interrupted captures failed', () => {
    const done = seed();
    const stuck = store.snapshots.create({
      connectionId: null,
      connectionName: 'x',
      connectString: 'y',
      root: '/',
      reason: 'manual',
    });
    expect(store.snapshots.failInterrupted('Interrupted')).toBe(1);
    expect(store.snapshots.get(stuck.id)).toMatchObject({ state: 'failed', error: 'Interrupted' });
    expect(store.snapshots.remove(done.id)).toBe(true);
    expect(store.snapshots.node(done.id, '/app/cfg')).toBeUndefined();
    expect(store.snapshots.remove(done.id)).toBe(false);
  });
});

describe('snapshot session', () => {
  it('reads like a live session: placeholders above the root, data, stat, ACL, children', async () => {
    const snapshot = seed();
    const session = new SnapshotSession(store.snapshots, snapshot);
    expect((await session.getChildren('/')).children).toEqual(['app']);
    expect((await session.getChildren('/app')).children).toEqual(['cfg']);
    expect(session.isPlaceholder('/app')).toBe(true);
    expect((await session.getData('/app')).data.length).toBe(0);
    const { data, stat: binStat } = await session.getData('/app/cfg/bin');
    expect(data.equals(BINARY)).toBe(true);
    expect(binStat).toMatchObject({ version: 2, numChildren: 1, mzxid: '0x11' });
    expect((await session.getACL('/app/cfg')).acl).toEqual(OPEN);
    expect(await session.exists('/app/cfg/nope')).toBeNull();
    await expect(session.getData('/app/cfg/nope')).rejects.toMatchObject({ code: 'NO_NODE' });
    // A sibling with the root's name as a prefix is not a child of the placeholder.
    expect((await session.getChildren('/app')).children).not.toContain('cfg0');
    // Watches never fire: a snapshot does not change.
    expect(await session.existsWatch('/app/cfg', () => undefined)).toMatchObject({ numChildren: 302 });
    await expect(session.setData()).rejects.toBeInstanceOf(SnapshotReadOnlyError);
    await expect(session.create()).rejects.toMatchObject({ zkCode: 'READ_ONLY' });
  });

  it('is what the offline source hands out for a snapshot workspace id, and only for one', () => {
    const snapshot = seed();
    const source = offlineSnapshotSource(store.snapshots);
    expect(source('some-connection-id')).toBeUndefined();
    expect(source(snapshotWorkspaceId(snapshot.id))).toBeInstanceOf(SnapshotSession);
    expect(() => source(snapshotWorkspaceId('missing'))).toThrow(/no snapshot missing/);
  });
});
