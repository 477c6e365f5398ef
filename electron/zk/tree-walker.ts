/**
 * Streaming tree walks over several read sessions.
 *
 * Why this shape (zookeeper-reference.md, sections 1-3): reading, not writing, bounds a copy, and the
 * best read rate came from several sessions with a bounded window each (4 x 128), getChildren only
 * when `numChildren > 0`. Memory must not grow with the tree: children are kept as the sorted name
 * list their parent returned, walked through an index (never Array.shift()), depth first so finished
 * subtrees are left behind, and results wait in a bounded queue the consumer drains (backpressure).
 *
 * Which child list goes next: the one whose next key is smallest (the lists sit in a heap by that
 * key), i.e. the walk starts visits in pre-order. A stack of lists (newest on top) did not: a later
 * sibling's children, listed while an earlier sibling's were still being visited, went first and
 * buried the earlier list, so the lowest pending key (a copy's resume position, the point at which
 * a locked node's subtree counts as written) stood still until almost the end of the walk.
 *
 * `TreeWalker` is the scheduler, generic over what a visit reads (one tree, or a source and a target
 * side by side for a diff). `walkTree` is the plain walk of one ZooKeeper tree.
 *
 * Keys: every item has a pre-order key, its path with '/' replaced by U+0001, which sorts below any
 * character a ZooKeeper path may hold; comparing keys as strings then gives the order of a depth-first
 * walk over sorted children. `lowestPendingKey()` is the smallest key not yet handed to the consumer,
 * so everything before it in that order is finished: a resume cursor.
 */
import { isZkError } from './errors';
import { IndexQueue } from './index-queue';
import type { ZkAcl, ZkErrorCode, ZkSessionLike, ZkStatRaw } from './types';

export const KEY_SEPARATOR = '\u0001';

/** The pre-order key of a path ('/' and '' are the root, key ''). */
export function preorderKey(path: string): string {
  if (path === '/' || path === '') return '';
  return path.replaceAll('/', KEY_SEPARATOR);
}

/** The path of a pre-order key, with `root` for the empty key ('/' for absolute paths). */
export function keyToPath(key: string, root = '/'): string {
  return key === '' ? root : key.replaceAll(KEY_SEPARATOR, '/');
}

/** Whether `key` is `ancestorKey` or below it. */
export function isInSubtree(key: string, ancestorKey: string): boolean {
  return key === ancestorKey || key.startsWith(ancestorKey + KEY_SEPARATOR);
}

/**
 * Whether the whole subtree of `key` comes before `cursor` in pre-order, i.e. it was finished by a
 * walk that had reached `cursor`. Ancestors of the cursor are not finished: the cursor is inside them.
 */
export function subtreeBefore(key: string, cursor: string): boolean {
  return key < cursor && !cursor.startsWith(key + KEY_SEPARATOR);
}

export interface WalkItem {
  readonly key: string;
}

/** A parent's children, materialised one at a time; `at` returns undefined for a child to skip. */
export interface ChildList<T> {
  readonly length: number;
  keyAt(index: number): string;
  at(index: number): T | undefined;
}

export interface VisitOutcome<T, R> {
  /** What the consumer receives for this item (nothing: the item produced no result). */
  result?: R;
  children?: ChildList<T>;
  /** Bytes the result holds (data), for the memory budget. */
  bytes?: number;
}

export interface TreeWalkerOptions<T extends WalkItem, R> {
  roots: readonly T[];
  /** Upper bound on visits in flight (e.g. 4 sessions x 128). */
  concurrency: number;
  /** Visits are spread round-robin over this many lanes (one per session). */
  lanes?: number;
  /** Results waiting for the consumer before the walk stops starting visits (default 2 x concurrency). */
  highWater?: number;
  /**
   * Bytes of results held (queued plus estimated in flight) before the walk slows down (default
   * 64 MiB): 512 visits of 1 MiB nodes would otherwise hold half a gigabyte.
   */
  byteBudget?: number;
  visit(item: T, lane: number): Promise<VisitOutcome<T, R>>;
}

export interface TreeWalkerStats {
  visited: number;
  inVisit: number;
  queued: number;
  /** Children known but not visited yet. */
  pendingChildren: number;
}

interface Cursor<T> {
  list: ChildList<T>;
  next: number;
  /** list.keyAt(next), kept so the heap compares without building keys again. */
  key: string;
}

interface Queued<R> {
  key: string;
  result: R;
  bytes: number;
}

export class TreeWalker<T extends WalkItem, R> implements AsyncIterable<R> {
  /** Child lists with items left, as a min-heap by their next key. */
  private readonly cursors: Cursor<T>[] = [];
  private readonly inVisit = new Set<T>();
  private readonly output = new IndexQueue<Queued<R>>();
  private readonly concurrency: number;
  private readonly lanes: number;
  private readonly highWater: number;
  private readonly byteBudget: number;
  private readonly visitFn: (item: T, lane: number) => Promise<VisitOutcome<T, R>>;
  private outputBytes = 0;
  /** Moving average of result bytes, to size the window when nodes are large. */
  private averageBytes = 0;
  private nextLane = 0;
  private visitedCount = 0;
  private paused = false;
  private cancelled = false;
  private failure: { error: unknown } | undefined;
  /** The smallest key of a visit that failed: never done, so never passed by lowestPendingKey. */
  private failedKey: string | undefined;
  private waiters: (() => void)[] = [];

