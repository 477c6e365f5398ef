/**
 * A loopback TCP proxy in front of ZooKeeper that a test can cut and restore, like a VPN or SSH
 * tunnel dropping: while cut, open connections are destroyed and new ones are closed at once.
 */
import net from 'node:net';

export interface TcpProxy {
  /** host:port of the proxy, for a connect string. */
  address: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Opens the connection to `target` (host:port) for a client of a proxy, and keeps the pair together:
 * both are tracked in `sockets` (so a cut or close can destroy them), and when either side ends or
 * fails, both are destroyed and forgotten. The caller moves the bytes.
 */
export function connectUpstream(client: net.Socket, target: string, sockets: Set<net.Socket>): net.Socket {
  const [host, port] = target.split(':');
  const upstream = net.connect(Number(port), host as string);
  sockets.add(client);
  sockets.add(upstream);
  const drop = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on('error', drop).on('close', drop);
  upstream.on('error', drop).on('close', drop);
  return upstream;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connectUpstream(client, target, sockets);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${address.port}`,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    close() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
