/**
 * Subtree search over the real host and a real ZooKeeper: path (prefix, glob, regex) and content
 * (substring, regex) matching, results streamed with progress, the node bound, cancellation, a
 * regex that does not compile, a subtree that disappears midway.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SearchEvent, SearchInput } from '../../../shared/api/subtree-search';
import { searchInputSchema } from '../../../shared/api/subtree-search';
import { searchSubtree } from '../../../electron/host/services/subtree-search';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { startTestHost, type TestHost } from '../../setup/host-fixture';
import { connectTestSession, createNodes } from '../../setup/zk-tree-builder';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('search');
let t: TestHost;
let session: ZkSession;
let connectionId: string;

beforeAll(async () => {
  t = await startTestHost('search');
  session = await connectTestSession(zk);
  // /apps/{0..39} with JSON, each with partitions /apps/N/{0..4}; /locks with a binary node.
  const nodes: { path: string; data?: Buffer }[] = [
    { path: root },
    { path: `${root}/apps` },
    { path: `${root}/locks` },
  ];
  for (let app = 0; app < 40; app += 1) {
    nodes.push({
      path: `${root}/apps/${app}`,
      data: Buffer.from(
        JSON.stringify({ app_name: `table_${app}`, status: app % 10 === 0 ? 'AS_DROPPED' : 'AS_AVAILABLE' }),
      ),
    });
  }
  for (let app = 0; app < 40; app += 1) {
    for (let p = 0; p < 5; p += 1)
      nodes.push({ path: `${root}/apps/${app}/${p}`, data: Buffer.from(`{"pid":"${app}.${p}"}`) });
  }
  nodes.push({ path: `${root}/locks/meta.lock`, data: Buffer.from([0x00, 0xff, 0x41, 0x42, 0x43, 0xfe]) });
  await createNodes(session, nodes);
  connectionId = await t.addConnection('search', zk);
});

afterAll(async () => {
  await removeTree(session, root).catch(() => undefined);
  await session?.close();
  await t?.stop();
});

async function search(input: Omit<SearchInput, 'connectionId'>) {
  const stream = t.subscribe<SearchEvent>('search.run', { connectionId, ...input });
  const done = await stream.waitFor(
    (event) => event.type === 'done' || event.type === 'failed',
    30_000,
    'the outcome',
  );
  stream.close();
  const paths = stream.events.flatMap((event) =>
    event.type === 'matches' ? event.items.map((item) => item.path) : [],
  );
  return { done, paths: paths.sort(), events: stream.events };
}

describe('search by path', () => {
  it('by prefix of the node name', async () => {
    const { done, paths } = await search({
      root: `${root}/locks`,
      path: { mode: 'prefix', pattern: 'meta' },
    });
    expect(paths).toEqual([`${root}/locks/meta.lock`]);
    expect(done).toMatchObject({ type: 'done', visited: 2, matched: 1, stoppedBy: null, note: null });
  });

  it('by glob over whole paths, * staying within a segment', async () => {
    const { paths } = await search({ root, path: { mode: 'glob', pattern: `${root}/apps/1?/4` } });
    expect(paths).toEqual(Array.from({ length: 10 }, (_, i) => `${root}/apps/1${i}/4`).sort());
    const names = await search({ root, path: { mode: 'glob', pattern: '*.lock' } });
    expect(names.paths).toEqual([`${root}/locks/meta.lock`]);
  });

  it('by regex, streaming results with a start and an end', async () => {
    const { done, paths, events } = await search({ root, path: { mode: 'regex', pattern: '/apps/3[0-9]$' } });
    expect(paths).toHaveLength(10);
    expect(events[0]).toMatchObject({ type: 'started', root, maxNodes: 100_000 });
    // root, apps, locks, 40 apps, 200 partitions, 1 lock
    expect(done).toMatchObject({ visited: 244, matched: 10 });
  });
});

describe('search by content', () => {
  it('by substring, byte-exact, with a snippet', async () => {
    const { paths, events } = await search({ root, content: { mode: 'substring', pattern: 'AS_DROPPED' } });
    expect(paths).toEqual([0, 10, 20, 30].map((n) => `${root}/apps/${n}`).sort());
    const first = events.flatMap((event) => (event.type === 'matches' ? event.items : []))[0];
    expect(first?.snippet).toContain('"status":"AS_DROPPED"');
  });

  it('by regex, case-insensitive, combined with a path pattern', async () => {
    const { paths } = await search({
      root,
      path: { mode: 'glob', pattern: `${root}/apps/*` },
      content: { mode: 'regex', pattern: 'TABLE_3[5-9]', caseSensitive: false },
    });
    expect(paths).toEqual([35, 36, 37, 38, 39].map((n) => `${root}/apps/${n}`));
  });

  it('finds bytes inside binary data', async () => {
    const { paths } = await search({ root, content: { mode: 'substring', pattern: 'ABC' } });
    expect(paths).toEqual([`${root}/locks/meta.lock`]);
  });
});

describe('bounds and bad input', () => {
  it('stops at the node bound and says so', async () => {
    const { done, paths } = await search({ root, path: { mode: 'regex', pattern: '.' }, maxNodes: 50 });
    expect(done).toMatchObject({ type: 'done', visited: 50, stoppedBy: 'max-nodes' });
    expect(done.type === 'done' && done.note).toMatch(/Stopped after 50 nodes \(the node limit\)/);
    expect(paths).toHaveLength(50);
  });

  it('stops at the result bound and says so', async () => {
    const { done } = await search({ root, path: { mode: 'glob', pattern: '*' }, maxResults: 7 });
    expect(done).toMatchObject({ matched: 7, stoppedBy: 'max-results' });
    expect(done.type === 'done' && done.note).toMatch(/there may be more/);
  });

  it('refuses a regex that does not compile, naming the field and the problem', async () => {
    const parsed = searchInputSchema.safeParse({
      connectionId,
      root,
      path: { mode: 'regex', pattern: 'apps/(' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['path', 'pattern'] });
    expect(parsed.error?.issues[0]?.message).toMatch(
      /'apps\/\(' is not a valid regular expression: Unterminated group/,
    );
    const stream = t.subscribe<SearchEvent>('search.run', {
      connectionId,
      root,
      content: { mode: 'regex', pattern: '[a-' },
    });
    await stream.ended;
    expect(stream.error()).toMatch(/content\.pattern: '\[a-' is not a valid regular expression/);
    expect(stream.events).toEqual([]);
  });

  it('reports a root that does not exist instead of an empty result', async () => {
    const { done, paths } = await search({ root: `${root}/nope`, path: { mode: 'glob', pattern: '*' } });
    expect(paths).toEqual([]);
    expect(done).toMatchObject({ rootMissing: true, visited: 0 });
    expect(done.type === 'done' && done.note).toMatch(/does not exist/);
  });
});

describe('a search in progress', () => {
  it('reports nodes deleted midway and finishes', async () => {
    const doomed = `${root}/apps/7`;
    // Delete a listed node right after its parent's children were read: the walk then finds it gone.
    const deleting: ZkSession = Object.create(session) as ZkSession;
    let removed = false;
    deleting.getChildren = async (path: string) => {
      const result = await session.getChildren(path);
      if (path === `${root}/apps` && !removed) {
        removed = true;
        await removeTree(session, doomed);
      }
      return result;
    };
    const events: SearchEvent[] = [];
    for await (const event of searchSubtree({
      session: deleting,
      request: searchInputSchema.parse({ connectionId, root, path: { mode: 'glob', pattern: '*' } }),
    })) {
      events.push(event);
    }
    expect(events).toContainEqual({ type: 'vanished', path: doomed });
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', vanished: 1, rootMissing: false });
    expect(done?.type === 'done' && done.note).toMatch(/1 node was deleted while the search ran/);
  });

  it('stops reading as soon as it is cancelled', async () => {
    const controller = new AbortController();
    let reads = 0;
    const counting: ZkSession = Object.create(session) as ZkSession;
    counting.getChildren = async (path: string) => {
      reads += 1;
      return session.getChildren(path);
    };
    const events: SearchEvent[] = [];
    for await (const event of searchSubtree({
      session: counting,
      signal: controller.signal,
      concurrency: 4,
      request: searchInputSchema.parse({ connectionId, root, path: { mode: 'glob', pattern: '*' } }),
    })) {
      events.push(event);
      if (event.type === 'matches') controller.abort();
    }
    const readsAtEnd = reads;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads).toBe(readsAtEnd);
    expect(reads).toBeLessThan(244);
    expect(events.some((event) => event.type === 'done')).toBe(false);
  });

  it('over the event stream: closing the stream cancels the search on the host', async () => {
    const stream = t.subscribe<SearchEvent>('search.run', {
      connectionId,
      root,
      content: { mode: 'substring', pattern: 'pid' },
    });
    await stream.waitFor((event) => event.type === 'started', 10_000, 'the start');
    stream.close();
    await stream.ended;
    const hostSession = t.host.services.sessions.current(connectionId) as ZkSession;
    await expect.poll(() => hostSession.stats().inFlight, { timeout: 5000 }).toBe(0);
  });
});
