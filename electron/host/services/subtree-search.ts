/**
 * Search within a subtree, by path and/or content, as a stream of events.
 *
 * The walk is the copy engine's TreeWalker (bounded in-flight window, depth first over sorted child
 * lists, memory bounded by the queue, not the tree) with a visit that reads only what the search
 * needs: a path-only search lists children (one request per node, no data); a content search reads
 * the data and lists children only when the stat says there are some.
 *
 * With a bulk reader (electron/zk/bulk-read) the reads of a search go out as multiRead batches on
 * its own short-lived sessions: a path search over a node with 100,000 children is 100k
 * getChildren, which one session pays for one request at a time, and a multiRead pays for 128 at
 * once. A path-only search then reads a node's data (for its size and owner) only when it matches.
 *
 * Bounds: `maxNodes` nodes visited, `maxResults` matches; hitting either ends the walk with a note
 * saying so. A node deleted mid-walk is reported (`vanished`), a node the credentials cannot read
 * is reported (`unreadable`); neither ends the search. Cancelling (the subscriber going away) stops
 * new reads at once.
 */
import type { SearchEvent, SearchMatch, SearchRequest } from '../../../shared/api/subtree-search';
import { compilePathMatcher, compileRegex } from '../../../shared/path-match';
import { joinZkPath } from '../../../shared/zk-path';
import { isZkError } from '../../zk/errors';
import { type ChildList, isReservedPath, preorderKey, TreeWalker, type WalkItem } from '../../zk/tree-walker';
import type { ZkSessionLike, ZkStatRaw } from '../../zk/types';
import { countOf, noun } from '../../../shared/plural';

/** How often progress goes out, and how long matches wait to be sent together. */
const PROGRESS_EVERY_MS = 250;
const MATCH_BATCH = 200;
const SNIPPET_CONTEXT = 40;

interface SearchItem extends WalkItem {
  path: string;
}

/** The stat fields a match reports; both ZkSession's stat and the bulk reader's carry them. */
type NodeFacts = Pick<ZkStatRaw, 'dataLength' | 'numChildren' | 'ephemeralOwner'>;

/** The reads a search needs, as the bulk reader offers them. */
export interface SearchBulkReads {
  getData(path: string): Promise<{ data: Buffer; stat: NodeFacts }>;
  getChildren(path: string): Promise<{ children: string[] }>;
}

type Visit =
  | { kind: 'node'; path: string; stat: NodeFacts; data?: Buffer }
  | { kind: 'vanished'; path: string }
  | { kind: 'unreadable'; path: string; message: string };

export interface SubtreeSearchOptions {
  session: ZkSessionLike;
  /** More sessions to the same ensemble: visits are spread over all of them (one lane each). */
  extraSessions?: readonly ZkSessionLike[];
  request: SearchRequest;
  signal?: AbortSignal;
  /** Reads in flight over all sessions (default 128 per session, each session's window). */
  concurrency?: number;
  /** Whether the session's '/' is the ensemble root, where /zookeeper is ZooKeeper's own. */
  ensembleRoot?: boolean;
  /** Batched reads for the walk (multiRead); without it the sessions read one request at a time. */
  bulk?: SearchBulkReads;
}

/** Reads in flight through a bulk reader: each flush becomes about this / 128 multiReads. */
const BULK_CONCURRENCY = 1024;

/** Decides whether one node matches, and the snippet to show for a content match. */
export function buildNodeMatcher(
  request: Pick<SearchRequest, 'path' | 'content'>,
): (path: string, data: Buffer | undefined) => { matched: boolean; snippet?: string } {
  const pathTest = request.path
    ? unwrap(compilePathMatcher(request.path.mode, request.path.pattern, request.path), 'path.pattern')
    : undefined;
  const content = request.content;
  let contentTest: ((data: Buffer) => { index: number; length: number; text?: string } | null) | undefined;
  if (content?.mode === 'substring') {
    if (content.caseSensitive) {
      const needle = Buffer.from(content.pattern, 'utf8');
      contentTest = (data) => {
        const index = data.indexOf(needle);
        return index < 0 ? null : { index, length: needle.length };
      };
    } else {
      const needle = content.pattern.toLowerCase();
      contentTest = (data) => {
        const text = data.toString('utf8');
        const index = text.toLowerCase().indexOf(needle);
        return index < 0 ? null : { index, length: needle.length, text };
      };
    }
  } else if (content?.mode === 'regex') {
    const regex = unwrap(compileRegex(content.pattern, content), 'content.pattern');
    contentTest = (data) => {
      const text = data.toString('utf8');
      const match = regex.exec(text);
      return match ? { index: match.index, length: match[0].length, text } : null;
    };
  }
  return (path, data) => {
    if (pathTest && !pathTest(path)) return { matched: false };
    if (!contentTest) return { matched: true };
    if (!data) return { matched: false };
    const hit = contentTest(data);
    if (!hit) return { matched: false };
    return { matched: true, snippet: snippetAround(hit.text, data, hit.index, hit.length) };
  };
}

