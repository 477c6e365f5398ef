/**
 * The live view's watches: one-shot ZooKeeper watches on exactly the nodes some renderer shows
 * (expanded nodes and open nodes), re-armed after each firing, never on a whole tree.
 *
 * - Each renderer (client id) declares its watch set per connection; the hub watches the union.
 * - Every watched node gets an exists-watch (data changed, deleted, created); expanded nodes also a
 *   child watch. The read that re-arms a watch also yields the stat the change event carries.
 * - Child watches re-arm after a short pause, so a burst of child changes on a node with 100k
 *   children costs one re-read, not one per change; the event goes out after the re-read.
 *   Whichever read re-arms a fired child watch first (the pause ending, a watch-set update, a
 *   reconnect, the exists-watch firing) sends the pending event: the others find the watch armed.
 * - Dropping a watch is client-side: ZooKeeper (3.4 API, as this client speaks it) cannot remove one,
 *   so the server's watch fires once more, finds no entry, and is ignored.
 * - After a session expiry every server watch is gone: on the new session everything is re-armed and
 *   compared with the last stat seen, so a change made while nothing watched is still reported
 *   (marked `missed`). Within one session the client library re-registers watches on reconnect.
 */
import { EventEmitter } from 'node:events';
import type { NodeChangeEvent, NodeChangeKind, SetWatchesResult } from '../../../shared/api/node-watch';
import type { SessionStateEvent } from '../../../shared/api/zk-node';
import { isZkError } from '../../zk/errors';
import type { ZkStatRaw } from '../../zk/types';
import { asWatchSession, type WatchEvent, type ZkWatchSession, type ZkWatcher } from '../../zk/watch';
import type { SessionRegistry } from './session-registry';

export interface WatchSetInput {
  connectionId: string;
  clientId: string;
  expanded: readonly string[];
  open: readonly string[];
  /** Return the stat of every path, not only the added ones (the client may have missed events). */
  resync?: boolean;
}

export interface NodeWatchHubOptions {
  /** Pause before re-reading a child list after it changed (default 150 ms). */
  childCoalesceMs?: number;
  /** A client with no live event stream for this long is forgotten (default 60 s). */
  idleClientMs?: number;
}

interface ClientWatchSet {
  expanded: Set<string>;
  open: Set<string>;
}

interface ClientState {
  attached: number;
  idleTimer?: NodeJS.Timeout;
  byConnection: Map<string, ClientWatchSet>;
}

interface WatchEntry {
  readonly path: string;
  /** Whether some client shows this node's children (an exists-watch is always wanted). */
  children: boolean;
  /** Last stat seen: undefined before the first read, null while the node does not exist. */
  stat: ZkStatRaw | null | undefined;
  existsArmed: boolean;
  childrenArmed: boolean;
  /** The child watch fired with a child change not yet reported: the next re-arm reports it. */
  childrenChanged: boolean;
  childTimer?: NodeJS.Timeout;
  readonly onExists: ZkWatcher;
  readonly onChildren: ZkWatcher;
}

interface ConnectionWatches {
  session?: ZkWatchSession;
  sessionId?: string;
  entries: Map<string, WatchEntry>;
}

export class NodeWatchHub {
  /** Emits 'change' with a NodeChangeEvent. */
  readonly events = new EventEmitter();
  private readonly clients = new Map<string, ClientState>();
  private readonly connections = new Map<string, ConnectionWatches>();
  private readonly childCoalesceMs: number;
  private readonly idleClientMs: number;
  private readonly onSessionState = (event: SessionStateEvent) => this.sessionChanged(event);
  private closed = false;

  constructor(
    private readonly sessions: SessionRegistry,
    options: NodeWatchHubOptions = {},
  ) {
    this.childCoalesceMs = options.childCoalesceMs ?? 150;
    this.idleClientMs = options.idleClientMs ?? 60_000;
    this.events.setMaxListeners(100);
    sessions.events.on('state', this.onSessionState);
  }

