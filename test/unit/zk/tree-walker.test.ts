import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ZkError } from '../../../electron/zk/errors';
import { IndexQueue } from '../../../electron/zk/index-queue';
import {
  type ChildList,
  isInSubtree,
  keyToPath,
  preorderKey,
  subtreeBefore,
  TreeWalker,
  type WalkEvent,
  walkTree,
} from '../../../electron/zk/tree-walker';
import type { ZkSessionLike, ZkStatRaw } from '../../../electron/zk/types';

/** A random tree as parent -> sorted child names. */
function randomTree(nodes: number, seed = 7): Map<string, string[]> {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const paths = ['/'];
  const children = new Map<string, string[]>([['/', []]]);
  const names = ['a', 'a-b', 'a.b', 'b', 'zookeeper', 'Z', '0', 'x y', 'ä'];
  while (paths.length < nodes) {
    const parent = paths[Math.floor(random() * paths.length)]!;
    const name = `${names[Math.floor(random() * names.length)]}${Math.floor(random() * 5)}`;
    const list = children.get(parent)!;
    if (list.includes(name)) continue;
    list.push(name);
    const path = parent === '/' ? `/${name}` : `${parent}/${name}`;
    paths.push(path);
    children.set(path, []);
  }
  for (const list of children.values()) list.sort();
  return children;
}

function preorder(tree: Map<string, string[]>, path = '/', out: string[] = []): string[] {
  out.push(path);
  for (const child of tree.get(path)!) preorder(tree, path === '/' ? `/${child}` : `${path}/${child}`, out);
  return out;
}

describe('pre-order keys', () => {
  it('sort like a depth-first walk over sorted children, whatever the names', () => {
    const tree = randomTree(400);
    const order = preorder(tree);
    const byKey = [...order].sort((a, b) => (preorderKey(a) < preorderKey(b) ? -1 : 1));
    expect(byKey).toEqual(order);
    for (const path of order) expect(keyToPath(preorderKey(path))).toBe(path);
  });

  it('tell subtrees finished before a cursor from the ancestors of the cursor', () => {
    const cursor = preorderKey('/b/c');
    expect(subtreeBefore(preorderKey('/a'), cursor)).toBe(true);
    expect(subtreeBefore(preorderKey('/a-z'), cursor)).toBe(true);
    expect(subtreeBefore(preorderKey('/b'), cursor)).toBe(false);
    expect(subtreeBefore(preorderKey('/b/c'), cursor)).toBe(false);
    expect(subtreeBefore(preorderKey('/b/d'), cursor)).toBe(false);
    expect(isInSubtree(preorderKey('/b/c/d'), preorderKey('/b'))).toBe(true);
    expect(isInSubtree(preorderKey('/bc'), preorderKey('/b'))).toBe(false);
  });
});

interface Item {
  key: string;
  path: string;
}

function treeWalker(
  tree: Map<string, string[]>,
  options: { concurrency: number; highWater?: number; delay?: () => number; fail?: string },
) {
  let inFlight = 0;
  let peak = 0;
  const visited: string[] = [];
  const childList = (parent: string, names: string[]): ChildList<Item> => ({
    length: names.length,
    keyAt: (i) => preorderKey(parent === '/' ? `/${names[i]}` : `${parent}/${names[i]}`),
    at: (i) => {
      const path = parent === '/' ? `/${names[i]}` : `${parent}/${names[i]}`;
      return { key: preorderKey(path), path };
    },
  });
  const walker = new TreeWalker<Item, string>({
    roots: [{ key: '', path: '/' }],
    concurrency: options.concurrency,
    lanes: 4,
    highWater: options.highWater,
    async visit(item) {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      visited.push(item.path);
      await new Promise((resolve) => setTimeout(resolve, options.delay?.() ?? 0));
      inFlight -= 1;
      if (item.path === options.fail) throw new Error(`cannot read ${item.path}`);
      return { result: item.path, children: childList(item.path, tree.get(item.path)!) };
    },
  });
  return { walker, visited, peak: () => peak };
}

/** The results the walker hands over before it fails with `error` (the failure is asserted). */
async function drainUntilFailure(walker: AsyncIterable<string>, error: string): Promise<string[]> {
  const seen: string[] = [];
  await expect(
    (async () => {
      for await (const path of walker) seen.push(path);
    })(),
  ).rejects.toThrow(error);
  return seen;
}

