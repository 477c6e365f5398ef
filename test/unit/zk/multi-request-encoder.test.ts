/**
 * The one-pass multi encoder against the independent reference next to it: node-zookeeper-client's
 * own jute TransactionRequest must produce the very same bytes for the same ops (with and without a
 * chroot, binary and empty data, several ACL entries, every op type).
 */
import { createRequire } from 'node:module';
import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import type { MultiOp } from '../../../electron/zk/multi';
import { encodeMultiBody } from '../../../electron/zk/multi-request-encoder';

interface ClientTransactionRequest {
  setChrootPath(path: string): void;
  byteLength(): number;
  serialize(buffer: Buffer, offset: number): number;
}

const jute = createRequire(import.meta.url)('node-zookeeper-client/lib/jute') as {
  OP_CODES: Record<string, number>;
  TransactionRequest: new (ops: unknown[]) => ClientTransactionRequest;
};

const acl = [
  { scheme: 'world', id: 'anyone', perms: 'r' },
  { scheme: 'digest', id: 'ops:JLmPZcUtSlbdM0UdU3bVk4j9ehE=', perms: 'cdrwa' },
];

const ops: MultiOp[] = [
  { type: 'create', path: '/a', data: Buffer.from([0x00, 0xff, 0x80]), acl },
  { type: 'create', path: '/a/é', data: Buffer.alloc(0), acl: acl.slice(0, 1), mode: 'ephemeral' },
  { type: 'create', path: '/a/s-', data: Buffer.from('x'), acl, mode: 'persistent-sequential' },
  { type: 'setData', path: '/a', data: Buffer.from('new'), version: 7 },
  { type: 'check', path: '/', version: 3 },
  { type: 'remove', path: '/a/b', version: 12 },
];

const MODES = { persistent: 0, ephemeral: 1, 'persistent-sequential': 2, 'ephemeral-sequential': 3 };
const PERMS: Record<string, number> = { r: 1, cdrwa: 31 };

/** The same ops in the shape the client's Transaction queues them. */
function clientOps(list: MultiOp[]): unknown[] {
  return list.map((op) => {
    switch (op.type) {
      case 'create':
        return {
          type: jute.OP_CODES.CREATE,
          path: op.path,
          data: op.data,
          acls: op.acl.map(
            (entry) => new zookeeper.ACL(PERMS[entry.perms]!, new zookeeper.Id(entry.scheme, entry.id)),
          ),
          mode: MODES[op.mode ?? 'persistent'],
        };
      case 'setData':
        return { type: jute.OP_CODES.SET_DATA, path: op.path, data: op.data, version: op.version };
      case 'check':
        return { type: jute.OP_CODES.CHECK, path: op.path, version: op.version };
      default:
        return { type: jute.OP_CODES.DELETE, path: op.path, version: op.version };
    }
  });
}

function reference(list: MultiOp[], chroot?: string): Buffer {
  const request = new jute.TransactionRequest(clientOps(list));
  if (chroot) request.setChrootPath(chroot);
  const buffer = Buffer.alloc(request.byteLength());
  request.serialize(buffer, 0);
  return buffer;
}

describe('encodeMultiBody', () => {
  it("writes the bytes node-zookeeper-client's TransactionRequest writes", () => {
    expect(encodeMultiBody(ops).equals(reference(ops))).toBe(true);
  });

  it('prefixes the chroot to every path (the root becomes the chroot itself)', () => {
    const encoded = encodeMultiBody(ops, '/pegasus/c1');
    expect(encoded.equals(reference(ops, '/pegasus/c1'))).toBe(true);
    expect(encoded.includes(Buffer.from('/pegasus/c1/a/b'))).toBe(true);
  });

  it('keeps a version of 0 (the client turned it into -1, dropping the check)', () => {
    const body = encodeMultiBody([{ type: 'setData', path: '/v', data: Buffer.from('x'), version: 0 }]);
    // MultiHeader (9) + path (4 + 2) + data (4 + 1), then the version.
    expect(body.readInt32BE(9 + 6 + 5)).toBe(0);
  });

  it('ends with the done marker and nothing else for an empty list', () => {
    expect([...encodeMultiBody([])]).toEqual([0xff, 0xff, 0xff, 0xff, 1, 0xff, 0xff, 0xff, 0xff]);
  });
});