  /** Replaces one client's watch set on one connection; resolves once the new watches are armed. */
  async set(input: WatchSetInput): Promise<SetWatchesResult> {
    const client = this.client(input.clientId);
    const open = new Set(input.open);
    const expanded = new Set(input.expanded);
    const before = client.byConnection.get(input.connectionId);
    if (open.size === 0 && expanded.size === 0) client.byConnection.delete(input.connectionId);
    else client.byConnection.set(input.connectionId, { expanded, open });
    if (client.attached === 0) this.scheduleIdle(input.clientId, client);
    const failed = await this.reconcile(input.connectionId);
    const entries = this.connections.get(input.connectionId)?.entries;
    const armed: SetWatchesResult['armed'] = [];
    for (const path of new Set([...open, ...expanded])) {
      if (!input.resync && (before?.open.has(path) || before?.expanded.has(path))) continue;
      const entry = entries?.get(path);
      if (entry?.existsArmed) armed.push({ path, stat: entry.stat ?? null });
    }
    return {
      watching: new Set([...open, ...expanded]).size,
      armed,
      failed: failed.filter((failure) => open.has(failure.path) || expanded.has(failure.path)),
    };
  }

  /** Marks a client's event stream live; the returned function ends it (the set is kept for a while). */
  attach(clientId: string): () => void {
    const client = this.client(clientId);
    client.attached += 1;
    clearTimeout(client.idleTimer);
    let detached = false;
    return () => {
      if (detached) return;
      detached = true;
      client.attached -= 1;
      if (client.attached === 0) this.scheduleIdle(clientId, client);
    };
  }

  /** Whether a client watches the node an event is about. */
  wants(clientId: string, event: NodeChangeEvent): boolean {
    const set = this.clients.get(clientId)?.byConnection.get(event.connectionId);
    return !!set && (set.open.has(event.path) || set.expanded.has(event.path));
  }

