/**
 * One logical ZooKeeper connection for the app: a promise API over node-zookeeper-client that
 * survives socket drops (same session) and session expiry (a new client, same ZkSession object).
 *
 * Every request goes through a bounded in-flight window, has a deadline, and is only handed to the
 * client while connected: requests queued inside the client during a disconnect would be sent on
 * reconnect ahead of the re-sent auth packets (auth is per connection), and would be lost without a
 * callback if the session expired.
 */
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import zookeeper from 'node-zookeeper-client';
import { type ParsedConnectString, parseConnectString } from '../../shared/connect-string';
import { validateZkPath } from '../../shared/zk-path';
import { fromClientAcl, OPEN_ACL_UNSAFE, parseDigestCredential, toClientAcl, validateAcl } from './acl';
import {
  formatDuration,
  isReadOperation,
  operationVerb,
  toZkError,
  unreachableMessage,
  ZkError,
  type ZkErrorContext,
} from './errors';
import { FrameSplitter } from './frame-splitter';
import { InFlightWindow } from './in-flight-window';
import {
  type MultiOp,
  type MultiResult,
  multiOpBytes,
  multiRequestBytes,
  type ZkWriteSession,
} from './multi';
import { commitMulti, toMultiResult } from './multi-client';
import { type ClientStat, longToHex, toStatView } from './stat';
import type { CreateMode, SessionState, ZkAcl, ZkSessionOptions, ZkStatRaw } from './types';
import { watchEventKind, type ZkWatcher, type ZkWatchSession } from './watch';

/** node-zookeeper-client refuses larger data (DATA_SIZE_LIMIT in its index.js). */
export const MAX_DATA_BYTES = 1_048_576;
/**
 * ZooKeeper's default jute.maxbuffer, which bounds a whole request packet. A larger request makes
 * the server drop the connection, failing every other request in flight on it, so it is refused here
 * (measured on 3.8: a create of /bound-abc with 1,048,518 bytes passes, one byte more drops).
 */
export const MAX_REQUEST_BYTES = 1_048_575;
export const DEFAULT_MAX_IN_FLIGHT = 128;

const CREATE_MODES: Readonly<Record<CreateMode, number>> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  'persistent-sequential': zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  'ephemeral-sequential': zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

/** ConnectionManager.STATES in node-zookeeper-client's lib/ConnectionManager.js. */
const CM = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
  CONNECTED_READ_ONLY: 3,
  CLOSING: -1,
  CLOSED: -2,
} as const;

/** The few internals of the client this file relies on; see the comments where each is used. */
interface ConnectionManagerInternals {
  state?: number;
  sessionTimeout?: number;
  socket?: net.Socket;
  servers?: { host: string; port: number }[];
  onSocketData?: (this: unknown, buffer: Buffer) => void;
}

