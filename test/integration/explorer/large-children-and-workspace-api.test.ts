/**
 * What the tree needs for huge child lists (names sorted with a count, per-row details only for the
 * rows asked for) and the workspace the app remembers across restarts, over the real host.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHost } from '../../../electron/host/start-host';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import {
  childNodes,
  connectTestSession,
  createNodes,
  deleteTree,
  ensurePath,
} from '../../setup/zk-tree-builder';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('wide');
const wide = `${root}/wide`;
const COUNT = 12_000;
let t: TestHost;
let session: ZkSession;
let connectionId: string;

beforeAll(async () => {
  t = await startTestHost('wide');
  session = await connectTestSession(zk);
  await ensurePath(session, wide);
  // Created in reverse: the server's order is its own, the API's is sorted.
  await createNodes(session, childNodes(wide, COUNT, (i) => Buffer.from(`value-${i}`)).reverse());
  await session.create(`${wide}/child-000003/deeper`, Buffer.alloc(0));
  await session.create(`${wide}/child-000004/lease`, Buffer.alloc(0), { mode: 'ephemeral' });
  connectionId = await t.addConnection('wide', zk);
}, 120_000);

afterAll(async () => {
  await deleteTree(session, root).catch(() => undefined);
  await session?.close();
  await t?.stop();
});

describe('a node with 12,000 children', () => {
  it('lists names only, sorted, with the count and the stat', async () => {
    const started = Date.now();
    const view = await t.api.nodes.children.query({ connectionId, path: wide });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(view.count).toBe(COUNT);
    expect(view.children).toHaveLength(COUNT);
    expect(view.stat.numChildren).toBe(COUNT);
    expect(view.children.slice(0, 3)).toEqual(['child-000000', 'child-000001', 'child-000002']);
    expect(view.children.at(-1)).toBe('child-011999');
    expect(view.children).toEqual([...view.children].sort());
  });

  it('gives child counts, sizes and ephemeral owners for the rows asked for, and only those', async () => {
    const info = await t.api.nodes.childInfo.query({
      connectionId,
      parent: wide,
      names: ['child-000003', 'child-000004', 'child-000010', 'no-such-child'],
    });
    expect(info).toEqual([
      { name: 'child-000003', exists: true, numChildren: 1, dataLength: 7, ephemeralOwner: null },
      { name: 'child-000004', exists: true, numChildren: 1, dataLength: 7, ephemeralOwner: null },
      { name: 'child-000010', exists: true, numChildren: 0, dataLength: 8, ephemeralOwner: null },
      { name: 'no-such-child', exists: false, numChildren: 0, dataLength: 0, ephemeralOwner: null },
    ]);
    const lease = await t.api.nodes.childInfo.query({
      connectionId,
      parent: `${wide}/child-000004`,
      names: ['lease'],
    });
    expect(lease[0]?.ephemeralOwner).toBe(session.sessionId);
  });

  it('refuses to read details for more than a screenful of children at once', async () => {
    const names = Array.from({ length: 301 }, (_, i) => `child-${String(i).padStart(6, '0')}`);
    const error = await rejectionOf(t.api.nodes.childInfo.query({ connectionId, parent: wide, names }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/names: at most 300 names per call/);
  });
});

describe('the remembered workspace', () => {
  it('starts empty, keeps what was saved, and survives a host restart', async () => {
    expect(await t.api.workspace.get.query()).toEqual({
      openConnectionIds: [],
      selectedConnectionId: null,
      explorers: {},
    });
    const state = {
      openConnectionIds: [connectionId],
      selectedConnectionId: connectionId,
      explorers: { [connectionId]: { expanded: ['/', root, wide], selectedPath: `${wide}/child-000003` } },
    };
    expect(await t.api.workspace.save.mutate(state)).toEqual({ saved: true });
    expect(await t.api.workspace.get.query()).toEqual(state);

    // The same data dir opened by a new host (an app restart) sees the same workspace.
    await t.host.stop();
    const again = await startHost({ mode: 'browser', dataDir: t.dataDir, port: 0, log: () => {} });
    try {
      const store = again.services.store;
      expect(store.settings.get('workspace.v1')).toEqual(state);
    } finally {
      await again.stop();
    }
    t = await startTestHost('wide-2');
    connectionId = await t.addConnection('wide', zk);
  });

  it('forgets connections that were removed, and refuses a malformed workspace', async () => {
    const other = await t.addConnection('short-lived', zk);
    await t.api.workspace.save.mutate({
      openConnectionIds: [connectionId, other],
      selectedConnectionId: other,
      explorers: { [other]: { expanded: ['/'], selectedPath: null } },
    });
    await t.api.connections.remove.mutate({ id: other });
    expect(await t.api.workspace.get.query()).toEqual({
      openConnectionIds: [connectionId],
      selectedConnectionId: null,
      explorers: {},
    });
    const bad = await rejectionOf(
      t.api.workspace.save.mutate({
        openConnectionIds: [],
        selectedConnectionId: null,
        explorers: { x: { expanded: ['relative/path'], selectedPath: null } },
      }),
    );
    expect(bad.message).toMatch(/explorers\.x\.expanded\.0: Path 'relative\/path' must start with '\/'/);
  });
});
