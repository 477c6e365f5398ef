/**
 * A loopback proxy in front of ZooKeeper that can let a client's write land and keep the answer from
 * it: once armed, the next setData request a client sends goes through to the server, and from then
 * on nothing the server sends on that connection reaches the client. The znode changes, the client
 * never learns that it did: the state of a process killed right after a write, before it could record
 * it, placed deterministically (killing on a timer or on a watch loses the race to the client's next
 * few milliseconds).
 *
 * It reads only the framing of ZooKeeper's protocol: every packet is a 4-byte big-endian length and
 * a body; the first body a client sends is its ConnectRequest, each later one starts with xid and
 * type (setData is type 5).
 */
import net from 'node:net';
import { connectUpstream } from './tcp-proxy';

const OP_SET_DATA = 5;

export interface ZkReplyHoldProxy {
  /** host:port of the proxy, for a connect string. */
  address: string;
  /** Hold the answers after the next setData (on whichever connection sends it). */
  armOnNextSetData(): void;
  /** Resolves once an armed hold took effect: a setData went through and its answer is kept back. */
  whenHolding(): Promise<void>;
  close(): Promise<void>;
}

/** Splits a client's byte stream into ZooKeeper packets and reports each request's type. */
class RequestFramer {
  private pending = Buffer.alloc(0);
  private first = true;

  constructor(private readonly onRequest: (type: number | null) => void) {}

  push(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + length) return;
      const body = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      if (this.first) {
        this.first = false;
        this.onRequest(null);
      } else {
        this.onRequest(body.length >= 8 ? body.readInt32BE(4) : null);
      }
    }
  }
}

export async function startZkReplyHoldProxy(target: string): Promise<ZkReplyHoldProxy> {
  const sockets = new Set<net.Socket>();
  let armed = false;
  let holding: (() => void) | null = null;
  let held = new Promise<void>((resolve) => {
    holding = resolve;
  });
  const server = net.createServer((client) => {
    const upstream = connectUpstream(client, target, sockets);
    let hold = false;
    const framer = new RequestFramer((type) => {
      if (armed && type === OP_SET_DATA) {
        // This connection's answers stop here; the request itself still goes to the server.
        armed = false;
        hold = true;
      }
    });
    client.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      upstream.write(chunk);
      if (hold) holding?.();
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!hold) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${address.port}`,
    armOnNextSetData() {
      armed = true;
      held = new Promise<void>((resolve) => {
        holding = resolve;
      });
    },
    whenHolding: () => held,
    close() {
      armed = false;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
