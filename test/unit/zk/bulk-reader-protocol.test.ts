/**
 * The bulk reader's wire codec byte by byte, and its behaviour against a scripted fake server for
 * what a local ZooKeeper 3.8 cannot show: a server without multiRead (3.4/3.5 answer UNIMPLEMENTED
 * and drop the connection) and a connection lost in the middle of a read.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ZkBulkReader } from '../../../electron/zk/bulk-read/bulk-reader';
import {
  decodeMultiReadBody,
  decodeReadBody,
  encodeMultiRead,
  encodeRead,
  OP,
  Reader,
} from '../../../electron/zk/bulk-read/wire-protocol';

function statBytes(fields: {
  ctime: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
}): Buffer {
  const stat = Buffer.alloc(68);
  stat.writeBigInt64BE(1n, 0); // czxid
  stat.writeBigInt64BE(2n, 8); // mzxid
  stat.writeBigInt64BE(BigInt(fields.ctime), 16);
  stat.writeBigInt64BE(BigInt(fields.ctime + 5), 24);
  stat.writeInt32BE(7, 32); // version
  stat.writeInt32BE(0, 36);
  stat.writeInt32BE(0, 40);
  stat.writeBigInt64BE(fields.ephemeralOwner, 44);
  stat.writeInt32BE(fields.dataLength, 52);
  stat.writeInt32BE(fields.numChildren, 56);
  stat.writeBigInt64BE(3n, 60); // pzxid
  return stat;
}

const int = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
};
const str = (value: string) => Buffer.concat([int(Buffer.byteLength(value)), Buffer.from(value)]);

describe('wire protocol', () => {
  it('frames a getData request as length, xid, op, path, watch', () => {
    const frame = encodeRead(9, { type: OP.getData, serverPath: '/a/b' });
    expect([...frame]).toEqual([...int(17), ...int(9), ...int(4), ...str('/a/b'), 0]);
  });

  it('frames a getACL request as length, xid, op, path (no watch flag), and keeps it out of multiRead', () => {
    const frame = encodeRead(5, { type: OP.getACL, serverPath: '/a' });
    expect([...frame]).toEqual([...int(14), ...int(5), ...int(6), ...str('/a')]);
    expect(() => encodeMultiRead(1, [{ type: OP.getACL, serverPath: '/a' }])).toThrow(/getACL/);
  });

  it('decodes a getACL reply: entries with permission bits, the stat with aversion, one list per ACL', () => {
    const stat = statBytes({ ctime: 1, ephemeralOwner: 0n, dataLength: 0, numChildren: 0 });
    stat.writeInt32BE(3, 40); // aversion
    const body = Buffer.concat([
      int(2),
      int(31),
      str('world'),
      str('anyone'),
      int(1),
      str('digest'),
      str('ops:abc='),
      stat,
    ]);
    const first = decodeReadBody(new Reader(body), OP.getACL);
    expect(first).toEqual({
      ok: true,
      type: OP.getACL,
      acl: [
        { perms: 31, scheme: 'world', id: 'anyone' },
        { perms: 1, scheme: 'digest', id: 'ops:abc=' },
      ],
      stat: {
        version: 7,
        aversion: 3,
        dataLength: 0,
        numChildren: 0,
        ctime: 1,
        mtime: 6,
        ephemeralOwner: '0x0',
      },
    });
    const second = decodeReadBody(new Reader(Buffer.from(body)), OP.getACL);
    expect(second.ok && second.type === OP.getACL && first.ok && first.type === OP.getACL).toBe(true);
    if (second.ok && second.type === OP.getACL && first.ok && first.type === OP.getACL) {
      expect(second.acl).toBe(first.acl);
      expect(Object.isFrozen(second.acl)).toBe(true);
    }
  });

  it('frames a multiRead with a MultiHeader per op and the end marker', () => {
    const frame = encodeMultiRead(3, [
      { type: OP.getData, serverPath: '/x' },
      { type: OP.getChildren, serverPath: '/y' },
    ]);
    const header = (type: number, done: boolean) => [...int(type), done ? 1 : 0, ...int(-1)];
    const body = [
      ...int(3),
      ...int(22),
      ...header(4, false),
      ...str('/x'),
      0,
      ...header(8, false),
      ...str('/y'),
      0,
      ...header(-1, true),
    ];
    expect([...frame]).toEqual([...int(body.length), ...body]);
  });

  it('decodes multiRead results: data with stat, children, and a per-op error', () => {
    const stat = statBytes({
      ctime: 1_700_000_000_123,
      ephemeralOwner: 0x1000abcdef12n,
      dataLength: 3,
      numChildren: 2,
    });
    const body = Buffer.concat([
      int(4),
      Buffer.from([0]),
      int(0),
      int(3),
      Buffer.from('abc'),
      stat,
      int(8),
      Buffer.from([0]),
      int(0),
      int(2),
      str('b'),
      str('a'),
      int(-1),
      Buffer.from([0]),
      int(-101),
      int(-101),
      int(-1),
      Buffer.from([1]),
      int(-1),
    ]);
    const results = decodeMultiReadBody(new Reader(body), 3);
    expect(results[0]).toEqual({
      ok: true,
      type: 4,
      data: Buffer.from('abc'),
      stat: {
        version: 7,
        aversion: 0,
        dataLength: 3,
        numChildren: 2,
        ctime: 1_700_000_000_123,
        mtime: 1_700_000_000_128,
        ephemeralOwner: '0x1000abcdef12',
      },
    });
    expect(results[1]).toEqual({ ok: true, type: 8, children: ['b', 'a'] });
    expect(results[2]).toEqual({ ok: false, err: -101 });
    expect(() => decodeMultiReadBody(new Reader(body), 4)).toThrow(/3 results for 4 reads/);
    expect(() => decodeMultiReadBody(new Reader(body.subarray(0, 30)), 3)).toThrow(/truncated/);
  });

  it('prints a persistent owner as 0x0 and a null buffer as empty data', () => {
    const body = Buffer.concat([
      int(-1),
      statBytes({ ctime: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0 }),
    ]);
    const reader = new Reader(body);
    expect(reader.bytes().length).toBe(0);
    expect(reader.stat().ephemeralOwner).toBe('0x0');
  });
});

interface FakeServer {
  address: string;
  connections: number;
  close(): Promise<void>;
}

/**
 * A scripted ZooKeeper: answers the handshake, getData with "v:<path>", closeSession; multiRead with
 * UNIMPLEMENTED then a dropped connection (a 3.5 server). `dropFirstRead` drops the connection on
 * the first getData it sees, once.
 */
