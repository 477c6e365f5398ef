/**
 * A child change must reach the renderer even when something else re-arms the child watch before
 * the hub's coalescing pause ends. Found as an intermittent e2e failure on a loaded machine: the
 * renderer's watch-set update (opening a node) landed within the pause after a child was deleted,
 * re-armed the parent's child watch, and the pending children-changed event was never sent, so the
 * tree kept the deleted row. A long pause makes the window wide enough to hit every time.
 * Also: a renderer whose event stream was down asks for every stat again, so it can see what changed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeChangeEvent } from '../../../shared/api/node-watch';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { NodeWatchHub } from '../../../electron/host/services/node-watch-hub';
import { startTestHost, type TestHost } from '../../setup/host-fixture';
import { connectTestSession, ensurePath } from '../../setup/zk-tree-builder';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('watch-race');
/** Far longer than the test's own steps take, so the re-arm always comes first. */
const COALESCE_MS = 8000;
let t: TestHost;
let writer: ZkSession;
let connectionId: string;
let hub: NodeWatchHub;
const events: NodeChangeEvent[] = [];

beforeAll(async () => {
  t = await startTestHost('watch-race');
  writer = await connectTestSession(zk);
  await ensurePath(writer, `${root}/cluster/blob`);
  await ensurePath(writer, `${root}/cluster/apps`);
  await ensurePath(writer, `${root}/data/blob`);
  await ensurePath(writer, `${root}/data/apps`);
  await ensurePath(writer, `${root}/resync/a`);
  connectionId = await t.addConnection('race', zk);
  await t.api.sessions.open.mutate({ connectionId });
  hub = new NodeWatchHub(t.host.services.sessions, { childCoalesceMs: COALESCE_MS });
  hub.events.on('change', (event: NodeChangeEvent) => events.push(event));
});

afterAll(async () => {
  hub?.close();
  await removeTree(writer, root).catch(() => undefined);
  await writer?.close();
  await t?.stop();
});

/** Resolves with the first event matching `match`, or fails after `timeoutMs`. */
async function nextEvent(match: (event: NodeChangeEvent) => boolean, timeoutMs: number) {
  await expect.poll(() => events.some(match), { timeout: timeoutMs, interval: 20 }).toBe(true);
  return events.find(match) as NodeChangeEvent;
}

/** Waits until the hub saw the child watch of `path` fire (it is no longer armed). */
async function childWatchFired(path: string): Promise<void> {
  await expect
    .poll(() => hub.watched(connectionId).find((entry) => entry.path === path)?.armed, { timeout: 10_000 })
    .toBe(false);
}

describe('a child change while the child watch is re-armed by someone else', () => {
  it('is reported when a watch-set update re-arms the parent within the pause', async () => {
    const parent = `${root}/cluster`;
    const client = 'race-client-1';
    await hub.set({ connectionId, clientId: client, expanded: [root, parent], open: [`${parent}/blob`] });
    await writer.remove(`${parent}/blob`, -1);
    await childWatchFired(parent);
    const started = Date.now();
    // The renderer opens another node: its new watch set re-arms every unarmed watch, the parent's too.
    await hub.set({ connectionId, clientId: client, expanded: [root, parent], open: [`${parent}/apps`] });
    const event = await nextEvent(
      (candidate) => candidate.path === parent && candidate.kind === 'children-changed',
      COALESCE_MS + 5000,
    );
    expect(event).toMatchObject({ connectionId, missed: false, stat: { numChildren: 1 } });
    // Sent by the re-arm itself, not by the end of the pause.
    expect(Date.now() - started).toBeLessThan(COALESCE_MS);
    // And the re-armed watch sees the next change.
    await writer.create(`${parent}/next`, Buffer.alloc(0));
    await nextEvent(
      (candidate) =>
        candidate.path === parent &&
        candidate.kind === 'children-changed' &&
        candidate.stat?.numChildren === 2,
      COALESCE_MS + 5000,
    );
    await hub.set({ connectionId, clientId: client, expanded: [], open: [] });
  });

  it('is reported when the parent data change re-arms it (exists-watch firing) within the pause', async () => {
    const parent = `${root}/data`;
    const client = 'race-client-2';
    await hub.set({ connectionId, clientId: client, expanded: [parent], open: [] });
    const before = events.length;
    await writer.remove(`${parent}/blob`, -1);
    await childWatchFired(parent);
    // The exists-watch fires on the data change and re-arms the child watch as it re-reads.
    await writer.setData(parent, Buffer.from('changed'), -1);
    await nextEvent((candidate) => candidate.path === parent && candidate.kind === 'data-changed', 10_000);
    const event = await nextEvent(
      (candidate) =>
        events.indexOf(candidate) >= before &&
        candidate.path === parent &&
        candidate.kind === 'children-changed',
      COALESCE_MS + 5000,
    );
    expect(event.stat?.numChildren).toBe(1);
    await hub.set({ connectionId, clientId: client, expanded: [], open: [] });
  });
});

describe('a renderer whose event stream was down', () => {
  it('gets the current stat of every watched path with resync, not only of added ones', async () => {
    const parent = `${root}/resync`;
    const clientId = `resync-${randomBytes(6).toString('hex')}`;
    const first = await t.api.watch.set.mutate({ connectionId, clientId, expanded: [parent], open: [] });
    const armedPzxid = first.armed.find((entry) => entry.path === parent)?.stat?.pzxid;
    expect(armedPzxid).toMatch(/^0x[0-9a-f]+$/);
    // A change the client never hears of (no stream is attached): the host's watch sees and re-arms it.
    await writer.create(`${parent}/b`, Buffer.alloc(0));
    const hostWatches = t.host.services.watches;
    await expect
      .poll(
        async () => {
          const again = await t.api.watch.set.mutate({
            connectionId,
            clientId,
            expanded: [parent],
            open: [],
            resync: true,
          });
          return again.armed.find((entry) => entry.path === parent)?.stat?.numChildren;
        },
        { timeout: 10_000 },
      )
      .toBe(2);
    expect(hostWatches.watched(connectionId).find((entry) => entry.path === parent)?.armed).toBe(true);
    const resynced = await t.api.watch.set.mutate({
      connectionId,
      clientId,
      expanded: [parent],
      open: [],
      resync: true,
    });
    expect(resynced.armed).toHaveLength(1);
    expect(BigInt(resynced.armed[0]?.stat?.pzxid ?? '0x0') > BigInt(armedPzxid ?? '0x0')).toBe(true);
    // Without resync, the same set reports nothing (nothing was added).
    const plain = await t.api.watch.set.mutate({ connectionId, clientId, expanded: [parent], open: [] });
    expect(plain.armed).toEqual([]);
    await t.api.watch.set.mutate({ connectionId, clientId, expanded: [], open: [] });
  });
});
