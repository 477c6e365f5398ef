/**
 * The SSH tunnels of the host, one per connection that goes through a jump host, shared by
 * everything that talks to that ensemble (the session, health probes, bulk readers). A tunnel is
 * opened on first use and closed a little after its last user lets go, or at once when the
 * connection's settings change. Opening, failing and closing are audited: "when did we lose the
 * bastion" is answerable after the fact. Secrets come out of the store only to open the tunnel.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseConnectString } from '../../../shared/connect-string';
import type { SshTunnelInput } from '../../../shared/api/connections';
import { sshEndpoint } from '../../ssh/host-key';
import type { SshAuth, SshJumpHost } from '../../ssh/ssh-connect';
import { SshTunnel, type TunnelStatus } from '../../ssh/ssh-tunnel';
import type { Store } from '../../store/types';

/** How long an unused tunnel stays open, so a refresh every few seconds does not log in each time. */
const LINGER_MS = 30_000;

export interface TunnelLease {
  tunnel: SshTunnel;
  release(): void;
}

interface Entry {
  /** The profile version the tunnel was opened for. */
  version: number;
  tunnel?: SshTunnel;
  pending?: Promise<SshTunnel>;
  refs: number;
  linger?: NodeJS.Timeout;
}

export type TunnelOpener = (
  jump: SshJumpHost,
  targets: Parameters<typeof SshTunnel.open>[1],
) => Promise<SshTunnel>;

/** `~/...` is the operator's home, as in ssh's own config. */
export function expandKeyPath(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** The jump host of a tunnel's settings, with the secret and the trusted host key it needs. */
export function jumpHostFor(
  settings: Pick<SshTunnelInput, 'host' | 'user' | 'auth'> & { port: number; keyPath?: string | null },
  secret: string | null,
  store: Store,
  readyTimeoutMs: number,
): SshJumpHost {
  const auth: SshAuth =
    settings.auth === 'key'
      ? {
          kind: 'key',
          privateKeyPath: expandKeyPath(settings.keyPath ?? ''),
          passphrase: secret ?? undefined,
        }
      : settings.auth === 'password'
        ? { kind: 'password', password: secret ?? '' }
        : { kind: 'agent' };
  const known = store.sshKnownHosts.get(settings.host, settings.port);
  return {
    host: settings.host,
    port: settings.port,
    username: settings.user,
    auth,
    trustedHostKey: known ? { keyType: known.keyType, fingerprint: known.fingerprint } : undefined,
    readyTimeoutMs,
  };
}

export class TunnelPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly actor: string,
    private readonly opener: TunnelOpener = (jump, targets) => SshTunnel.open(jump, targets),
  ) {}

  /**
   * The tunnel of a connection, opened if needed; undefined when the connection has no jump host.
   * The caller must release the lease when done.
   */
  async acquire(connectionId: string): Promise<TunnelLease | undefined> {
    const profile = this.store.connections.get(connectionId);
    if (!profile) throw new Error(`Connection ${connectionId} does not exist (it may have been removed)`);
    const settings = profile.sshTunnel;
    if (!settings) {
      await this.closeConnection(connectionId);
      return undefined;
    }
    let entry = this.entries.get(connectionId);
    if (entry && entry.version !== profile.updatedAt) {
      await this.closeConnection(connectionId);
      entry = undefined;
    }
    if (!entry) {
      entry = { version: profile.updatedAt, refs: 0 };
      this.entries.set(connectionId, entry);
    }
    entry.refs += 1;
    if (entry.linger) clearTimeout(entry.linger);
    entry.linger = undefined;
    try {
      if (!entry.tunnel && !entry.pending) entry.pending = this.open(connectionId, entry);
      const tunnel = entry.tunnel ?? (await (entry.pending as Promise<SshTunnel>));
      return { tunnel, release: once(() => this.release(connectionId, entry as Entry)) };
    } catch (error) {
      entry.refs -= 1;
      if (this.entries.get(connectionId) === entry && !entry.tunnel) this.entries.delete(connectionId);
      throw error;
    }
  }

  /** The tunnel's state, or null when none is open for the connection. */
  status(connectionId: string): TunnelStatus | null {
    return this.entries.get(connectionId)?.tunnel?.status() ?? null;
  }

  /** Closes the connection's tunnel now (its settings changed, or it was removed). */
  async closeConnection(connectionId: string): Promise<void> {
    const entry = this.entries.get(connectionId);
    if (!entry) return;
    this.entries.delete(connectionId);
    if (entry.linger) clearTimeout(entry.linger);
    const tunnel = entry.tunnel ?? (await entry.pending?.catch(() => undefined));
    if (tunnel) await this.shut(connectionId, tunnel);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.entries.keys()].map((id) => this.closeConnection(id)));
  }

  private async open(connectionId: string, entry: Entry): Promise<SshTunnel> {
    const profile = this.store.connections.get(connectionId);
    const settings = profile?.sshTunnel;
    if (!profile || !settings) throw new Error(`Connection ${connectionId} has no SSH jump host`);
    const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
    if (!parsed.ok)
      throw new Error(`Connection '${profile.name}' has an invalid connect string: ${parsed.error}`);
    const jump = jumpHostFor(
      settings,
      settings.hasSecret ? this.store.connections.sshSecret(connectionId) : null,
      this.store,
      profile.connectTimeoutMs,
    );
    const jumpHost = sshEndpoint(settings.host, settings.port);
    try {
      const tunnel = await this.opener(jump, parsed.value.hosts);
      entry.tunnel = tunnel;
      entry.pending = undefined;
      this.store.events.append({
        actor: this.actor,
        action: 'ssh.tunnel-opened',
        target: connectionId,
        detail: {
          name: profile.name,
          jumpHost,
          user: settings.user,
          auth: settings.auth,
          forwards: tunnel.forwards.map((f) => ({ target: f.target, localPort: f.localPort })),
        },
      });
      return tunnel;
    } catch (error) {
      entry.pending = undefined;
      this.store.events.append({
        actor: this.actor,
        action: 'ssh.tunnel-failed',
        target: connectionId,
        detail: {
          name: profile.name,
          jumpHost,
          user: settings.user,
          code: (error as { code?: string }).code ?? null,
          message: error instanceof Error ? error.message : String(error),
        },
      });
      throw error;
    }
  }

  private release(connectionId: string, entry: Entry): void {
    entry.refs = Math.max(0, entry.refs - 1);
    if (entry.refs > 0 || this.entries.get(connectionId) !== entry) return;
    entry.linger = setTimeout(() => {
      if (entry.refs === 0 && this.entries.get(connectionId) === entry)
        void this.closeConnection(connectionId);
    }, LINGER_MS);
    entry.linger.unref();
  }

  private async shut(connectionId: string, tunnel: SshTunnel): Promise<void> {
    const status = tunnel.status();
    await tunnel.close();
    this.store.events.append({
      actor: this.actor,
      action: 'ssh.tunnel-closed',
      target: connectionId,
      detail: { jumpHost: status.jumpHost, reconnects: status.reconnects },
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