function internalsOf(client: zookeeper.Client): ConnectionManagerInternals | undefined {
  return (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
}

type Callback<T> = (error: unknown, result?: T) => void;
type Sender<T> = (client: zookeeper.Client, done: Callback<T>) => void;

interface Outstanding {
  generation: number;
  fail: (error: ZkError) => void;
}

interface StateWaiter {
  wake: () => void;
}

export interface ZkSessionStats {
  maxInFlight: number;
  /** Requests holding a window slot (waiting for the connection or sent). */
  inFlight: number;
  /** Requests waiting for a window slot. */
  queued: number;
  /** Requests handed to the client and not answered yet. */
  outstanding: number;
  /** Highest `outstanding` since the session was opened. */
  peakOutstanding: number;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function shuffle<T>(items: T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Wraps an app watcher for the client. The client keeps one listener per function and path, so the
 * wrapper is cached on the app's function: re-arming with the same function never stacks listeners.
 */
const clientWatchers = new WeakMap<ZkWatcher, (event: zookeeper.Event) => void>();
function clientWatcher(watcher: ZkWatcher): (event: zookeeper.Event) => void {
  let listener = clientWatchers.get(watcher);
  if (!listener) {
    listener = (event: zookeeper.Event) => {
      const kind = watchEventKind(event.getType());
      if (kind) watcher({ kind, path: event.getPath() });
    };
    clientWatchers.set(watcher, listener);
  }
  return listener;
}

export class ZkSession extends EventEmitter implements ZkWriteSession, ZkWatchSession {
  private readonly options: Required<Omit<ZkSessionOptions, 'digestAuth'>> & { digestAuth: string[] };
  private readonly parsed: ParsedConnectString;
  private readonly hostsText: string;
  private readonly window: InFlightWindow;
  private client: zookeeper.Client | undefined;
  private generation = 0;
  private currentState: SessionState = 'connecting';
  private currentSessionId: string | undefined;
  private closing = false;
  private readonly stateWaiters = new Set<StateWaiter>();
  private readonly outstanding = new Set<Outstanding>();
  private peakOutstanding = 0;
  private lastActivity = Date.now();
  private lastSocket: net.Socket | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** Whether lastActivity is fed by the socket; without it the watchdog would kill live connections. */
  private activityTracked = false;
  /** The socket corked until the loop is idle (see coalesceWrites). */
  private corkedSocket: net.Socket | undefined;

  private constructor(options: ZkSessionOptions) {
    super();
    const parsed = parseConnectString(options.connectString);
    if (!parsed.ok) throw new ZkError('BAD_ARGUMENTS', parsed.error);
    for (const [name, value] of [
      ['sessionTimeoutMs', options.sessionTimeoutMs],
      ['connectTimeoutMs', options.connectTimeoutMs],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new ZkError('BAD_ARGUMENTS', `${name} must be a positive number of milliseconds, got ${value}`);
      }
    }
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new ZkError('BAD_ARGUMENTS', `maxInFlight must be a positive whole number, got ${maxInFlight}`);
    }
    const digestAuth = options.digestAuth ?? [];
    for (const credential of digestAuth) parseDigestCredential(credential);
    this.parsed = parsed.value;
    this.hostsText = parsed.value.hosts.map((h) => `${h.host}:${h.port}`).join(',');
    this.options = {
      connectString: parsed.value.normalized,
      sessionTimeoutMs: options.sessionTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      maxInFlight,
      digestAuth,
    };
    this.window = new InFlightWindow(this.options.maxInFlight);
  }

  /**
   * Opens a session and resolves once connected. Rejects with UNREACHABLE after connectTimeoutMs,
   * with AUTH_FAILED when the server refuses the credentials, BAD_ARGUMENTS for bad options.
   */
  static async connect(options: ZkSessionOptions): Promise<ZkSession> {
    const session = new ZkSession(options);
    await session.open();
    return session;
  }

  get state(): SessionState {
    return this.currentState;
  }

  get sessionId(): string | undefined {
    return this.currentSessionId;
  }

  /** The chroot of the connect string ('/pegasus'), or undefined when paths start at the ensemble root. */
  get chroot(): string | undefined {
    return this.parsed.chroot;
  }

  /** The normalized connect string this session uses. */
  get connectString(): string {
    return this.options.connectString;
  }

  stats(): ZkSessionStats {
    const window = this.window.stats();
    return {
      maxInFlight: window.limit,
      inFlight: window.inFlight,
      queued: window.waiting,
      outstanding: this.outstanding.size,
      peakOutstanding: this.peakOutstanding,
    };
  }

  // ---------------------------------------------------------------- requests

  async exists(path: string): Promise<ZkStatRaw | null> {
    return this.execute<ZkStatRaw | null>({ operation: 'exists', path }, true, (client, done) =>
      client.exists(path, (error, stat) => done(error, stat ? toStatView(stat as ClientStat) : null)),
    );
  }

  async getData(path: string): Promise<{ data: Buffer; stat: ZkStatRaw }> {
    return this.execute({ operation: 'getData', path }, true, (client, done) =>
      client.getData(path, (error, data, stat) => {
        if (error) return done(error);
        // Empty data comes back as undefined (length -1 on the wire) or a zero-length Buffer.
        done(null, {
          data: Buffer.isBuffer(data) ? data : Buffer.alloc(0),
          stat: toStatView(stat as ClientStat),
        });
      }),
    );
  }

  async getChildren(path: string): Promise<{ children: string[]; stat: ZkStatRaw }> {
    return this.execute({ operation: 'getChildren', path }, true, (client, done) =>
      client.getChildren(path, (error, children, stat) => {
        if (error) return done(error);
        // The server returns children in hash order; callers page and diff by name.
        const sorted = (children ?? []).slice().sort();
        done(null, { children: sorted, stat: toStatView(stat as ClientStat) });
      }),
    );
  }

  /** exists() plus a one-shot watch (see watch.ts); the watch is registered only if the read succeeds. */
  async existsWatch(path: string, watcher: ZkWatcher): Promise<ZkStatRaw | null> {
    const listener = clientWatcher(watcher);
    return this.execute<ZkStatRaw | null>({ operation: 'exists', path }, true, (client, done) =>
      client.exists(path, listener, (error, stat) =>
        done(error, stat ? toStatView(stat as ClientStat) : null),
      ),
    );
  }

  /** getChildren() plus a one-shot watch on the child list (see watch.ts). */
  async getChildrenWatch(path: string, watcher: ZkWatcher): Promise<{ children: string[]; stat: ZkStatRaw }> {
    const listener = clientWatcher(watcher);
    return this.execute({ operation: 'getChildren', path }, true, (client, done) =>
      client.getChildren(path, listener, (error, children, stat) => {
        if (error) return done(error);
        const sorted = (children ?? []).slice().sort();
        done(null, { children: sorted, stat: toStatView(stat as ClientStat) });
      }),
    );
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZkStatRaw }> {
    return this.execute({ operation: 'getACL', path }, true, (client, done) =>
      client.getACL(path, (error, acls, stat) => {
        if (error) return done(error);
        done(null, { acl: (acls ?? []).map(fromClientAcl), stat: toStatView(stat as ClientStat) });
      }),
    );
  }

  /** Resolves with the created path (sequential modes append the counter). */
  async create(
    path: string,
    data: Buffer,
    options: { acl?: ZkAcl[]; mode?: CreateMode } = {},
  ): Promise<string> {
    const context: ZkErrorContext = { operation: 'create', path };
    this.checkPath(context);
    this.checkData(data, context);
    const mode = options.mode ?? 'persistent';
    const flags = CREATE_MODES[mode];
    if (flags === undefined) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `Unknown create mode '${String(mode)}': use ${Object.keys(CREATE_MODES).join(', ')}`,
        {
          path,
        },
      );
    }
    const acl = options.acl ?? [...OPEN_ACL_UNSAFE];
    validateAcl(acl);
    const clientAcl = acl.map(toClientAcl);
    // header + path + data + ACL vector (perms, scheme, id per entry) + flags
    const aclBytes = acl.reduce(
      (sum, entry) => sum + 4 + 4 + utf8Length(entry.scheme) + 4 + utf8Length(entry.id),
      4,
    );
    this.checkRequestSize(
      8 + 4 + this.serverPathLength(path) + 4 + data.length + aclBytes + 4,
      data,
      context,
    );
    return this.execute<string>(context, false, (client, done) =>
      client.create(path, data, clientAcl, flags, (error, created) => done(error, created)),
    );
  }

  /** Writes data if the node is still at `version` (-1: any version); resolves with the new stat. */
  async setData(path: string, data: Buffer, version: number): Promise<ZkStatRaw> {
    const context: ZkErrorContext = { operation: 'setData', path, version };
    this.checkPath(context);
    this.checkData(data, context);
    this.checkVersion(version, context);
    // header + path + data + version
    this.checkRequestSize(8 + 4 + this.serverPathLength(path) + 4 + data.length + 4, data, context);
    return this.execute<ZkStatRaw>(context, false, (client, done) =>
      client.setData(path, data, version, (error, stat) =>
        done(error, error ? undefined : toStatView(stat as ClientStat)),
      ),
    );
  }

  /** Deletes the node if it is still at `version` (-1: any version). */
  async remove(path: string, version: number): Promise<void> {
    const context: ZkErrorContext = { operation: 'remove', path, version };
    this.checkVersion(version, context);
    await this.execute<void>(context, false, (client, done) =>
      client.remove(path, version, (error) => done(error)),
    );
  }

  /**
   * Runs ops as one ZooKeeper multi (all or nothing). Resolves with per-op results whether or not the
   * server applied it: a failed op is an answer (which op, which code), not an exception. Rejects only
   * when there is no answer (CONNECTION_LOSS, SESSION_EXPIRED, TIMEOUT: outcome unknown, check before
   * retrying) or when the request is invalid or larger than jute.maxbuffer (BAD_ARGUMENTS, not sent).
   */
  async multi(ops: readonly MultiOp[]): Promise<MultiResult> {
    if (ops.length === 0) return { ok: true, results: [], failedIndex: -1 };
    const first = ops[0]!.path;
    const context: ZkErrorContext = { operation: 'create', path: first };
    const chrootBytes = utf8Length(this.parsed.chroot ?? '');
    let opsBytes = 0;
    for (const op of ops) {
      const opContext: ZkErrorContext = {
        operation: op.type === 'check' ? 'exists' : op.type,
        path: op.path,
      };
      this.checkPath(opContext);
      if (op.type === 'create' || op.type === 'setData') this.checkData(op.data, opContext);
      if (op.type === 'create') validateAcl(op.acl);
      else this.checkVersion(op.version, opContext);
      opsBytes += multiOpBytes(op, chrootBytes);
    }
    const requestBytes = multiRequestBytes(opsBytes);
    if (requestBytes > MAX_REQUEST_BYTES) {
      const fmt = (n: number) => n.toLocaleString('en-US');
      throw new ZkError(
        'BAD_ARGUMENTS',
        `A multi of ${ops.length} operations starting at ${first} makes a request of ${fmt(requestBytes)} bytes, over ZooKeeper's default request limit (jute.maxbuffer, ${fmt(
          MAX_REQUEST_BYTES,
        )} bytes): the server would drop the connection. Split it into smaller batches`,
        { path: first },
      );
    }
    try {
      return await this.execute<MultiResult>(context, false, (client, done) => {
        commitMulti(client, ops, (error, results) => {
          // A failed op comes back as per-op results: keep them, the caller learns which op failed.
          if (results) done(null, toMultiResult(results, ops.length));
          else done(error);
        });
      });
    } catch (error) {
      if (!(error instanceof ZkError)) throw error;
      const unknown =
        error.code === 'CONNECTION_LOSS' || error.code === 'SESSION_EXPIRED' || error.code === 'TIMEOUT';
      if (!unknown) throw error;
      throw new ZkError(
        error.code,
        `${error.message.replace(/[.:]?\s*$/, '')} (a multi of ${ops.length} operations starting at ${first}: all or none of them were applied; check one before retrying)`,
        { path: first, cause: error },
      );
    }
  }

  /** Replaces the ACL of a node if its ACL is still at `version` (-1: any); resolves with the new stat. */
  async setACL(path: string, acl: readonly ZkAcl[], version: number): Promise<ZkStatRaw> {
    const context: ZkErrorContext = { operation: 'setData', path, version };
    this.checkPath(context);
    this.checkVersion(version, context);
    validateAcl([...acl]);
    const clientAcl = acl.map(toClientAcl);
    try {
      return await this.execute<ZkStatRaw>(context, false, (client, done) =>
        client.setACL(path, clientAcl, version, (error, stat) =>
          done(error, error ? undefined : toStatView(stat as ClientStat)),
        ),
      );
    } catch (error) {
      if (error instanceof ZkError && error.code === 'NO_AUTH') {
        throw new ZkError(
          'NO_AUTH',
          `Not authorized to change the ACL of ${path}: it needs a credential (user:password) that the node's ACL grants admin (a) to`,
          { path, cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * Closes the session: queued requests reject with CLOSED; requests already sent are answered first,
   * because the server processes a session's requests in order and the close request goes last.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stopWatchdog();
    this.window.rejectWaiting(
      new ZkError('CLOSED', 'The ZooKeeper connection was closed before this request was sent'),
    );
    const client = this.client;
    this.client = undefined;
    this.generation += 1;
    this.setState('closed', { message: 'Connection closed' });
    this.wakeStateWaiters();
    if (client) await this.shutdownClient(client, Math.min(this.options.sessionTimeoutMs, 5000));
    this.failOutstanding(
      () => true,
      new ZkError('CLOSED', 'The ZooKeeper connection was closed before the server answered this request'),
    );
  }

  // ---------------------------------------------------------------- connection lifecycle

  private async open(): Promise<void> {
    this.setState('connecting', { message: `Connecting to ${this.hostsText}` });
    this.startClient();
    const deadline = Date.now() + this.options.connectTimeoutMs;
    const outcome = await this.waitForState(deadline);
    if (outcome === 'connected') {
      this.startWatchdog();
      return;
    }
    const state = this.currentState;
    await this.close();
    if (state === 'auth-failed') {
      throw new ZkError(
        'AUTH_FAILED',
        `ZooKeeper at ${this.hostsText} rejected the credentials: check the digest credentials (user:password) of this connection`,
      );
    }
    throw new ZkError('UNREACHABLE', unreachableMessage(this.hostsText, this.options.connectTimeoutMs));
  }

  private startClient(): void {
    this.generation += 1;
    const generation = this.generation;
    const client = zookeeper.createClient(this.options.connectString, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: 500,
      // No retries inside the client: a write that lost its connection has an unknown outcome and
      // must not be re-sent blindly; reads are retried here, within the request's deadline.
      retries: 0,
    });
    const internals = internalsOf(client);
    if (internals) {
      // The client splits host:port on ':' and so cannot parse [IPv6]:port; give it the parsed list.
      internals.servers = shuffle(
        this.parsed.hosts.map((h) => ({ host: h.host.replace(/^\[(.*)\]$/, '$1'), port: h.port })),
      );
      // Record when the server last sent anything, for the watchdog (the client itself has no read timeout).
      const original = internals.onSocketData;
      this.activityTracked = typeof original === 'function';
      if (original) {
        const session = this;
        const frames = new FrameSplitter();
        internals.onSocketData = function (this: unknown, buffer: Buffer) {
          session.lastActivity = Date.now();
          const socket = internals.socket;
          session.coalesceWrites(socket);
          frames.push(
            socket,
            buffer,
            (frame) => {
              try {
                original.call(this, frame);
              } catch (error) {
                // The client throws from its socket handler when a reply does not parse (seen once
                // under load: a reply header with an error code it does not know). Thrown there it
                // would crash the whole host; dropping the connection instead is what the client
                // itself does for an out-of-order reply: it reconnects, and requests in flight fail
                // with CONNECTION_LOSS, which every caller already treats as "unknown outcome".
                session.emit('protocolError', error);
                socket?.destroy();
              }
            },
            () => socket?.destroyed === true,
          );
        };
      }
    }
    for (const credential of this.options.digestAuth)
      client.addAuthInfo('digest', Buffer.from(credential, 'utf8'));
    client.on('state', (state: zookeeper.State) => this.onClientState(generation, client, state));
    this.client = client;
    this.lastActivity = Date.now();
    client.connect();
  }

  private onClientState(generation: number, client: zookeeper.Client, state: zookeeper.State): void {
    if (generation !== this.generation || this.closing) return;
    const S = zookeeper.State;
    if (state.code === S.SYNC_CONNECTED.code || state.code === S.CONNECTED_READ_ONLY.code) {
      this.lastActivity = Date.now();
      const sessionId = longToHex(client.getSessionId());
      const resumed = this.currentState === 'reconnecting';
      this.currentSessionId = sessionId;
      this.setState('connected', {
        message: resumed
          ? `Reconnected to ${this.hostsText} (same session ${sessionId})`
          : `Connected to ${this.hostsText} (session ${sessionId})`,
        sessionId,
      });
      this.wakeStateWaiters();
    } else if (state.code === S.DISCONNECTED.code) {
      if (this.currentState === 'connected') {
        this.setState('reconnecting', {
          message: `Lost the connection to ${this.hostsText}; reconnecting within the same session (requests wait up to ${formatDuration(
            this.options.sessionTimeoutMs,
          )})`,
          sessionId: this.currentSessionId,
        });
      }
    } else if (state.code === S.EXPIRED.code) {
      const oldSession = this.currentSessionId;
      this.currentSessionId = undefined;
      this.setState('expired', {
        message: `ZooKeeper session${oldSession ? ` ${oldSession}` : ''} expired (the server did not hear from this client within the session timeout); its ephemeral nodes and watches are gone. Opening a new session.`,
        sessionId: oldSession,
      });
      this.retireClient(
        client,
        new ZkError(
          'SESSION_EXPIRED',
          'The ZooKeeper session expired before the server answered this request; a new session is being opened: retry after checking whether a change was applied',
        ),
      );
      this.setState('connecting', { message: `Opening a new session to ${this.hostsText}` });
      this.startClient();
    } else if (state.code === S.AUTH_FAILED.code) {
      this.currentSessionId = undefined;
      const message = `ZooKeeper at ${this.hostsText} rejected the credentials: check the digest credentials (user:password) of this connection, then reconnect`;
      this.setState('auth-failed', { message });
      const error = new ZkError('AUTH_FAILED', message);
      this.retireClient(client, error);
      this.client = undefined;
      this.generation += 1;
      this.stopWatchdog();
      this.window.rejectWaiting(error);
      this.wakeStateWaiters();
    }
  }

  /** Fails what the old client still owes and stops it; it is never used again. */
  private retireClient(client: zookeeper.Client, error: ZkError): void {
    const generation = this.generation;
    this.failOutstanding((entry) => entry.generation === generation, error);
    void this.shutdownClient(client, 0);
  }

  /**
   * A pipelined caller sends many requests per turn of the event loop (one per answer in a burst,
   * or a batch at once), and the client writes each to the socket on its own: a syscall each, most
   * of a walk's CPU. Corking the socket until the loop is idle sends them in one write. Order is
   * unchanged; they go out at the end of the same turn of the loop.
   */
  private coalesceWrites(socket: net.Socket | undefined): void {
    if (!socket || this.corkedSocket === socket || socket.destroyed) return;
    this.corkedSocket = socket;
    socket.cork();
    setImmediate(() => {
      if (this.corkedSocket === socket) this.corkedSocket = undefined;
      socket.uncork();
    });
  }

  /**
   * Stops a client for good. node-zookeeper-client's close() only sends closeSession, which needs a
   * live connection; while it is connecting or waiting to retry, the socket is destroyed after the
   * CLOSING state is set, so the close handler does not reconnect.
   */
  private async shutdownClient(client: zookeeper.Client, graceMs: number): Promise<void> {
    const internals = internalsOf(client);
    const state = internals?.state;
    if (state === CM.CLOSED) return;
    try {
      client.close();
    } catch {
      // close() writes to the socket, which does not exist yet during the very first connect attempt.
    }
    if (state === CM.CONNECTED || state === CM.CONNECTED_READ_ONLY) {
      const deadline = Date.now() + graceMs;
      while (internals?.state !== CM.CLOSED && Date.now() < deadline) await sleep(20);
    }
    if (internals?.state !== CM.CLOSED) internals?.socket?.destroy();
    // A retry scheduled before close() may still open one more socket: it sees CLOSING and ends.
  }

  /**
   * The client has no read timeout: behind a dead SSH tunnel or a frozen server the socket stays
   * open and the state stays 'connected'. Pings go out every third of the session timeout, so two
   * thirds without a byte from the server means the connection is gone (the Java client's rule).
   */
  private startWatchdog(): void {
    this.stopWatchdog();
    if (!this.activityTracked) return;
    const tick = Math.max(100, Math.floor(this.options.sessionTimeoutMs / 12));
    this.watchdog = setInterval(() => this.checkLiveness(), tick);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkLiveness(): void {
    const client = this.client;
    if (!client) return;
    const internals = internalsOf(client);
    const socket = internals?.socket;
    if (!internals || !socket) return;
    if (socket !== this.lastSocket) {
      this.lastSocket = socket;
      this.lastActivity = Date.now();
      return;
    }
    const live =
      internals.state === CM.CONNECTED ||
      internals.state === CM.CONNECTED_READ_ONLY ||
      internals.state === CM.CONNECTING;
    if (!live || socket.destroyed || socket.connecting) return;
    const readTimeout = Math.floor(((internals.sessionTimeout ?? this.options.sessionTimeoutMs) * 2) / 3);
    if (Date.now() - this.lastActivity > readTimeout) socket.destroy();
  }

  private setState(state: SessionState, detail: { message?: string; sessionId?: string }): void {
    this.currentState = state;
    this.emit('state', state, detail);
  }

  private wakeStateWaiters(): void {
    for (const waiter of [...this.stateWaiters]) waiter.wake();
  }

  /** Waits until connected, or a terminal state, or the deadline; says which. */
  private waitForState(deadline: number): Promise<'connected' | 'terminal' | 'timeout'> {
    const check = (): 'connected' | 'terminal' | undefined => {
      if (this.closing || this.currentState === 'closed' || this.currentState === 'auth-failed')
        return 'terminal';
      if (this.currentState === 'connected' && this.client) return 'connected';
      return undefined;
    };
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: StateWaiter = {
        wake: () => {
          const result = check();
          if (!result) return;
          clearTimeout(timer);
          this.stateWaiters.delete(waiter);
          resolve(result);
        },
      };
      const timer = setTimeout(
        () => {
          this.stateWaiters.delete(waiter);
          resolve('timeout');
        },
        Math.max(0, deadline - Date.now()),
      );
      this.stateWaiters.add(waiter);
    });
  }

  // ---------------------------------------------------------------- request plumbing

  private checkPath(context: ZkErrorContext): void {
    const problem = validateZkPath(context.path ?? '');
    if (problem) throw new ZkError('BAD_ARGUMENTS', `Path ${problem}`, { path: context.path });
  }

  private checkData(data: Buffer, context: ZkErrorContext): void {
    if (!Buffer.isBuffer(data)) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `Data for ${context.path} must be a Buffer (bytes), not ${typeof data}`,
        {
          path: context.path,
        },
      );
    }
    if (data.length > MAX_DATA_BYTES) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `Data for ${context.path} is ${data.length.toLocaleString('en-US')} bytes; a ZooKeeper node holds at most ${MAX_DATA_BYTES.toLocaleString(
          'en-US',
        )} bytes (1 MiB, and the server's jute.maxbuffer limits the whole request to slightly less): store large values elsewhere or split them`,
        { path: context.path },
      );
    }
  }

  /** The path as the server sees it: the client prefixes the chroot. */
  private serverPathLength(path: string): number {
    const chroot = this.parsed.chroot ?? '';
    return utf8Length(path === '/' && chroot !== '' ? chroot : chroot + path);
  }

  private checkRequestSize(requestBytes: number, data: Buffer, context: ZkErrorContext): void {
    if (requestBytes <= MAX_REQUEST_BYTES) return;
    const fmt = (n: number) => n.toLocaleString('en-US');
    throw new ZkError(
      'BAD_ARGUMENTS',
      `Writing ${fmt(data.length)} bytes to ${context.path} makes a request of ${fmt(requestBytes)} bytes, over ZooKeeper's default request limit (jute.maxbuffer, ${fmt(
        MAX_REQUEST_BYTES,
      )} bytes): the server would drop the connection and fail every other request in flight. Shorten the data by ${fmt(
        requestBytes - MAX_REQUEST_BYTES,
      )} bytes or more`,
      { path: context.path },
    );
  }

  private checkVersion(version: number, context: ZkErrorContext): void {
    if (!Number.isInteger(version) || version < -1 || version > 2_147_483_647) {
      throw new ZkError(
        'BAD_ARGUMENTS',
        `Version ${version} for ${context.path} is not valid: use the node's current version, or -1 for any version`,
        { path: context.path },
      );
    }
  }

  private async execute<T>(context: ZkErrorContext, idempotent: boolean, send: Sender<T>): Promise<T> {
    this.checkPath(context);
    this.assertOpen(context);
    const release = await this.window.acquire();
    try {
      const deadline = Date.now() + this.options.sessionTimeoutMs;
      // Reads retry on a lost connection or expired session until the deadline; the bound on
      // attempts only guards against a client that fails instantly over and over.
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await this.waitForState(deadline);
        if (outcome !== 'connected') throw this.notConnectedError(context, outcome);
        try {
          return await this.dispatch(send, deadline, context);
        } catch (error) {
          const retryable =
            idempotent &&
            error instanceof ZkError &&
            (error.code === 'CONNECTION_LOSS' || error.code === 'SESSION_EXPIRED') &&
            Date.now() < deadline &&
            attempt < 20 &&
            !this.closing;
          if (!retryable) throw error;
          await sleep(Math.min(50 * attempt, 500));
        }
      }
    } finally {
      release();
    }
  }

  private assertOpen(context: ZkErrorContext): void {
    if (this.closing || this.currentState === 'closed') {
      throw new ZkError(
        'CLOSED',
        `The ZooKeeper connection is closed: reconnect to ${context.operation} ${context.path}`,
        {
          path: context.path,
        },
      );
    }
    if (this.currentState === 'auth-failed') {
      throw new ZkError(
        'AUTH_FAILED',
        `ZooKeeper rejected the credentials of this connection: fix the digest credentials and reconnect`,
        { path: context.path },
      );
    }
  }

  private notConnectedError(context: ZkErrorContext, outcome: 'terminal' | 'timeout'): ZkError {
    if (outcome === 'terminal') {
      try {
        this.assertOpen(context);
      } catch (error) {
        return error as ZkError;
      }
    }
    return new ZkError(
      'CONNECTION_LOSS',
      `Not connected to ZooKeeper at ${this.hostsText} for ${formatDuration(this.options.sessionTimeoutMs)} (${
        this.currentState
      }), so could not ${operationVerb(context.operation)} ${context.path}; the request was not sent. Check that the server is up and reachable (or that your SSH tunnel is up), then retry.`,
      { path: context.path },
    );
  }

  private dispatch<T>(send: Sender<T>, deadline: number, context: ZkErrorContext): Promise<T> {
    const client = this.client;
    if (!client) return Promise.reject(this.notConnectedError(context, 'terminal'));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const entry: Outstanding = {
        generation: this.generation,
        fail: (error) => finish(error),
      };
      const finish = (error: unknown, result?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.outstanding.delete(entry);
        if (error) reject(toZkError(error, context));
        else resolve(result as T);
      };
      const timer = setTimeout(
        () => {
          finish(
            new ZkError(
              'TIMEOUT',
              `ZooKeeper at ${this.hostsText} did not answer the request to ${operationVerb(context.operation)} ${
                context.path
              } within ${formatDuration(this.options.sessionTimeoutMs)} (${this.currentState})${
                isReadOperation(context.operation)
                  ? ': retry when the connection is healthy'
                  : ': the outcome of this write is unknown, check the node before retrying'
              }`,
              { path: context.path },
            ),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
      this.outstanding.add(entry);
      if (this.outstanding.size > this.peakOutstanding) this.peakOutstanding = this.outstanding.size;
      try {
        // Requests issued in one turn of the loop leave in one write (see coalesceWrites).
        this.coalesceWrites(internalsOf(client)?.socket);
        send(client, (error, result) => finish(error, result));
      } catch (error) {
        finish(error);
      }
    });
  }

  private failOutstanding(match: (entry: Outstanding) => boolean, error: ZkError): void {
    for (const entry of [...this.outstanding]) if (match(entry)) entry.fail(error);
  }
}