describe('TreeWalker', () => {
  it('visits every node once, parents before children, within its concurrency', async () => {
    const tree = randomTree(2000);
    const { walker, visited, peak } = treeWalker(tree, { concurrency: 16, delay: () => Math.random() * 2 });
    const seen: string[] = [];
    for await (const path of walker) seen.push(path);
    const position = new Map(seen.map((path, index) => [path, index]));
    const late = seen.filter(
      (path) =>
        path !== '/' && position.get(path.slice(0, path.lastIndexOf('/')) || '/')! > position.get(path)!,
    );
    expect(late).toEqual([]);
    expect(seen.sort()).toEqual([...tree.keys()].sort());
    expect(visited.length).toBe(tree.size);
    expect(peak()).toBeLessThanOrEqual(16);
    expect(peak()).toBeGreaterThan(1);
  });

  it('never leaves a key below lowestPendingKey untaken: a safe resume cursor at every moment', async () => {
    const tree = randomTree(1500, 11);
    const { walker } = treeWalker(tree, { concurrency: 32, delay: () => Math.random() * 3 });
    const taken = new Set<string>();
    const all = [...tree.keys()].map(preorderKey);
    const violations: string[] = [];
    let checks = 0;
    for (;;) {
      const path = walker.take();
      if (path === undefined) {
        if (walker.finished) break;
        await walker.ready();
        continue;
      }
      taken.add(preorderKey(path));
      const lowest = walker.lowestPendingKey();
      if (lowest === undefined) continue;
      checks += 1;
      for (const key of all) if (key < lowest && !taken.has(key)) violations.push(keyToPath(key));
    }
    expect(violations).toEqual([]);
    expect(checks).toBeGreaterThan(1000);
    expect(walker.lowestPendingKey()).toBeUndefined();
  });

  it('stops reading while results wait (backpressure), and resumes as they are taken', async () => {
    const tree = randomTree(300);
    const { walker, visited } = treeWalker(tree, { concurrency: 8, highWater: 10 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(walker.stats().queued).toBeLessThanOrEqual(10 + 8);
    const before = visited.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(visited.length).toBe(before);
    let count = 0;
    for await (const _ of walker) count += 1;
    expect(count).toBe(300);
  });

  it('pauses between visits and resumes', async () => {
    const tree = randomTree(200);
    const { walker, visited } = treeWalker(tree, { concurrency: 4, delay: () => 1 });
    walker.pause();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const paused = visited.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(visited.length).toBe(paused);
    walker.resume();
    let count = 0;
    for await (const _ of walker) count += 1;
    expect(count).toBe(200);
  });

  it('hands over the results it has, then the error of a failed visit', async () => {
    const tree = new Map([
      ['/', ['a', 'b']],
      ['/a', []],
      ['/b', []],
    ]);
    const { walker } = treeWalker(tree, { concurrency: 1, fail: '/b' });
    expect(await drainUntilFailure(walker, 'cannot read /b')).toEqual(['/', '/a']);
  });

  it("starts visits in pre-order: an earlier sibling's children before a later sibling's", async () => {
    const tree = new Map<string, string[]>([
      ['/', ['a', 'b']],
      ['/a', ['a1', 'a2', 'a3']],
      ['/b', ['b1', 'b2']],
    ]);
    // /b answers while /a's children are being visited: a stack of child lists (newest on top)
    // would then go to /b's children before /a's are done.
    const delays: Record<string, number> = { '/b': 30, '/a/a1': 60 };
    const started: string[] = [];
    const walker = new TreeWalker<{ key: string; path: string }, string>({
      roots: [{ key: '', path: '/' }],
      concurrency: 2,
      async visit(item) {
        started.push(item.path);
        await new Promise((resolve) => setTimeout(resolve, delays[item.path] ?? 0));
        const names = tree.get(item.path) ?? [];
        const child = (i: number) => (item.path === '/' ? `/${names[i]}` : `${item.path}/${names[i]}`);
        return {
          result: item.path,
          children: {
            length: names.length,
            keyAt: (i) => preorderKey(child(i)),
            at: (i) => ({ key: preorderKey(child(i)), path: child(i) }),
          },
        };
      },
    });
    for await (const _ of walker) {
      // drain
    }
    expect(started).toEqual(['/', '/a', '/b', '/a/a1', '/a/a2', '/a/a3', '/b/b1', '/b/b2']);
  });

  it('keeps a failed visit and the children not visited pending after the failure and a cancel', async () => {
    const tree = new Map<string, string[]>([
      ['/', ['a', 'b', 'c']],
      ['/a', []],
      ['/b', ['b1']],
      ['/b/b1', []],
      ['/c', []],
    ]);
    const { walker } = treeWalker(tree, { concurrency: 1, fail: '/b' });
    const seen = await drainUntilFailure(walker, 'cannot read /b');
    walker.cancel();
    expect(seen).toEqual(['/', '/a']);
    // /b failed and /c was never visited: a resume cursor must stay at /b, not run to the end.
    expect(walker.lowestPendingKey()).toBe(preorderKey('/b'));
  });

  it('walks 40,000 children of one parent without collapsing', async () => {
    const names = Array.from({ length: 40_000 }, (_, i) => `c${String(i).padStart(5, '0')}`);
    const tree = new Map<string, string[]>([
      ['/', names],
      ...names.map((name) => [`/${name}`, []] as [string, string[]]),
    ]);
    const started = Date.now();
    const { walker } = treeWalker(tree, { concurrency: 512 });
    let count = 0;
    for await (const _ of walker) count += 1;
    expect(count).toBe(40_001);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('IndexQueue', () => {
  it('is FIFO, iterates what it holds, and compacts', () => {
    const queue = new IndexQueue<number>();
    for (let i = 0; i < 5000; i += 1) queue.push(i);
    for (let i = 0; i < 4000; i += 1) expect(queue.shift()).toBe(i);
    expect(queue.length).toBe(1000);
    expect([...queue].slice(0, 3)).toEqual([4000, 4001, 4002]);
    queue.push(5000);
    expect([...queue].at(-1)).toBe(5000);
    while (queue.length > 0) queue.shift();
    expect(queue.shift()).toBeUndefined();
  });
});

/** A ZkSessionLike over an in-memory tree, counting requests; paths in `denied` answer NO_AUTH. */
function memorySession(tree: Map<string, string[]>, options: { chroot?: string; denied?: string[] } = {}) {
  const calls = { getData: 0, getChildren: 0, getACL: 0 };
  const stat = (path: string): ZkStatRaw => ({
    czxid: '0x1',
    mzxid: '0x1',
    pzxid: '0x1',
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: '0x0',
    dataLength: path.length,
    numChildren: tree.get(path)?.length ?? 0,
  });
  const check = (path: string) => {
    if (!tree.has(path)) throw new ZkError('NO_NODE', `${path} does not exist`, { path });
    if (options.denied?.includes(path))
      throw new ZkError('NO_AUTH', `Not authorized to read ${path}`, { path });
  };
  const session = Object.assign(new EventEmitter(), {
    chroot: options.chroot,
    async getData(path: string) {
      calls.getData += 1;
      check(path);
      return { data: Buffer.from(path), stat: stat(path) };
    },
    async getChildren(path: string) {
      calls.getChildren += 1;
      check(path);
      return { children: tree.get(path)!, stat: stat(path) };
    },
    async getACL(path: string) {
      calls.getACL += 1;
      check(path);
      return { acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }], stat: stat(path) };
    },
  });
  return { session: session as unknown as ZkSessionLike, calls };
}

describe('walkTree', () => {
  const tree = new Map<string, string[]>([
    ['/', ['app', 'zookeeper']],
    ['/app', ['locked', 'zookeeper']],
    ['/app/locked', []],
    ['/app/zookeeper', ['config']],
    ['/app/zookeeper/config', []],
    ['/zookeeper', ['quota']],
    ['/zookeeper/quota', []],
  ]);

  async function events(options: Parameters<typeof memorySession>[1] = {}) {
    const { session, calls } = memorySession(tree, options);
    const out: WalkEvent[] = [];
    for await (const event of walkTree({ sessions: [session], root: '/', withAcl: true })) out.push(event);
    return { out, calls };
  }

  it('lists children only where numChildren > 0, and reads each node once', async () => {
    const { out, calls } = await events();
    expect(calls.getData).toBe(5);
    expect(calls.getACL).toBe(5);
    expect(calls.getChildren).toBe(3);
    expect(out.every((event) => event.kind === 'node')).toBe(true);
  });

  it('leaves out /zookeeper at the ensemble root, walks a child named zookeeper anywhere else', async () => {
    const { out } = await events();
    const paths = out.map((event) => event.path).sort();
    expect(paths).toEqual(['/', '/app', '/app/locked', '/app/zookeeper', '/app/zookeeper/config']);
    const root = out.find((event) => event.path === '/');
    expect(root?.kind === 'node' && root.childCount).toBe(1);
  });

  it('walks /zookeeper under a chroot, where it is ordinary data', async () => {
    const { out } = await events({ chroot: '/pegasus' });
    expect(out.map((event) => event.path)).toContain('/zookeeper/quota');
  });

  it('reports a node it may not read, and goes on with the rest', async () => {
    const { out } = await events({ denied: ['/app/locked'] });
    expect(out.find((event) => event.path === '/app/locked')).toMatchObject({
      kind: 'unreadable',
      code: 'NO_AUTH',
    });
    expect(out.filter((event) => event.kind === 'node')).toHaveLength(4);
  });
});
