/**
 * One short-lived, read-only ZooKeeper session over a raw socket, for bulk reads (bulk-reader.ts).
 *
 * Built for throughput: requests issued in the same tick leave in one socket write (the server
 * then reads them in one go), replies are matched in order without a closure or timer per request,
 * and one interval timer does pings and the request deadline for the whole session. No watches,
 * no writes, no reconnect: a lost connection fails what is in flight with CONNECTION_LOSS, and the
 * bulk reader decides whether to retry on a fresh session.
 */
import net from 'node:net';
import { parseConnectString } from '../../../shared/connect-string';
import {
  formatDuration,
  unreachableMessage,
  ZkError,
  zkErrorCodeFromClientCode,
  zkErrorMessage,
} from '../errors';
import {
  decodeConnectResponse,
  decodeMultiReadBody,
  decodeReadBody,
  decodeReplyHeader,
  ERR,
  encodeAuth,
  encodeCloseSession,
  encodeConnectRequest,
  encodeMultiRead,
  encodePing,
  encodeRead,
  MAX_FRAME_BYTES,
  OP,
  type ReadOp,
  type ReadResult,
  Reader,
  XID,
} from './wire-protocol';

export interface WireSessionOptions {
  /** A connect string as ZkSession takes it: hosts plus an optional chroot. */
  connectString: string;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  /** Digest credentials `user:password`. */
  digestAuth?: readonly string[];
  /** Report zxids and cversion in stats too (WireStat): for readers that keep whole stats. */
  fullStat?: boolean;
}

/** What a request answers: per-op results (multiRead), one result, or a request-level error code. */
type Reply = { err: number; results: ReadResult[] };

interface Pending {
  xid: number;
  /** OP.multiRead, OP.getData, OP.getChildren or OP.closeSession. */
  op: number;
  count: number;
  sentAt: number;
  resolve: (reply: Reply) => void;
  reject: (error: ZkError) => void;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export class WireSession {
  readonly chroot: string;
  private socket: net.Socket | undefined;
  private xid = 1;
  /** Requests in send order; the server answers a session's requests in that order. */
  private pending: (Pending | undefined)[] = [];
  private pendingHead = 0;
  private outbox: Buffer[] = [];
  private flushScheduled = false;
  private leftover: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSend = Date.now();
  private failure: ZkError | undefined;
  private closed = false;
  private negotiatedTimeoutMs: number;
  private onHandshake: ((body: Buffer) => void) | undefined;
  private onAuthReply: { resolve: (err: number) => void; reject: (error: ZkError) => void } | undefined;
  sessionId: string | undefined;
  /** Where this session is connected, host:port. */
  server = '';

  private constructor(
    private readonly options: WireSessionOptions,
    chroot: string | undefined,
  ) {
    this.chroot = chroot ?? '';
    this.negotiatedTimeoutMs = options.sessionTimeoutMs;
  }

  /** Connects to the first server that answers (in random order, as ZooKeeper clients do) and authenticates. */
  static async open(options: WireSessionOptions): Promise<WireSession> {
    const parsed = parseConnectString(options.connectString);
    if (!parsed.ok) throw new ZkError('BAD_ARGUMENTS', parsed.error);
    const hosts = shuffled(parsed.value.hosts);
    const hostsText = parsed.value.hosts.map((h) => `${h.host}:${h.port}`).join(',');
    const deadline = Date.now() + options.connectTimeoutMs;
    let last: unknown;
    for (const host of hosts) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const session = new WireSession(options, parsed.value.chroot);
      try {
        await session.connect(host.host.replace(/^\[(.*)\]$/, '$1'), host.port, remaining);
        return session;
      } catch (error) {
        session.destroy(error instanceof ZkError ? error : undefined);
        if (error instanceof ZkError && error.code === 'AUTH_FAILED') throw error;
        last = error;
      }
    }
    const detail = last instanceof Error ? ` (${last.message})` : '';
    throw new ZkError('UNREACHABLE', `${unreachableMessage(hostsText, options.connectTimeoutMs)}${detail}`);
  }

  get isOpen(): boolean {
    return !this.closed && this.failure === undefined && this.socket !== undefined;
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.pending.length - this.pendingHead;
  }

