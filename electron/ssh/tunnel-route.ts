/**
 * The one place an engine endpoint becomes the connect string the ZooKeeper client is given: the
 * endpoint's own servers, or, when its saved connection goes through an SSH jump host, the loopback
 * forwards of that connection's tunnel. The copy engine's session factories (the host's, which the
 * zkCopy API and runbook steps share, and the CLI's) open sessions and bulk readers through it, so
 * a copy or a runbook step against a tunnelled connection goes where the explorer goes.
 *
 * Endpoints keep the real servers (runs store them and resume from them); the forwarded address is
 * only ever handed to the client. Whatever is opened holds a lease on the tunnel until it is closed.
 */
import { parseConnectString } from '../../shared/connect-string';
import type { Store } from '../store/types';
import { isZkError } from '../zk/errors';
import type { SshTunnel } from './ssh-tunnel';

/** Tunnels by saved connection: the host's TunnelPool, or the CLI's tunnels for one command. */
export interface TunnelLeases {
  /** The connection's tunnel (opened if needed), or undefined when it has no jump host. */
  acquire(connectionId: string): Promise<{ tunnel: SshTunnel; release(): void } | undefined>;
}

/** What the route needs of an endpoint: its servers and, for a saved connection, its id. */
export interface RoutableEndpoint {
  connectString: string;
  connectionId?: string;
}

export interface TunnelRoute {
  /** The connect string to give the ZooKeeper client. */
  connectString: string;
  /** The tunnel it goes through, if any. */
  tunnel?: SshTunnel;
  /** Lets go of the tunnel (a no-op for a direct route). */
  release(): void;
}

const DIRECT_RELEASE = () => {};

/** Every server of `connectString` replaced by its forward; the chroot kept. */
function forwardedConnectString(tunnel: SshTunnel, connectString: string, name: string): string {
  const parsed = parseConnectString(connectString);
  if (!parsed.ok) throw new Error(`Connection '${name}' has an invalid connect string: ${parsed.error}`);
  const local = parsed.value.hosts.map((server) => {
    const target = `${server.host}:${server.port}`;
    const address = tunnel.localAddressOf(target);
    if (!address) {
      // A run planned before the connection's servers were edited still names the old ones.
      throw new Error(
        `Connection '${name}' forwards ${tunnel.forwards.map((f) => f.target).join(', ')} through its SSH jump host ${tunnel.jumpHost}, not ${target}: its servers changed after this run was planned. Plan a new run`,
      );
    }
    return `${address.host}:${address.port}`;
  });
  return local.join(',') + (parsed.value.chroot ?? '');
}

/** Where to connect for `endpoint`; the caller releases the route when what it opened is closed. */
export async function routeEndpoint(
  store: Store,
  leases: TunnelLeases,
  endpoint: RoutableEndpoint,
): Promise<TunnelRoute> {
  const profile = endpoint.connectionId ? store.connections.get(endpoint.connectionId) : undefined;
  if (!profile?.sshTunnel) return { connectString: endpoint.connectString, release: DIRECT_RELEASE };
  const lease = await leases.acquire(profile.id);
  if (!lease) return { connectString: endpoint.connectString, release: DIRECT_RELEASE };
  try {
    return {
      connectString: forwardedConnectString(lease.tunnel, endpoint.connectString, profile.name),
      tunnel: lease.tunnel,
      release: lease.release,
    };
  } catch (error) {
    lease.release();
    throw error;
  }
}

const explained = new WeakSet<Error>();

/**
 * The requests of sessions and bulk readers: their failures (a lost connection, a reconnect that
 * could not reach the forward while the jump host is away) are explained like a failed open.
 */
const REQUESTS = [
  'exists',
  'getData',
  'getChildren',
  'getACL',
  'create',
  'setData',
  'remove',
  'setACL',
  'multi',
] as const;

const CONNECTION_FAILURES = new Set([
  'CONNECTION_LOSS',
  'SESSION_EXPIRED',
  'TIMEOUT',
  'UNREACHABLE',
  'CLOSED',
]);

function isConnectionFailure(error: unknown): boolean {
  return isZkError(error) && CONNECTION_FAILURES.has(error.code);
}

function explainRequests(target: object, tunnel: SshTunnel): void {
  const methods = target as Record<string, unknown>;
  for (const name of REQUESTS) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = (...args: unknown[]) => {
      const result: unknown = original.apply(target, args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        // NO_NODE, BAD_VERSION, NO_AUTH... are the server's answers: the route has nothing to add.
        throw isConnectionFailure(error) ? explainThroughTunnel(tunnel, error) : error;
      });
    };
  }
}

/**
 * A failure to connect through a tunnel, said with the servers and the jump host the operator knows
 * rather than the loopback forwards. The error keeps its class and code (the engine retries
 * CONNECTION_LOSS and UNREACHABLE while the jump host is away): only the message changes.
 */
export function explainThroughTunnel(tunnel: SshTunnel, error: unknown): unknown {
  // One failure may reject many queued reads: it is explained once.
  if (!(error instanceof Error) || explained.has(error)) return error;
  explained.add(error);
  const status = tunnel.status();
  const why = [status.lastError, ...status.forwards.map((f) => f.lastError)].filter(
    (text): text is string => typeof text === 'string' && text !== '',
  );
  error.message = `${tunnel.explain(error.message)} (through the SSH jump host ${tunnel.jumpHost}${
    why.length > 0 ? `: ${[...new Set(why)].join('; ')}` : ''
  })`;
  return error;
}

/**
 * Opens a session or a bulk reader for `endpoint` through its route. A tunnelled one holds the
 * tunnel until its close() (wrapped here), so the tunnel outlives every session that uses it, and
 * its failures name the servers and the jump host rather than the loopback forwards.
 */
export async function openRouted<T extends { close(): Promise<void> }>(
  store: Store,
  leases: TunnelLeases,
  endpoint: RoutableEndpoint,
  open: (connectString: string) => Promise<T>,
): Promise<T> {
  const route = await routeEndpoint(store, leases, endpoint);
  let opened: T;
  try {
    opened = await open(route.connectString);
  } catch (error) {
    route.release();
    throw route.tunnel ? explainThroughTunnel(route.tunnel, error) : error;
  }
  if (!route.tunnel) return opened;
  explainRequests(opened, route.tunnel);
  const close = opened.close.bind(opened);
  opened.close = async () => {
    try {
      await close();
    } finally {
      route.release();
    }
  };
  return opened;
}