function unwrap<T>(compiled: { ok: true; value: T } | { ok: false; error: string }, field: string): T {
  if (!compiled.ok) throw new Error(`${field}: ${compiled.error}`);
  return compiled.value;
}

/**
 * The text around a match. `text` is the decoded data when the match index counts characters; without
 * it the index counts bytes (a byte-exact substring match) and only the window is decoded.
 */
function snippetAround(text: string | undefined, data: Buffer, index: number, length: number): string {
  let window: string;
  let before: boolean;
  let after: boolean;
  if (text !== undefined) {
    const start = Math.max(0, index - SNIPPET_CONTEXT);
    const end = Math.min(text.length, index + length + SNIPPET_CONTEXT);
    window = text.slice(start, end);
    before = start > 0;
    after = end < text.length;
  } else {
    const start = Math.max(0, index - SNIPPET_CONTEXT);
    const end = Math.min(data.length, index + length + SNIPPET_CONTEXT);
    window = data.subarray(start, end).toString('utf8');
    before = start > 0;
    after = end < data.length;
  }
  // One line: newlines and control characters would break the result row.
  let flat = '';
  for (const char of window) {
    const code = char.charCodeAt(0);
    flat += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return `${before ? '…' : ''}${flat}${after ? '…' : ''}`;
}

/** Runs one search; yields events until done, failed or cancelled (then it just ends). */
export async function* searchSubtree(options: SubtreeSearchOptions): AsyncGenerator<SearchEvent> {
  const { session, request, signal } = options;
  const lanes = [session, ...(options.extraSessions ?? [])];
  const started = Date.now();
  const matcher = buildNodeMatcher(request);
  const readData = request.content !== undefined;
  const ensembleRoot = options.ensembleRoot ?? !(session as { chroot?: string }).chroot;
  const item = (path: string): SearchItem => ({ key: preorderKey(path), path });

  const childList = (parent: string, names: string[]): ChildList<SearchItem> => ({
    length: names.length,
    keyAt: (index) => preorderKey(joinZkPath(parent, names[index] as string)),
    at: (index) => {
      const path = joinZkPath(parent, names[index] as string);
      return isReservedPath(path, ensembleRoot) ? undefined : item(path);
    },
  });

  const bulk = options.bulk;
  const pathOnlyMatches = request.path ? buildNodeMatcher({ path: request.path }) : undefined;
  const walker = new TreeWalker<SearchItem, Visit>({
    roots: [item(request.root)],
    concurrency: options.concurrency ?? (bulk ? BULK_CONCURRENCY : 128 * lanes.length),
    lanes: lanes.length,
    // Data of up to 1 MiB per node: keep what waits for the matcher bounded.
    byteBudget: 32 * 1024 * 1024,
    async visit({ path }, lane) {
      const session = lanes[lane % lanes.length] as ZkSessionLike;
      try {
        if (bulk && !readData) {
          const { children } = await bulk.getChildren(path);
          // Only a match needs the node's size and owner: its data is read, then dropped.
          const facts: NodeFacts = pathOnlyMatches?.(path, undefined).matched
            ? (await bulk.getData(path)).stat
            : { dataLength: 0, numChildren: children.length, ephemeralOwner: '0x0' };
          return {
            result: { kind: 'node', path, stat: { ...facts, numChildren: children.length } },
            children: childList(path, children),
          };
        }
        if (bulk) {
          const { data, stat } = await bulk.getData(path);
          const children = stat.numChildren > 0 ? (await bulk.getChildren(path)).children : [];
          return {
            result: { kind: 'node', path, stat, data },
            children: childList(path, children),
            bytes: data.length,
          };
        }
        if (!readData) {
          const { children, stat } = await session.getChildren(path);
          return { result: { kind: 'node', path, stat }, children: childList(path, children) };
        }
        const { data, stat } = await session.getData(path);
        const children = stat.numChildren > 0 ? (await session.getChildren(path)).children : [];
        return {
          result: { kind: 'node', path, stat, data },
          children: childList(path, children),
          bytes: data.length,
        };
      } catch (error) {
        if (isZkError(error) && error.code === 'NO_NODE') return { result: { kind: 'vanished', path } };
        if (isZkError(error) && error.code === 'NO_AUTH') {
          return { result: { kind: 'unreadable', path, message: error.message } };
        }
        throw error;
      }
    },
  });
  const onAbort = () => walker.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });

  let visited = 0;
  let matched = 0;
  let vanished = 0;
  let unreadable = 0;
  let rootMissing = false;
  let stoppedBy: 'max-nodes' | 'max-results' | null = null;
  let pending: SearchMatch[] = [];
  let lastProgress = Date.now();

  const progress = (): SearchEvent => ({
    type: 'progress',
    visited,
    matched,
    elapsedMs: Date.now() - started,
  });

  try {
    yield { type: 'started', root: request.root, maxNodes: request.maxNodes, maxResults: request.maxResults };
    for (;;) {
      if (signal?.aborted) return;
      let visit: Visit | undefined;
      try {
        visit = walker.take();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (pending.length > 0) yield { type: 'matches', items: pending, visited, matched };
        yield { type: 'failed', message: `The search stopped: ${message}`, visited, matched };
        return;
      }
      if (visit === undefined) {
        if (walker.finished) break;
        // Send what we have before waiting: matches should appear while the walk goes on.
        if (pending.length > 0) {
          yield { type: 'matches', items: pending, visited, matched };
          pending = [];
        }
        if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          yield progress();
        }
        await walker.ready();
        continue;
      }
      if (visit.kind === 'vanished') {
        if (visit.path === request.root) rootMissing = true;
        else {
          vanished += 1;
          yield { type: 'vanished', path: visit.path };
        }
        continue;
      }
      if (visit.kind === 'unreadable') {
        unreadable += 1;
        yield { type: 'unreadable', path: visit.path, message: visit.message };
        continue;
      }
      visited += 1;
      const outcome = matcher(visit.path, visit.data);
      if (outcome.matched) {
        matched += 1;
        const match: SearchMatch = {
          path: visit.path,
          dataLength: visit.stat.dataLength,
          numChildren: visit.stat.numChildren,
          ephemeral: visit.stat.ephemeralOwner !== '0x0',
        };
        if (outcome.snippet !== undefined) match.snippet = outcome.snippet;
        pending.push(match);
        if (pending.length >= MATCH_BATCH) {
          yield { type: 'matches', items: pending, visited, matched };
          pending = [];
        }
        if (matched >= request.maxResults) {
          stoppedBy = 'max-results';
          break;
        }
      }
      if (visited >= request.maxNodes) {
        // The bound is on what the operator asked to be read; only say so if something was left.
        if (walkerHasMore(walker)) stoppedBy = 'max-nodes';
        break;
      }
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        if (pending.length > 0) {
          yield { type: 'matches', items: pending, visited, matched };
          pending = [];
        }
        yield progress();
      }
    }
    walker.cancel();
    if (pending.length > 0) yield { type: 'matches', items: pending, visited, matched };
    yield {
      type: 'done',
      visited,
      matched,
      elapsedMs: Date.now() - started,
      stoppedBy,
      rootMissing,
      vanished,
      unreadable,
      note: noteFor({ request, stoppedBy, rootMissing, vanished, unreadable, visited }),
    };
  } finally {
    walker.cancel();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Whether anything is left to visit or take (the walk was not simply complete at the bound). */
function walkerHasMore(walker: TreeWalker<SearchItem, Visit>): boolean {
  const stats = walker.stats();
  return stats.queued > 0 || stats.inVisit > 0 || stats.pendingChildren > 0;
}

function noteFor(outcome: {
  request: SearchRequest;
  stoppedBy: 'max-nodes' | 'max-results' | null;
  rootMissing: boolean;
  vanished: number;
  unreadable: number;
  visited: number;
}): string | null {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const notes: string[] = [];
  if (outcome.rootMissing) {
    notes.push(`${outcome.request.root} does not exist (it may have been deleted): nothing was searched.`);
  }
  if (outcome.stoppedBy === 'max-nodes') {
    notes.push(
      `Stopped after ${fmt(outcome.request.maxNodes)} nodes (the node limit): the rest of the subtree was not searched. Search a smaller subtree or raise the limit.`,
    );
  }
  if (outcome.stoppedBy === 'max-results') {
    notes.push(
      `Stopped at ${fmt(outcome.request.maxResults)} matches (the result limit): there may be more. Narrow the pattern or raise the limit.`,
    );
  }
  if (outcome.vanished > 0) {
    notes.push(
      `${countOf(outcome.vanished, 'node')} ${noun(outcome.vanished, 'was', 'were')} deleted while the search ran: the subtree changed under it.`,
    );
  }
  if (outcome.unreadable > 0) {
    notes.push(
      `${countOf(outcome.unreadable, 'node')} could not be read (no permission): add a digest credential ${noun(outcome.unreadable, 'its', 'their')} ACL grants.`,
    );
  }
  return notes.length > 0 ? notes.join(' ') : null;
}