  /** What is watched on a connection (for tests and diagnostics). */
  watched(connectionId: string): { path: string; children: boolean; armed: boolean }[] {
    const entries = this.connections.get(connectionId)?.entries ?? new Map<string, WatchEntry>();
    return [...entries.values()].map((entry) => ({
      path: entry.path,
      children: entry.children,
      armed: entry.existsArmed && (!entry.children || entry.childrenArmed || entry.stat === null),
    }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sessions.events.off('state', this.onSessionState);
    for (const client of this.clients.values()) clearTimeout(client.idleTimer);
    for (const connection of this.connections.values()) {
      for (const entry of connection.entries.values()) clearTimeout(entry.childTimer);
    }
    this.clients.clear();
    this.connections.clear();
    this.events.removeAllListeners();
  }

  // ---------------------------------------------------------------- the watch set

  private client(clientId: string): ClientState {
    let client = this.clients.get(clientId);
    if (!client) {
      client = { attached: 0, byConnection: new Map() };
      this.clients.set(clientId, client);
    }
    return client;
  }

  private scheduleIdle(clientId: string, client: ClientState): void {
    clearTimeout(client.idleTimer);
    client.idleTimer = setTimeout(() => {
      if (client.attached > 0 || this.clients.get(clientId) !== client) return;
      this.clients.delete(clientId);
      for (const connectionId of client.byConnection.keys()) void this.reconcile(connectionId);
    }, this.idleClientMs);
    client.idleTimer.unref();
  }

  /** The union of every client's set on a connection: path -> whether its children are shown. */
  private wanted(connectionId: string): Map<string, boolean> {
    const union = new Map<string, boolean>();
    for (const client of this.clients.values()) {
      const set = client.byConnection.get(connectionId);
      if (!set) continue;
      for (const path of set.open) if (!union.has(path)) union.set(path, false);
      for (const path of set.expanded) union.set(path, true);
    }
    return union;
  }

  /** Brings the armed entries of a connection in line with the wanted union. */
  private async reconcile(connectionId: string): Promise<{ path: string; message: string }[]> {
    if (this.closed) return [];
    const connection = this.connection(connectionId);
    const wanted = this.wanted(connectionId);
    for (const [path, entry] of connection.entries) {
      if (!wanted.has(path)) {
        clearTimeout(entry.childTimer);
        connection.entries.delete(path);
      }
    }
    for (const [path, children] of wanted) {
      const entry = connection.entries.get(path);
      if (!entry) connection.entries.set(path, this.newEntry(connectionId, path, children));
      else if (entry.children !== children) {
        entry.children = children;
        if (!children) {
          // Its children are no longer shown: nothing to re-read or report about them.
          entry.childrenArmed = false;
          entry.childrenChanged = false;
          clearTimeout(entry.childTimer);
        }
      }
    }
    // A session adopted here is new to the hub (opened again after a close): compare with what was seen.
    const fresh = !connection.session && this.adoptSession(connectionId, connection);
    return this.armPending(connectionId, connection, fresh);
  }

  private connection(connectionId: string): ConnectionWatches {
    let connection = this.connections.get(connectionId);
    if (!connection) {
      connection = { entries: new Map() };
      this.connections.set(connectionId, connection);
    }
    return connection;
  }

  private newEntry(connectionId: string, path: string, children: boolean): WatchEntry {
    const entry: WatchEntry = {
      path,
      children,
      stat: undefined,
      existsArmed: false,
      childrenArmed: false,
      childrenChanged: false,
      onExists: (event) => this.existsFired(connectionId, entry, event),
      onChildren: (event) => this.childrenFired(connectionId, entry, event),
    };
    return entry;
  }

  /** True when `entry` is still the live entry for its path (not dropped, not replaced). */
  private isLive(connectionId: string, entry: WatchEntry): boolean {
    return !this.closed && this.connections.get(connectionId)?.entries.get(entry.path) === entry;
  }

  // ---------------------------------------------------------------- sessions

  /** Takes the registry's current session; true when it is a different session than before. */
  private adoptSession(connectionId: string, connection: ConnectionWatches): boolean {
    const current = this.sessions.current(connectionId);
    if (current?.state !== 'connected') return false;
    const session = asWatchSession(current);
    const fresh = session !== connection.session || session.sessionId !== connection.sessionId;
    connection.session = session;
    connection.sessionId = session.sessionId;
    return fresh;
  }

  private sessionChanged(event: SessionStateEvent): void {
    const connection = this.connections.get(event.connectionId);
    if (!connection) return;
    if (event.state === 'closed' || event.state === 'expired') {
      // The server dropped every watch of that session.
      connection.session = undefined;
      connection.sessionId = undefined;
      for (const entry of connection.entries.values()) {
        entry.existsArmed = false;
        entry.childrenArmed = false;
      }
      return;
    }
    if (event.state !== 'connected') return;
    const fresh = this.adoptSession(event.connectionId, connection);
    if (fresh) {
      for (const entry of connection.entries.values()) {
        entry.existsArmed = false;
        entry.childrenArmed = false;
      }
    }
    void this.armPending(event.connectionId, connection, fresh);
  }

  // ---------------------------------------------------------------- arming

  /** Arms every entry whose watches are not set; `compare` reports changes since the last stat seen. */
  private async armPending(
    connectionId: string,
    connection: ConnectionWatches,
    compare: boolean,
  ): Promise<{ path: string; message: string }[]> {
    const session = connection.session;
    if (!session) return [];
    const failed: { path: string; message: string }[] = [];
    await Promise.all(
      [...connection.entries.values()].map(async (entry) => {
        if (entry.existsArmed && (!entry.children || entry.childrenArmed || entry.stat === null)) return;
        try {
          const before = entry.stat;
          const stat = entry.existsArmed ? entry.stat : await this.armExists(session, entry);
          if (!this.isLive(connectionId, entry)) return;
          if (entry.children && stat && !entry.childrenArmed)
            await this.armChildren(connectionId, session, entry);
          if (compare && before !== undefined && this.isLive(connectionId, entry)) {
            this.reportMissed(connectionId, entry, before, entry.stat ?? null);
          }
        } catch (error) {
          failed.push({ path: entry.path, message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
    return failed;
  }

  private async armExists(session: ZkWatchSession, entry: WatchEntry): Promise<ZkStatRaw | null> {
    const stat = await session.existsWatch(entry.path, entry.onExists);
    entry.stat = stat;
    entry.existsArmed = true;
    return stat;
  }

  /**
   * Arms the child watch; a node deleted in between is left to its exists-watch to report. When the
   * previous child watch fired with a change nobody reported yet, this read is the one that sees the
   * new list, so it sends the event (and ends the pause): otherwise a re-arm from elsewhere during
   * the pause would leave the pause's end nothing to do, and the change would never reach a client.
   */
  private async armChildren(
    connectionId: string,
    session: ZkWatchSession,
    entry: WatchEntry,
  ): Promise<ZkStatRaw | null> {
    const changed = entry.childrenChanged;
    entry.childrenChanged = false;
    // This read replaces the pause's; a pause started by the new watch firing meanwhile is kept.
    if (changed) clearTimeout(entry.childTimer);
    try {
      const { stat } = await session.getChildrenWatch(entry.path, entry.onChildren);
      entry.childrenArmed = true;
      entry.stat = stat;
      if (changed && this.isLive(connectionId, entry) && entry.children) {
        this.emit(connectionId, entry.path, 'children-changed', stat, false);
      }
      return stat;
    } catch (error) {
      if (isZkError(error) && error.code === 'NO_NODE') return null;
      // Still unreported: the re-arm after the connection recovers sends it.
      if (changed) entry.childrenChanged = true;
      throw error;
    }
  }

  private reportMissed(
    connectionId: string,
    entry: WatchEntry,
    before: ZkStatRaw | null,
    after: ZkStatRaw | null,
  ): void {
    if (before && !after) this.emit(connectionId, entry.path, 'deleted', null, true);
    else if (!before && after) this.emit(connectionId, entry.path, 'created', after, true);
    else if (before && after) {
      if (before.czxid !== after.czxid) {
        // Deleted and created again while nothing watched: both the data and the children are new.
        this.emit(connectionId, entry.path, 'data-changed', after, true);
        this.emit(connectionId, entry.path, 'children-changed', after, true);
        return;
      }
      if (before.mzxid !== after.mzxid) this.emit(connectionId, entry.path, 'data-changed', after, true);
      if (before.pzxid !== after.pzxid) this.emit(connectionId, entry.path, 'children-changed', after, true);
    }
  }

  // ---------------------------------------------------------------- firings

  private existsFired(connectionId: string, entry: WatchEntry, event: WatchEvent): void {
    entry.existsArmed = false;
    if (!this.isLive(connectionId, entry)) return;
    const session = this.connections.get(connectionId)?.session;
    if (!session) return;
    const kind: NodeChangeKind =
      event.kind === 'children-changed' ? 'data-changed' : (event.kind as NodeChangeKind);
    if (kind === 'deleted') {
      // The node and its child list are gone: 'deleted' says it all (a creation reports children).
      entry.childrenArmed = false;
      entry.childrenChanged = false;
      clearTimeout(entry.childTimer);
    }
    void (async () => {
      try {
        const stat = await this.armExists(session, entry);
        if (!this.isLive(connectionId, entry)) return;
        this.emit(connectionId, entry.path, kind, stat, false);
        if (stat && entry.children && !entry.childrenArmed) {
          const before = entry.stat;
          await this.armChildren(connectionId, session, entry);
          // Created again with children, or children changed while the child watch was down.
          if (kind === 'created' && this.isLive(connectionId, entry) && (entry.stat?.numChildren ?? 0) > 0) {
            this.emit(connectionId, entry.path, 'children-changed', entry.stat ?? before ?? null, false);
          }
        }
      } catch {
        // Connection trouble: the next 'connected' re-arms whatever is not armed.
      }
    })();
  }

  private childrenFired(connectionId: string, entry: WatchEntry, event: WatchEvent): void {
    entry.childrenArmed = false;
    // A deletion is reported by the exists-watch, which fires for it too.
    if (event.kind !== 'children-changed' || !this.isLive(connectionId, entry) || !entry.children) return;
    entry.childrenChanged = true;
    clearTimeout(entry.childTimer);
    entry.childTimer = setTimeout(() => {
      const session = this.connections.get(connectionId)?.session;
      // Re-armed meanwhile (watch-set update, reconnect, exists-watch): that read sent the event.
      if (!session || !this.isLive(connectionId, entry) || entry.childrenArmed) return;
      // Connection trouble: the next 'connected' re-arms it and sends the pending event then.
      void this.armChildren(connectionId, session, entry).catch(() => undefined);
    }, this.childCoalesceMs);
    entry.childTimer.unref();
  }

  private emit(
    connectionId: string,
    path: string,
    kind: NodeChangeKind,
    stat: ZkStatRaw | null,
    missed: boolean,
  ): void {
    const event: NodeChangeEvent = { connectionId, path, kind, stat, missed, at: Date.now() };
    this.events.emit('change', event);
  }
}
