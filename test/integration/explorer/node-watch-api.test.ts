/**
 * The live view over the real host and a real ZooKeeper: watches on expanded and open nodes only,
 * changes pushed as server-sent events, watches dropped on collapse, re-armed after session expiry
 * with the changes made while nothing watched reported as missed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeChangeEvent } from '../../../shared/api/node-watch';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { NodeWatchHub } from '../../../electron/host/services/node-watch-hub';
import { startTestHost, type TestHost } from '../../setup/host-fixture';
import { connectTestSession, ensurePath } from '../../setup/zk-tree-builder';
import { startTcpProxy } from '../../setup/tcp-proxy';
import { expireSession, removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import type { SseSubscription } from '../../setup/sse-client';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('watch');
let t: TestHost;
let writer: ZkSession;
let connectionId: string;
const clientId = `test-${randomBytes(6).toString('hex')}`;
let stream: SseSubscription<NodeChangeEvent>;

const about = (path: string, kind: NodeChangeEvent['kind']) => (event: NodeChangeEvent) =>
  event.path === path && event.kind === kind;

beforeAll(async () => {
  t = await startTestHost('watch');
  writer = await connectTestSession(zk);
  await ensurePath(writer, `${root}/apps/1`);
  await ensurePath(writer, `${root}/other`);
  connectionId = await t.addConnection('live', zk);
  await t.api.sessions.open.mutate({ connectionId });
  stream = t.subscribe<NodeChangeEvent>('watch.events', { clientId });
});

afterAll(async () => {
  stream?.close();
  await removeTree(writer, root).catch(() => undefined);
  await writer?.close();
  await t?.stop();
});

describe('watches on what the renderer shows', () => {
  it('arms exists-watches on open nodes and child watches on expanded ones, nothing else', async () => {
    const result = await t.api.watch.set.mutate({
      connectionId,
      clientId,
      expanded: [root, `${root}/apps`],
      open: [`${root}/apps/1`],
    });
    expect(result).toMatchObject({ watching: 3, failed: [] });
    // The stat each new watch was armed with, for the renderer to compare with what it shows.
    expect(result.armed.map((entry) => entry.path).sort()).toEqual(
      [root, `${root}/apps`, `${root}/apps/1`].sort(),
    );
    expect(result.armed.find((entry) => entry.path === `${root}/apps`)?.stat?.numChildren).toBe(1);
    // Setting the same set again arms nothing new.
    const again = await t.api.watch.set.mutate({
      connectionId,
      clientId,
      expanded: [root, `${root}/apps`],
      open: [`${root}/apps/1`],
    });
    expect(again.armed).toEqual([]);
    const watched = t.host.services.watches.watched(connectionId);
    expect(watched.map((entry) => [entry.path, entry.children, entry.armed]).sort()).toEqual(
      [
        [root, true, true],
        [`${root}/apps`, true, true],
        [`${root}/apps/1`, false, true],
      ].sort(),
    );
  });

  it('pushes data changes of the open node with the new stat', async () => {
    await writer.setData(`${root}/apps/1`, Buffer.from('v2'), -1);
    const event = await stream.waitFor(about(`${root}/apps/1`, 'data-changed'), 10_000, 'data-changed');
    expect(event).toMatchObject({ connectionId, missed: false, stat: { version: 1, dataLength: 2 } });
  });

  it('pushes child changes of expanded nodes, coalesced, and keeps watching after each', async () => {
    await writer.create(`${root}/apps/2`, Buffer.alloc(0));
    const first = await stream.waitFor(about(`${root}/apps`, 'children-changed'), 10_000, 'children-changed');
    expect(first.stat?.numChildren).toBe(2);
    // Re-armed: the next change is seen too.
    await writer.create(`${root}/apps/3`, Buffer.alloc(0));
    await stream.waitFor(
      (event) => about(`${root}/apps`, 'children-changed')(event) && event.stat?.numChildren === 3,
      10_000,
      'a second children-changed',
    );
  });

  it('reports a deleted open node, then its creation again', async () => {
    await writer.remove(`${root}/apps/1`, -1);
    const deleted = await stream.waitFor(about(`${root}/apps/1`, 'deleted'), 10_000, 'deleted');
    expect(deleted.stat).toBeNull();
    await writer.create(`${root}/apps/1`, Buffer.from('again'));
    const created = await stream.waitFor(about(`${root}/apps/1`, 'created'), 10_000, 'created');
    expect(created.stat?.dataLength).toBe(5);
  });

  it('sends nothing about nodes that are not watched', async () => {
    await writer.setData(`${root}/other`, Buffer.from('x'), -1);
    await writer.create(`${root}/other/child`, Buffer.alloc(0));
    // A watched change made afterwards arrives; nothing about /other came before it.
    await writer.setData(`${root}/apps/1`, Buffer.from('marker'), -1);
    await stream.waitFor(
      (event) => about(`${root}/apps/1`, 'data-changed')(event) && event.stat?.dataLength === 6,
      10_000,
      'the marker change',
    );
    expect(stream.events.some((event) => event.path.startsWith(`${root}/other`))).toBe(false);
  });

  it('drops watches when nodes collapse and close', async () => {
    await t.api.watch.set.mutate({ connectionId, clientId, expanded: [root], open: [] });
    expect(t.host.services.watches.watched(connectionId).map((entry) => entry.path)).toEqual([root]);
    const before = stream.events.length;
    await writer.create(`${root}/apps/4`, Buffer.alloc(0));
    await writer.setData(`${root}/apps/1`, Buffer.from('unwatched'), -1);
    // The root is still watched: a change there proves the stream is live, and nothing else came.
    await writer.create(`${root}/marker`, Buffer.alloc(0));
    await stream.waitFor(about(root, 'children-changed'), 10_000, 'the root change');
    expect(stream.events.slice(before).filter((event) => event.path !== root)).toEqual([]);
  });
});

describe('after a session expiry', () => {
  it('re-arms every watch on the new session and reports what changed meanwhile as missed', async () => {
    // The connection goes through a proxy the test can cut, like a dropped VPN: while it is down the
    // server expires the session, and changes happen that no watch can see.
    const proxy = await startTcpProxy(zk);
    const viaProxy = await t.addConnection('via-proxy', proxy.address);
    try {
      await t.api.sessions.open.mutate({ connectionId: viaProxy });
      await t.api.watch.set.mutate({
        connectionId: viaProxy,
        clientId,
        expanded: [root, `${root}/apps`],
        open: [`${root}/apps/1`],
      });
      const hostSession = t.host.services.sessions.current(viaProxy);
      if (!hostSession) throw new Error('no host session');
      const oldId = hostSession.sessionId;
      proxy.cut();
      await expireSession(hostSession, zk);
      await writer.setData(`${root}/apps/1`, Buffer.from('while-expired'), -1);
      await writer.create(`${root}/apps/5`, Buffer.alloc(0));
      proxy.restore();
      await expect
        .poll(() => hostSession.state === 'connected' && hostSession.sessionId !== oldId, { timeout: 20_000 })
        .toBe(true);

      const data = await stream.waitFor(
        (event) => event.connectionId === viaProxy && about(`${root}/apps/1`, 'data-changed')(event),
        15_000,
        'the missed data change',
      );
      expect(data).toMatchObject({ missed: true, stat: { dataLength: 'while-expired'.length } });
      const children = await stream.waitFor(
        (event) => event.connectionId === viaProxy && about(`${root}/apps`, 'children-changed')(event),
        15_000,
        'the missed child change',
      );
      expect(children.missed).toBe(true);
      // And the watches are live again on the new session.
      await writer.setData(`${root}/apps/1`, Buffer.from('after'), -1);
      await stream.waitFor(
        (event) =>
          event.connectionId === viaProxy &&
          about(`${root}/apps/1`, 'data-changed')(event) &&
          !event.missed &&
          event.stat?.dataLength === 5,
        10_000,
        'a live change after re-arming',
      );
    } finally {
      await t.api.watch.set.mutate({ connectionId: viaProxy, clientId, expanded: [], open: [] });
      await t.api.sessions.close.mutate({ connectionId: viaProxy });
      await proxy.close();
    }
  });
});

describe('when the renderer goes away', () => {
  it('detaches the client when its event stream closes', async () => {
    const hub = t.host.services.watches;
    const other = `gone-${randomBytes(6).toString('hex')}`;
    const otherStream = t.subscribe<NodeChangeEvent>('watch.events', { clientId: other });
    await t.api.watch.set.mutate({ connectionId, clientId: other, expanded: [`${root}/other`], open: [] });
    const internals = hub as unknown as { clients: Map<string, { attached: number }> };
    await expect.poll(() => internals.clients.get(other)?.attached, { timeout: 5000 }).toBe(1);
    otherStream.close();
    await otherStream.ended;
    await expect.poll(() => internals.clients.get(other)?.attached, { timeout: 5000 }).toBe(0);
  });

  it("drops a detached client's watches after the grace period (an EventSource reconnect fits in it)", async () => {
    const hub = new NodeWatchHub(t.host.services.sessions, { idleClientMs: 300 });
    try {
      const detach = hub.attach('short-lived-client');
      await hub.set({ connectionId, clientId: 'short-lived-client', expanded: [`${root}/other`], open: [] });
      expect(hub.watched(connectionId).map((entry) => entry.path)).toEqual([`${root}/other`]);
      detach();
      // Re-attaching within the grace period keeps the set.
      const again = hub.attach('short-lived-client');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(hub.watched(connectionId)).toHaveLength(1);
      again();
      await expect.poll(() => hub.watched(connectionId).length, { timeout: 3000 }).toBe(0);
    } finally {
      hub.close();
    }
  });
});
