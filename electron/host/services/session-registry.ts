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

export type ConnectFn = (options: ZkSessionOptions) => Promise<ZkSessionLike>;

interface Entry {
  connectionId: string;
  session?: ZkSessionLike;
  pending?: Promise<ZkSessionLike>;
  last: SessionStateEvent;
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

  constructor(
    private readonly store: Store,
    private readonly connect: ConnectFn,
    private readonly actor: string,
  ) {
    this.events.setMaxListeners(100);
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

  /** Returns the open session, connecting first when needed. Concurrent callers share one attempt. */
  async open(connectionId: string): Promise<ZkSessionLike> {
    const existing = this.entries.get(connectionId);
    if (existing?.session && existing.session.state !== 'closed') return existing.session;
    if (existing?.pending) return existing.pending;

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
    entry.pending = this.connect({
      connectString: parsed.value.normalized,
      sessionTimeoutMs: profile.sessionTimeoutMs,
      connectTimeoutMs: profile.connectTimeoutMs,
      digestAuth: digest ? [digest] : [],
    });
    try {
      const session = await entry.pending;
      entry.session = session;
      session.on('state', (state: SessionState, detail?: { message?: string; sessionId?: string }) => {
        this.publish(entry, state, detail?.message, detail?.sessionId);
      });
      this.publish(entry, 'connected', undefined, session.sessionId);
      return session;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.publish(entry, 'closed', message);
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
    this.publish(entry, 'closed');
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.entries.keys()].map((id) => this.close(id)));
  }

  private publish(entry: Entry, state: SessionState, message?: string, sessionId?: string): void {
    const previous = entry.last.state;
    entry.last = { connectionId: entry.connectionId, state, message, sessionId, at: Date.now() };
    this.events.emit('state', entry.last);
    const action = AUDITED[state];
    if (action && previous !== state && !(state === 'closed' && message)) {
      this.store.events.append({
        actor: this.actor,
        action,
        target: entry.connectionId,
        detail: { ...(sessionId ? { sessionId } : {}), ...(message ? { message } : {}) },
      });
    }
  }
}
