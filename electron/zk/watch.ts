/**
 * ZooKeeper's one-shot watches as the app sees them: a kind and a path, never the client library's
 * Event objects. A watch fires at most once; whoever wants to keep watching reads again with a new
 * watch (the read and the watch are one request, so no change between them is missed).
 *
 * What ZooKeeper fires (and node-zookeeper-client routes):
 * - a watch set by `exists` on a node that exists fires on data-changed or deleted; on a missing node
 *   it fires on created;
 * - a watch set by `getChildren` fires on children-changed or deleted.
 *
 * Within one session the client re-registers its watches after a reconnect (SetWatches). After a
 * session expiry every watch is gone: the caller re-arms on the new session.
 */
import { ZkError } from './errors';
import type { ZkSessionLike, ZkStatRaw } from './types';

export type WatchEventKind = 'created' | 'deleted' | 'data-changed' | 'children-changed';

export interface WatchEvent {
  kind: WatchEventKind;
  path: string;
}

export type ZkWatcher = (event: WatchEvent) => void;

/** The read-and-watch surface; ZkSession implements it. */
export interface ZkWatchSession extends ZkSessionLike {
  /** The node's stat (null when missing) and a watch for its next data change, deletion or creation. */
  existsWatch(path: string, watcher: ZkWatcher): Promise<ZkStatRaw | null>;
  /** The sorted child names and a watch for the next change of the child list or deletion. */
  getChildrenWatch(path: string, watcher: ZkWatcher): Promise<{ children: string[]; stat: ZkStatRaw }>;
}

/** node-zookeeper-client's Event.type numbers (lib/Event.js). */
const KIND_BY_CLIENT_TYPE: Readonly<Record<number, WatchEventKind>> = {
  1: 'created',
  2: 'deleted',
  3: 'data-changed',
  4: 'children-changed',
};

/** The WatchEventKind of one of node-zookeeper-client's Event.type numbers. */
export function watchEventKind(clientType: number): WatchEventKind | undefined {
  return KIND_BY_CLIENT_TYPE[clientType];
}

/** Narrows a session to the watch surface, with a message instead of "existsWatch is not a function". */
export function asWatchSession(session: ZkSessionLike): ZkWatchSession {
  const candidate = session as Partial<ZkWatchSession>;
  if (typeof candidate.existsWatch !== 'function' || typeof candidate.getChildrenWatch !== 'function') {
    throw new ZkError(
      'BAD_ARGUMENTS',
      'This ZooKeeper session cannot set watches (it is not a ZkSession); the live view needs one',
    );
  }
  return session as ZkWatchSession;
}
