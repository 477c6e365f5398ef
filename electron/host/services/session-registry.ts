/**
 * One live ZooKeeper session per connection profile, shared by every view and engine of the host.
 * Session state changes fan out to subscribers (the UI) and into the audit log, so "when did we lose
 * the ensemble" is answerable after the fact.
 */
import { EventEmitter } from 'node:events';
import { parseConnectString } from '../../../shared/connect-string';
import type { SessionState, SessionStateEvent } from '../../../shared/api/zk-node';
import type { Store } from '../../store/types';
import type { ZkSessionLike, ZkSessionOptions } from '../../zk/types';
import type { TunnelLease, TunnelPool } from './tunnel-pool';

export type ConnectFn = (options: ZkSessionOptions) => Promise<ZkSessionLike>;

interface Entry {
  connectionId: string;
  /** A snapshot browsed like a connection: no network, nothing to audit. */
  offline?: boolean;
  session?: ZkSessionLike;
  pending?: Promise<ZkSessionLike>;
  last: SessionStateEvent;
  /** The options the session was opened with (the connect string through the tunnel, if any). */
  options?: ZkSessionOptions;
  /** The SSH tunnel the session goes through, held while it is open. */
  lease?: TunnelLease;
}

/** States worth an audit entry; 'connecting' is noise. */
const AUDITED: Partial<Record<SessionState, string>> = {
  connected: 'session.connected',
  reconnecting: 'session.disconnected',
  expired: 'session.expired',
  'auth-failed': 'session.auth-failed',
  closed: 'session.closed',
};

export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Emits 'state' with a SessionStateEvent. */
  readonly events = new EventEmitter();
  private offlineSource?: (connectionId: string) => ZkSessionLike | undefined;

  constructor(
    private readonly store: Store,
    private readonly connect: ConnectFn,
    private readonly actor: string,
    /** Opens SSH tunnels for connections that go through a jump host. */
    private readonly tunnels?: TunnelPool,
  ) {
    this.events.setMaxListeners(100);
  }

  /**
   * The options the open session of a connection uses, for readers that open their own sessions to
   * the same ensemble (through the same tunnel); undefined when no session is open.
   */
  sessionOptions(connectionId: string): ZkSessionOptions | undefined {
    const entry = this.entries.get(connectionId);
    return entry?.session && entry.session.state !== 'closed' ? entry.options : undefined;
  }

  /** The last known state of every connection that was opened in this run of the host. */
  states(): SessionStateEvent[] {
    return [...this.entries.values()].map((entry) => entry.last);
  }

  state(connectionId: string): SessionStateEvent {
    return this.entries.get(connectionId)?.last ?? { connectionId, state: 'closed', at: Date.now() };
  }

  /** The session if one is open now; never connects (watchers must not reopen a closed connection). */
  current(connectionId: string): ZkSessionLike | undefined {
    const session = this.entries.get(connectionId)?.session;
    return session && session.state !== 'closed' ? session : undefined;
  }

  /**
   * Sessions for ids that are not saved connections (snapshots, see engines/snapshots): the source
   * returns one for the ids it owns, undefined for any other.
   */
  setOfflineSource(source: (connectionId: string) => ZkSessionLike | undefined): void {
    this.offlineSource = source;
  }

  /** Returns the open session, connecting first when needed. Concurrent callers share one attempt. */
  async open(connectionId: string): Promise<ZkSessionLike> {
    const existing = this.entries.get(connectionId);
    if (existing?.session && existing.session.state !== 'closed') return existing.session;
    if (existing?.pending) return existing.pending;

    const offline = this.offlineSource?.(connectionId);
    if (offline) {
      const entry: Entry = existing ?? {
        connectionId,
        last: { connectionId, state: 'closed', at: Date.now() },
      };
      entry.offline = true;
      entry.session = offline;
      this.entries.set(connectionId, entry);
      this.publish(entry, 'connected', 'offline snapshot: read from the local store');
      return offline;
    }

    const profile = this.store.connections.get(connectionId);
    if (!profile) throw new Error(`Connection ${connectionId} does not exist (it may have been removed)`);
    const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
    if (!parsed.ok)
      throw new Error(`Connection '${profile.name}' has an invalid connect string: ${parsed.error}`);

    const entry: Entry = existing ?? {
      connectionId,
      last: { connectionId, state: 'closed', at: Date.now() },
    };
    this.entries.set(connectionId, entry);
    this.publish(entry, 'connecting');

    const digest = this.store.connections.digestAuth(connectionId);
    // The tunnel first: its own failure (host key, SSH login) is the message, not "unreachable".
    const connectThrough = async (): Promise<ZkSessionLike> => {
      if (profile.sshTunnel && this.tunnels) entry.lease = await this.tunnels.acquire(connectionId);
      const tunnel = entry.lease?.tunnel;
      entry.options = {
        connectString: tunnel ? tunnel.connectString(parsed.value.chroot) : parsed.value.normalized,
        sessionTimeoutMs: profile.sessionTimeoutMs,
        connectTimeoutMs: profile.connectTimeoutMs,
        digestAuth: digest ? [digest] : [],
      };
      try {
        return await this.connect(entry.options);
      } catch (error) {
        if (!tunnel || !(error instanceof Error)) throw error;
        // The client names the loopback forwards; the operator knows the servers and the jump host.
        const forwardErrors = tunnel.forwards.flatMap((f) => (f.lastError ? [f.lastError] : []));
        error.message = `${tunnel.explain(error.message)} (through the SSH jump host ${tunnel.jumpHost}${
          forwardErrors.length > 0 ? `: ${forwardErrors.join('; ')}` : ''
        })`;
        throw error;
      }
    };
    entry.pending = connectThrough();
    try {
      const session = await entry.pending;
      entry.session = session;
      const explain = (text: string | undefined) =>
        text && entry.lease ? entry.lease.tunnel.explain(text) : text;
      session.on('state', (state: SessionState, detail?: { message?: string; sessionId?: string }) => {
        this.publish(entry, state, explain(detail?.message), detail?.sessionId);
      });
      this.publish(entry, 'connected', undefined, session.sessionId);
      return session;
    } catch (error) {
      entry.lease?.release();
      entry.lease = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.publish(entry, 'closed', message, undefined, true);
      this.store.events.append({
        actor: this.actor,
        action: 'session.failed',
        target: connectionId,
        detail: { name: profile.name, connectString: profile.connectString, message },
      });
      throw error;
    } finally {
      entry.pending = undefined;
    }
  }

  async close(connectionId: string): Promise<void> {
    const entry = this.entries.get(connectionId);
    if (!entry) return;
    const session = entry.session ?? (await entry.pending?.catch(() => undefined));
    entry.session = undefined;
    if (session) {
      session.removeAllListeners('state');
      await session.close();
    }
    entry.lease?.release();
    entry.lease = undefined;
    this.publish(entry, 'closed');
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.entries.keys()].map((id) => this.close(id)));
  }

  private publish(
    entry: Entry,
    state: SessionState,
    message?: string,
    sessionId?: string,
    openFailed?: true,
  ): void {
    const previous = entry.last.state;
    entry.last = {
      connectionId: entry.connectionId,
      state,
      message,
      sessionId,
      ...(openFailed ? { openFailed } : {}),
      at: Date.now(),
    };
    this.events.emit('state', entry.last);
    const action = AUDITED[state];
    if (action && !entry.offline && previous !== state && !(state === 'closed' && message)) {
      this.store.events.append({
        actor: this.actor,
        action,
        target: entry.connectionId,
        detail: { ...(sessionId ? { sessionId } : {}), ...(message ? { message } : {}) },
      });
    }
  }
}
