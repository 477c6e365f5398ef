/**
 * Local port forwards through an SSH jump host, one per ZooKeeper server of a connect string, so the
 * ZooKeeper client (which only knows host:port lists) connects to 127.0.0.1:<local> and each of its
 * connections becomes an SSH channel to the real server, as `ssh -L` would do.
 *
 * The SSH connection is opened at once (so a wrong key or an untrusted host key fails the connect
 * with its own message) and reopened when it is gone: a new ZooKeeper connection after the jump
 * host dropped us (sleep, VPN change) gets a fresh SSH connection, with the same host-key check.
 * Keepalives notice a jump host that stopped answering. The forwards listen on loopback only.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Client } from 'ssh2';
import type { ZkHostPort } from '../../shared/connect-string';
import { sshEndpoint } from './host-key';
import { openSshClient, type SshJumpHost } from './ssh-connect';
import { SshTunnelError } from './ssh-errors';

const LOOPBACK = '127.0.0.1';
/** After a failed SSH connect, new ZooKeeper connections fail fast for this long instead of retrying. */
const RETRY_AFTER_FAILURE_MS = 1000;

export interface TunnelForward {
  /** The ZooKeeper server as the connect string names it (host:port). */
  target: string;
  localPort: number;
  /** Why the jump host refused the last channel to it, if it did. */
  lastError: string | null;
}

export type TunnelState = 'up' | 'reconnecting' | 'down' | 'closed';

export interface TunnelStatus {
  jumpHost: string;
  user: string;
  state: TunnelState;
  /** SSH connections opened after the first (each one a recreated tunnel). */
  reconnects: number;
  openChannels: number;
  lastError: string | null;
  forwards: TunnelForward[];
}

interface Forward {
  target: ZkHostPort;
  label: string;
  server: net.Server;
  localPort: number;
  lastError: string | null;
}