  constructor(options: TreeWalkerOptions<T, R>) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive whole number, got ${options.concurrency}`);
    }
    this.concurrency = options.concurrency;
    this.lanes = Math.max(1, options.lanes ?? 1);
    this.highWater = Math.max(1, options.highWater ?? options.concurrency * 2);
    this.byteBudget = Math.max(1, options.byteBudget ?? 64 * 1024 * 1024);
    this.visitFn = options.visit;
    const roots = options.roots.slice();
    this.addCursor({ length: roots.length, keyAt: (i) => roots[i]!.key, at: (i) => roots[i] });
    // Start on the next tick, so the caller can attach before the first results arrive.
    queueMicrotask(() => this.pump());
  }

  /** True once every item was visited and every result taken, or the walk failed or was cancelled. */
  get finished(): boolean {
    if (this.output.length > 0) return false;
    if (this.failure) return true;
    if (this.inVisit.size > 0) return false;
    return this.cancelled || this.cursors.length === 0;
  }

  stats(): TreeWalkerStats {
    let pendingChildren = 0;
    for (const cursor of this.cursors) pendingChildren += cursor.list.length - cursor.next;
    return {
      visited: this.visitedCount,
      inVisit: this.inVisit.size,
      queued: this.output.length,
      pendingChildren,
    };
  }

  /**
   * The next result, or undefined when none is ready (await `ready()` then). Throws the error of a
   * failed visit once the results before it were taken. Synchronous on purpose: a consumer that
   * registers the result elsewhere before its next await leaves no moment where the item is pending
   * nowhere (see lowestPendingKey).
   */
  take(): R | undefined {
    const queued = this.output.shift();
    if (queued) {
      this.outputBytes -= queued.bytes;
      this.pump();
      return queued.result;
    }
    if (this.failure) throw this.failure.error;
    return undefined;
  }

  /** Resolves when a result is ready, the walk ended, failed, or was resumed. */
  ready(): Promise<void> {
    if (this.output.length > 0 || this.finished) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops starting visits; those in flight finish and their results stay queued. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
    this.signal();
  }

  /** Stops for good: no more visits; results already queued can still be taken. */
  cancel(): void {
    this.cancelled = true;
    this.signal();
  }

  /**
   * The smallest key whose result the consumer has not taken yet: visits in flight, queued results,
   * children not visited (also after a cancel or a failure: they were not done), the visit that
   * failed. Undefined when nothing is pending.
   */
  lowestPendingKey(): string | undefined {
    let lowest: string | undefined;
    const consider = (key: string) => {
      if (lowest === undefined || key < lowest) lowest = key;
    };
    for (const item of this.inVisit) consider(item.key);
    for (const queued of this.output) consider(queued.key);
    // The heap's top holds the smallest next key of every list.
    const top = this.cursors[0];
    if (top) consider(top.key);
    if (this.failedKey !== undefined) consider(this.failedKey);
    return lowest;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    for (;;) {
      const result = this.take();
      if (result !== undefined) {
        yield result;
        continue;
      }
      if (this.finished) return;
      await this.ready();
    }
  }

  private effectiveConcurrency(): number {
    if (this.averageBytes <= 0) return this.concurrency;
    const fit = Math.floor(this.byteBudget / this.averageBytes);
    return Math.max(this.lanes, Math.min(this.concurrency, fit));
  }

  private nextItem(): T | undefined {
    const heap = this.cursors;
    while (heap.length > 0) {
      const top = heap[0]!;
      // The item first, then the next key: a list that builds keys once per index (pair-walk) is
      // asked for them in order.
      const item = top.list.at(top.next);
      top.next += 1;
      if (top.next < top.list.length) {
        top.key = top.list.keyAt(top.next);
        this.siftDown(0);
      } else {
        this.removeTop();
      }
      if (item !== undefined) return item;
    }
    return undefined;
  }

  private addCursor(list: ChildList<T>): void {
    if (list.length === 0) return;
    const heap = this.cursors;
    const cursor: Cursor<T> = { list, next: 0, key: list.keyAt(0) };
    let index = heap.length;
    heap.push(cursor);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.key <= cursor.key) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = cursor;
  }

  private removeTop(): void {
    const heap = this.cursors;
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return;
    heap[0] = last;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const heap = this.cursors;
    const cursor = heap[start]!;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.key < heap[left]!.key ? right : left;
      if (heap[child]!.key >= cursor.key) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = cursor;
  }

  private pump(): void {
    const limit = this.effectiveConcurrency();
    while (
      !this.paused &&
      !this.cancelled &&
      !this.failure &&
      this.inVisit.size < limit &&
      this.output.length < this.highWater &&
      this.outputBytes < this.byteBudget
    ) {
      const item = this.nextItem();
      if (item === undefined) break;
      this.start(item);
    }
    if (this.finished) this.signal();
  }

  private start(item: T): void {
    this.inVisit.add(item);
    const lane = this.nextLane;
    this.nextLane = (this.nextLane + 1) % this.lanes;
    let pending: Promise<VisitOutcome<T, R>>;
    try {
      pending = this.visitFn(item, lane);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (outcome) => {
        this.inVisit.delete(item);
        this.visitedCount += 1;
        const bytes = outcome.bytes ?? 0;
        this.averageBytes = this.averageBytes === 0 ? bytes : this.averageBytes * 0.95 + bytes * 0.05;
        if (outcome.children && outcome.children.length > 0 && !this.cancelled) {
          this.addCursor(outcome.children);
        }
        if (outcome.result !== undefined) {
          this.output.push({ key: item.key, result: outcome.result, bytes });
          this.outputBytes += bytes;
        }
        this.signal();
        this.pump();
      },
      (error: unknown) => {
        this.inVisit.delete(item);
        if (this.failedKey === undefined || item.key < this.failedKey) this.failedKey = item.key;
        if (!this.failure) this.failure = { error };
        this.signal();
      },
    );
  }

  private signal(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

// ------------------------------------------------------------------ the walk of one ZooKeeper tree

export type WalkEvent =
  | {
      kind: 'node';
      path: string;
      /** The exact bytes (empty for empty or null data). */
      data: Buffer;
      stat: ZkStatRaw;
      acl?: ZkAcl[];
      /** Children visited below this node (after skips). */
      childCount: number;
      /** The node's child names as listed (sorted, before skips): what a comparison needs. */
      childNames: readonly string[];
    }
  /** A node the session may not read (NO_AUTH): reported, never skipped silently. */
  | { kind: 'unreadable'; path: string; code: ZkErrorCode; message: string }
  /** Listed by its parent, deleted before it was read. */
  | { kind: 'vanished'; path: string };

export interface WalkTreeOptions {
  /** Read sessions; visits are spread over them. */
  sessions: readonly ZkSessionLike[];
  /** Absolute path of the subtree's root. */
  root: string;
  /** Also read each node's ACL (one more request per node). */
  withAcl?: boolean;
  /** Visits in flight over all sessions (default 128 per session). */
  concurrency?: number;
  /** Skip a node and its subtree. */
  skip?: (path: string) => boolean;
  /**
   * Whether the sessions' '/' is the ensemble root, where /zookeeper is ZooKeeper's own subtree
   * (default: true unless the first session has a chroot). A child named zookeeper anywhere else is
   * ordinary data and is walked.
   */
  ensembleRoot?: boolean;
  byteBudget?: number;
}

interface PathItem extends WalkItem {
  path: string;
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The reserved subtree: /zookeeper at the ensemble root only. */
export function isReservedPath(path: string, ensembleRoot: boolean): boolean {
  return ensembleRoot && (path === '/zookeeper' || path.startsWith('/zookeeper/'));
}

export function walkTree(options: WalkTreeOptions): TreeWalker<PathItem, WalkEvent> {
  const sessions = options.sessions;
  if (sessions.length === 0) throw new RangeError('walkTree needs at least one session');
  const ensembleRoot = options.ensembleRoot ?? !(sessions[0] as { chroot?: string | undefined }).chroot;
  const withAcl = options.withAcl ?? false;
  const skip = options.skip;
  const item = (path: string): PathItem => ({ key: preorderKey(path), path });

  const childList = (parent: string, names: string[]): ChildList<PathItem> => ({
    length: names.length,
    keyAt: (index) => preorderKey(joinPath(parent, names[index]!)),
    at: (index) => {
      const path = joinPath(parent, names[index]!);
      if (isReservedPath(path, ensembleRoot) || skip?.(path)) return undefined;
      return item(path);
    },
  });

  return new TreeWalker<PathItem, WalkEvent>({
    roots: [item(options.root)],
    concurrency: options.concurrency ?? 128 * sessions.length,
    lanes: sessions.length,
    byteBudget: options.byteBudget,
    async visit({ path }, lane) {
      const session = sessions[lane % sessions.length]!;
      try {
        const [{ data, stat }, aclResult] = await Promise.all([
          session.getData(path),
          withAcl ? session.getACL(path) : undefined,
        ]);
        let children: string[] = [];
        if (stat.numChildren > 0) children = (await session.getChildren(path)).children;
        const list = childList(path, children);
        let childCount = 0;
        for (let index = 0; index < children.length; index += 1) {
          const child = joinPath(path, children[index]!);
          if (!isReservedPath(child, ensembleRoot) && !skip?.(child)) childCount += 1;
        }
        const event: WalkEvent = { kind: 'node', path, data, stat, childCount, childNames: children };
        if (aclResult) event.acl = aclResult.acl;
        return { result: event, children: list, bytes: data.length };
      } catch (error) {
        if (isZkError(error) && error.code === 'NO_NODE') return { result: { kind: 'vanished', path } };
        if (isZkError(error) && error.code === 'NO_AUTH') {
          return { result: { kind: 'unreadable', path, code: error.code, message: error.message } };
        }
        throw error;
      }
    },
  });
}