async function startFakeServer(options: { dropFirstRead?: boolean } = {}): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  let dropped = false;
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let handshaken = false;
    let pending = Buffer.alloc(0);
    const reply = (xid: number, err: number, body: Buffer = Buffer.alloc(0)) => {
      const header = Buffer.alloc(16);
      header.writeInt32BE(xid, 0);
      header.writeBigInt64BE(1n, 4);
      header.writeInt32BE(err, 12);
      const frame = Buffer.concat([header, body]);
      socket.write(Buffer.concat([int(frame.length), frame]));
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const body = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + body.length);
        if (!handshaken) {
          handshaken = true;
          const response = Buffer.concat([
            int(0),
            int(10_000),
            Buffer.alloc(8, 1),
            int(16),
            Buffer.alloc(16),
            Buffer.from([0]),
          ]);
          socket.write(Buffer.concat([int(response.length), response]));
          continue;
        }
        const reader = new Reader(body);
        const xid = reader.int();
        const op = reader.int();
        if (op === OP.multiRead) {
          reply(xid, -6);
          socket.end();
          return;
        }
        if (op === OP.getData) {
          if (options.dropFirstRead && !dropped) {
            dropped = true;
            socket.destroy();
            return;
          }
          const path = reader.string();
          const data = Buffer.from(`v:${path}`);
          reply(
            xid,
            0,
            Buffer.concat([
              int(data.length),
              data,
              statBytes({ ctime: 1, ephemeralOwner: 0n, dataLength: data.length, numChildren: 0 }),
            ]),
          );
        } else if (op === OP.closeSession) {
          reply(xid, 0);
          socket.end();
        } else if (op !== OP.ping) {
          reply(xid, -6);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('ZkBulkReader against a scripted server', () => {
  it('falls back to one request per read when the server has no multiRead', async () => {
    const server = await startFakeServer();
    cleanups.push(() => server.close());
    const reader = await ZkBulkReader.open({
      connectString: `${server.address}/chroot`,
      sessionTimeoutMs: 5000,
      connectTimeoutMs: 2000,
      sessions: 1,
    });
    cleanups.push(() => reader.close());
    expect(reader.stats().mode).toBe('single-reads');
    // The probe's connection was dropped by the server: a second one was opened.
    expect(server.connections).toBe(2);
    const values = await Promise.all([reader.getData('/a'), reader.getData('/b')]);
    expect(values.map((v) => v.data.toString())).toEqual(['v:/chroot/a', 'v:/chroot/b']);
  });

  it('retries reads once on a fresh session when the connection drops under them', async () => {
    const server = await startFakeServer({ dropFirstRead: true });
    cleanups.push(() => server.close());
    const reader = await ZkBulkReader.open({
      connectString: server.address,
      sessionTimeoutMs: 5000,
      connectTimeoutMs: 2000,
      sessions: 1,
      multiRead: 'never',
    });
    cleanups.push(() => reader.close());
    const value = await reader.getData('/again');
    expect(value.data.toString()).toBe('v:/again');
    expect(reader.stats().retried).toBe(1);
  });
});