function hostOf(target: ZkHostPort): string {
  return target.host.replace(/^\[(.*)\]$/, '$1');
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/** Emits 'state' (TunnelStatus) when the SSH connection goes up or down. */
export class SshTunnel extends EventEmitter {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private lastFailure: { at: number; error: SshTunnelError } | undefined;
  private readonly forwardList: Forward[] = [];
  private readonly sockets = new Set<net.Socket>();
  private connections = 0;
  private state: TunnelState = 'down';
  private lastError: string | null = null;
  private closed = false;

  private constructor(private readonly jump: SshJumpHost) {
    super();
  }

  /** Connects to the jump host, then listens on one loopback port per target. */
  static async open(jump: SshJumpHost, targets: readonly ZkHostPort[]): Promise<SshTunnel> {
    const tunnel = new SshTunnel(jump);
    await tunnel.ensureClient();
    try {
      for (const target of targets) {
        const server = net.createServer({ pauseOnConnect: true });
        const forward: Forward = {
          target,
          label: `${target.host}:${target.port}`,
          server,
          localPort: 0,
          lastError: null,
        };
        server.on('connection', (socket) => tunnel.onLocalConnection(forward, socket));
        forward.localPort = await listen(server);
        tunnel.forwardList.push(forward);
      }
    } catch (error) {
      await tunnel.close();
      throw error;
    }
    return tunnel;
  }

  get jumpHost(): string {
    return sshEndpoint(this.jump.host, this.jump.port);
  }

  /** The local forwards, in connect-string order. */
  get forwards(): TunnelForward[] {
    return this.forwardList.map((f) => ({ target: f.label, localPort: f.localPort, lastError: f.lastError }));
  }

  /** The loopback address a ZooKeeper server of the connect string is reached at. */
  localAddressOf(target: string): { host: string; port: number } | undefined {
    const forward = this.forwardList.find((f) => f.label === target);
    return forward ? { host: LOOPBACK, port: forward.localPort } : undefined;
  }

  /** The connect string to give the ZooKeeper client: every server replaced by its forward. */
  connectString(chroot?: string): string {
    return this.forwardList.map((f) => `${LOOPBACK}:${f.localPort}`).join(',') + (chroot ?? '');
  }

  /** Replaces forwarded addresses in a message with the servers they stand for. */
  explain(message: string): string {
    let text = message;
    for (const f of this.forwardList) {
      text = text.replaceAll(`${LOOPBACK}:${f.localPort}`, f.label);
    }
    return text;
  }

  status(): TunnelStatus {
    return {
      jumpHost: this.jumpHost,
      user: this.jump.username,
      state: this.state,
      reconnects: Math.max(0, this.connections - 1),
      openChannels: this.sockets.size,
      lastError: this.lastError,
      forwards: this.forwards,
    };
  }

  /**
   * Opens one channel to each server and closes it: which servers the jump host can reach. Used by
   * the connection test, so "the jump host cannot reach zk3:2181" is said as such.
   */
  async checkTargets(): Promise<{ target: string; ok: boolean; error: string | null }[]> {
    const client = await this.ensureClient();
    return Promise.all(
      this.forwardList.map(
        (f) =>
          new Promise<{ target: string; ok: boolean; error: string | null }>((resolve) => {
            client.forwardOut(LOOPBACK, 0, hostOf(f.target), f.target.port, (error, channel) => {
              if (error) {
                resolve({ target: f.label, ok: false, error: this.channelError(f, error) });
                return;
              }
              channel.close();
              resolve({ target: f.label, ok: true, error: null });
            });
          }),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(
      this.forwardList.map((f) => new Promise<void>((resolve) => f.server.close(() => resolve()))),
    );
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    client?.end();
    this.setState('closed');
  }

  // ------------------------------------------------------------------ internals

  /** The live SSH connection, opening a new one when there is none (one attempt at a time). */
  private ensureClient(): Promise<Client> {
    if (this.closed) {
      return Promise.reject(
        new SshTunnelError('SSH_CLOSED', `The SSH tunnel through ${this.jumpHost} is closed`),
      );
    }
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    if (this.lastFailure && Date.now() - this.lastFailure.at < RETRY_AFTER_FAILURE_MS) {
      return Promise.reject(this.lastFailure.error);
    }
    if (this.connections > 0) this.setState('reconnecting');
    const attempt = openSshClient(this.jump).then(
      (client) => {
        this.connecting = undefined;
        if (this.closed) {
          client.end();
          throw new SshTunnelError('SSH_CLOSED', `The SSH tunnel through ${this.jumpHost} is closed`);
        }
        this.connections += 1;
        this.client = client;
        this.lastFailure = undefined;
        this.lastError = null;
        // After 'ready', errors are followed by 'close'; the next ZooKeeper connection reconnects.
        client.on('error', (error) => {
          this.lastError = `The SSH connection to ${this.jumpHost} failed: ${error.message}`;
        });
        client.once('close', () => {
          if (this.client === client) this.client = undefined;
          if (!this.closed) this.setState('down');
        });
        this.setState('up');
        return client;
      },
      (error: unknown) => {
        this.connecting = undefined;
        const failure =
          error instanceof SshTunnelError
            ? error
            : new SshTunnelError('SSH_UNREACHABLE', `SSH jump host ${this.jumpHost}: ${String(error)}`);
        this.lastFailure = { at: Date.now(), error: failure };
        this.lastError = failure.message;
        if (!this.closed) this.setState('down');
        throw failure;
      },
    );
    this.connecting = attempt;
    return attempt;
  }

  private onLocalConnection(forward: Forward, socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    this.ensureClient().then(
      (client) => {
        if (socket.destroyed) return;
        client.forwardOut(
          LOOPBACK,
          socket.remotePort ?? 0,
          hostOf(forward.target),
          forward.target.port,
          (error, channel) => {
            if (error) {
              forward.lastError = this.channelError(forward, error);
              socket.destroy();
              return;
            }
            forward.lastError = null;
            if (socket.destroyed) {
              channel.close();
              return;
            }
            channel.on('error', () => socket.destroy());
            channel.once('close', () => socket.destroy());
            socket.once('close', () => channel.close());
            socket.pipe(channel).pipe(socket);
            socket.resume();
          },
        );
      },
      () => socket.destroy(),
    );
  }

  private channelError(forward: Forward, error: Error): string {
    return `The SSH jump host ${this.jumpHost} could not open a connection to ${forward.label} (${error.message}): check that the ZooKeeper server address is right as seen from the jump host, and that sshd there allows TCP forwarding (AllowTcpForwarding)`;
  }

  private setState(state: TunnelState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', this.status());
  }
}