  /** The path as the server sees it. */
  serverPath(path: string): string {
    if (!this.chroot) return path;
    return path === '/' ? this.chroot : this.chroot + path;
  }

  /** Several reads in one request (ZooKeeper 3.6+); per-op failures come back as results. */
  multiRead(ops: readonly ReadOp[]): Promise<Reply> {
    return this.send(OP.multiRead, ops.length, (xid) => encodeMultiRead(xid, ops));
  }

  /** One plain getData, getChildren or getACL. */
  read(op: ReadOp): Promise<Reply> {
    return this.send(op.type, 1, (xid) => encodeRead(xid, op));
  }

  /** Ends the session on the server (its ephemeral nodes would go; a reader has none) and the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.isOpen) {
      const bye = this.send(OP.closeSession, 0, (xid) => encodeCloseSession(xid)).catch(() => undefined);
      await Promise.race([bye, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    }
    this.destroy(new ZkError('CLOSED', 'The bulk read session was closed before the server answered'));
  }

  // ------------------------------------------------------------------ internals

  private send(op: number, count: number, encode: (xid: number) => Buffer): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed || !this.socket) {
      return Promise.reject(new ZkError('CLOSED', 'The bulk read session is closed'));
    }
    const xid = this.xid;
    this.xid = xid >= 0x7ffffff0 ? 1 : xid + 1;
    const frame = encode(xid);
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ xid, op, count, sentAt: Date.now(), resolve, reject });
      this.enqueue(frame);
    });
  }

  /** Frames queued in one tick leave in one write. */
  private enqueue(frame: Buffer): void {
    this.outbox.push(frame);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const frames = this.outbox;
    this.outbox = [];
    if (frames.length === 0 || !this.socket || this.failure) return;
    this.lastSend = Date.now();
    this.socket.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames));
  }

  private connect(host: string, port: number, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: ZkError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () =>
          finish(
            new ZkError(
              'UNREACHABLE',
              `${host}:${port} did not complete the handshake within ${formatDuration(timeoutMs)}`,
            ),
          ),
        timeoutMs,
      );
      const socket = net.connect({ host, port });
      this.socket = socket;
      this.server = `${host}:${port}`;
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('error', (error) => {
        const failure = new ZkError(
          'CONNECTION_LOSS',
          `The bulk read connection to ${this.server} failed: ${error.message}`,
          { cause: error },
        );
        this.destroy(failure);
        finish(failure);
      });
      socket.on('close', () => {
        const failure = new ZkError(
          'CONNECTION_LOSS',
          `ZooKeeper at ${this.server} closed the bulk read connection`,
        );
        this.destroy(failure);
        finish(failure);
      });
      socket.once('connect', () => {
        this.onHandshake = (body) => {
          this.onHandshake = undefined;
          let response: ReturnType<typeof decodeConnectResponse>;
          try {
            response = decodeConnectResponse(body);
          } catch (error) {
            finish(new ZkError('UNKNOWN', `Unreadable handshake from ${this.server}: ${String(error)}`));
            return;
          }
          if (response.timeoutMs <= 0) {
            finish(new ZkError('SESSION_EXPIRED', `${this.server} refused to open a session`));
            return;
          }
          this.negotiatedTimeoutMs = response.timeoutMs;
          this.sessionId = response.sessionId;
          this.authenticate().then(
            () => {
              this.startTimer();
              finish();
            },
            (error: ZkError) => finish(error),
          );
        };
        socket.write(encodeConnectRequest(this.options.sessionTimeoutMs));
      });
    });
  }

  /** Sends each digest credential and waits for the server's verdict (it answers every auth packet). */
  private async authenticate(): Promise<void> {
    for (const credential of this.options.digestAuth ?? []) {
      const err = await new Promise<number>((resolve, reject) => {
        this.onAuthReply = { resolve, reject };
        this.socket?.write(encodeAuth('digest', credential));
      });
      this.onAuthReply = undefined;
      if (err === ERR.authFailed) {
        throw new ZkError(
          'AUTH_FAILED',
          `ZooKeeper at ${this.server} rejected the credentials: check the digest credentials (user:password) of this connection`,
        );
      }
      if (err !== ERR.ok) {
        throw new ZkError('UNKNOWN', `ZooKeeper at ${this.server} answered the credentials with code ${err}`);
      }
    }
  }

  private onData(chunk: Buffer): void {
    const buffer = this.leftover ? Buffer.concat([this.leftover, chunk]) : chunk;
    this.leftover = undefined;
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const size = buffer.readInt32BE(offset);
      if (size < 0 || size > MAX_FRAME_BYTES) {
        this.destroy(new ZkError('UNKNOWN', `ZooKeeper at ${this.server} sent a frame of ${size} bytes`));
        return;
      }
      if (buffer.length - offset - 4 < size) break;
      const body = buffer.subarray(offset + 4, offset + 4 + size);
      offset += 4 + size;
      try {
        this.onFrame(body);
      } catch (error) {
        this.destroy(
          new ZkError('UNKNOWN', `Unreadable reply from ZooKeeper at ${this.server}: ${String(error)}`),
        );
        return;
      }
      if (this.failure || this.closed) return;
    }
    if (offset < buffer.length) this.leftover = buffer.subarray(offset);
  }

  private onFrame(body: Buffer): void {
    if (this.onHandshake) {
      this.onHandshake(body);
      return;
    }
    const reader = new Reader(body, this.options.fullStat === true);
    const header = decodeReplyHeader(reader);
    if (header.xid === XID.ping || header.xid === XID.notification) return;
    if (header.xid === XID.auth) {
      this.onAuthReply?.resolve(header.err);
      return;
    }
    const head = this.shiftPending();
    if (!head || head.xid !== header.xid) {
      throw new Error(`reply xid ${header.xid} does not match the oldest request (${head?.xid ?? 'none'})`);
    }
    if (header.err !== ERR.ok || head.op === OP.closeSession) {
      head.resolve({ err: header.err, results: [] });
      return;
    }
    const results =
      head.op === OP.multiRead
        ? decodeMultiReadBody(reader, head.count)
        : [decodeReadBody(reader, head.op as ReadOp['type'])];
    head.resolve({ err: ERR.ok, results });
  }

  /** One timer per session: a ping when idle for a third of the timeout, and the deadline of the oldest request. */
  private startTimer(): void {
    const tick = Math.max(50, Math.min(1000, Math.floor(this.negotiatedTimeoutMs / 6)));
    this.timer = setInterval(() => {
      const now = Date.now();
      const oldest = this.peekOldest();
      if (oldest && now - oldest.sentAt > this.options.sessionTimeoutMs) {
        this.destroy(
          new ZkError(
            'TIMEOUT',
            `ZooKeeper at ${this.server} did not answer a bulk read within ${formatDuration(this.options.sessionTimeoutMs)}: retry when the connection is healthy`,
          ),
        );
        return;
      }
      if (now - this.lastSend > this.negotiatedTimeoutMs / 3) this.enqueue(encodePing());
    }, tick);
    this.timer.unref();
  }

  private peekOldest(): Pending | undefined {
    return this.pending[this.pendingHead];
  }

  private shiftPending(): Pending | undefined {
    const head = this.pending[this.pendingHead];
    if (!head) return undefined;
    this.pending[this.pendingHead] = undefined;
    this.pendingHead += 1;
    // Compact once the answered prefix dominates, so the array does not grow for the session's life.
    if (this.pendingHead >= 1024 && this.pendingHead * 2 >= this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    return head;
  }

  /** Fails everything in flight with `error` and drops the socket; idempotent. */
  private destroy(error?: ZkError): void {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= error ?? new ZkError('CLOSED', 'The bulk read session is closed');
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.socket?.destroy();
    for (let head = this.shiftPending(); head; head = this.shiftPending()) head.reject(this.failure);
    this.onAuthReply?.reject(this.failure);
  }
}

/** A ZooKeeper error code for one read, as the ZkError ZkSession would raise for it. */
export function readError(
  err: number,
  operation: 'getData' | 'getChildren' | 'getACL',
  path: string,
): ZkError {
  const code = zkErrorCodeFromClientCode(err);
  const message = zkErrorMessage(code, { operation, path }, `code ${err}`);
  return new ZkError(code, message, { path });
}
