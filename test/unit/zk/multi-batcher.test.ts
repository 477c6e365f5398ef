import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { OPEN_ACL_UNSAFE, toClientAcl } from '../../../electron/zk/acl';
import { ZkError } from '../../../electron/zk/errors';
import {
  type MultiOp,
  type MultiResult,
  multiOpBytes,
  multiRequestBytes,
  singleOpRequestBytes,
  type ZkWriteSession,
} from '../../../electron/zk/multi';
import {
  BatchCommitError,
  commitOps,
  commitSplitting,
  DEFAULT_BATCH_BYTES,
  MultiBatcher,
} from '../../../electron/zk/multi-batcher';
import { MAX_REQUEST_BYTES } from '../../../electron/zk/zk-session';

const require = createRequire(import.meta.url);
// The client's own serializer: the byte arithmetic must agree with what goes on the wire.
const jute = require('node-zookeeper-client/lib/jute') as {
  OP_CODES: Record<string, number>;
  TransactionRequest: new (ops: unknown[]) => { byteLength(): number };
  protocol: { RequestHeader: new () => { byteLength(): number } };
};

const open = [...OPEN_ACL_UNSAFE];
const create = (path: string, bytes: number, acl = open): MultiOp => ({
  type: 'create',
  path,
  data: Buffer.alloc(bytes, 1),
  acl,
});

function wireBytes(ops: MultiOp[], chroot = ''): number {
  const records = ops.map((op): Record<string, unknown> => {
    const path = chroot + op.path;
    switch (op.type) {
      case 'create':
        return { type: jute.OP_CODES.CREATE, path, data: op.data, acls: op.acl.map(toClientAcl), mode: 0 };
      case 'setData':
        return { type: jute.OP_CODES.SET_DATA, path, data: op.data, version: op.version };
      case 'remove':
        return { type: jute.OP_CODES.DELETE, path, version: op.version };
      default:
        return { type: jute.OP_CODES.CHECK, path, version: op.version };
    }
  });
  return new jute.protocol.RequestHeader().byteLength() + new jute.TransactionRequest(records).byteLength();
}

describe('multi byte arithmetic', () => {
  it('matches the client serializer for every op type, multi-byte paths, ACLs and a chroot', () => {
    const ops: MultiOp[] = [
      create('/a/b', 100),
      create('/ünïcödé/ノード', 0, [
        { scheme: 'digest', id: 'ops:cXdlcnR5dWlvcA==', perms: 'cdrwa' },
        ...open,
      ]),
      { type: 'setData', path: '/a', data: Buffer.alloc(7), version: 3 },
      { type: 'remove', path: '/a/b/c', version: -1 },
      { type: 'check', path: '/a', version: 0 },
    ];
    const sum = ops.reduce((total, op) => total + multiOpBytes(op), 0);
    expect(multiRequestBytes(sum)).toBe(wireBytes(ops));
    const chrooted = ops.reduce((total, op) => total + multiOpBytes(op, '/pegasus'.length), 0);
    expect(multiRequestBytes(chrooted)).toBe(wireBytes(ops, '/pegasus'));
  });

  it('counts a lone op as a plain request smaller than a multi of one', () => {
    const op = create('/x', 1000);
    expect(singleOpRequestBytes(op)).toBe(multiRequestBytes(multiOpBytes(op)) - 18);
  });
});

describe('MultiBatcher', () => {
  it('sizes batches by bytes, never above the bound, keeping the order', () => {
    const batcher = new MultiBatcher<number>();
    const sealed = Array.from({ length: 1100 }, (_, i) => batcher.add(create(`/n/${i}`, 1000), i)).flat();
    const last = batcher.flush();
    if (last) sealed.push(last);
    expect(sealed.map((batch) => batch.entries.length)).toEqual([497, 497, 106]);
    const opBytes = multiOpBytes(create('/n/1000', 1000));
    for (const [index, batch] of sealed.entries()) {
      expect(batch.requestBytes).toBeLessThanOrEqual(DEFAULT_BATCH_BYTES);
      expect(batch.requestBytes).toBe(wireBytes(batch.entries.map((entry) => entry.op)));
      // Full: one more op would have crossed the bound.
      if (index < sealed.length - 1)
        expect(batch.requestBytes + opBytes).toBeGreaterThan(DEFAULT_BATCH_BYTES);
    }
    expect(sealed.flatMap((batch) => batch.entries.map((entry) => entry.tag))).toEqual(
      Array.from({ length: 1100 }, (_, i) => i),
    );
  });

  it('fits many small ops where a count-based limit would, and few large ones where it would break', () => {
    const small = new MultiBatcher<number>({ maxBytes: 64 * 1024 });
    const sealedSmall = Array.from({ length: 300 }, (_, i) => small.add(create(`/s/${i}`, 10), i)).flat();
    expect(sealedSmall).toEqual([]);
    expect(small.size).toBe(300);
    const large = new MultiBatcher<number>();
    const sealedLarge = Array.from({ length: 4 }, (_, i) => large.add(create(`/l/${i}`, 200_000), i)).flat();
    expect(sealedLarge.map((batch) => batch.entries.length)).toEqual([2]);
  });

  it('sends a node near 1 MB alone, after what was waiting', () => {
    const batcher = new MultiBatcher<string>();
    batcher.add(create('/a', 10), 'a');
    const sealed = batcher.add(create('/big', MAX_REQUEST_BYTES - 300), 'big');
    expect(sealed.map((batch) => batch.entries.map((entry) => entry.tag))).toEqual([['a'], ['big']]);
    expect(batcher.size).toBe(0);
  });

  it('also bounds ops per batch when asked (a latency knob)', () => {
    const batcher = new MultiBatcher<number>({ maxOps: 3 });
    const sealed = Array.from({ length: 7 }, (_, i) => batcher.add(create(`/o/${i}`, 1), i)).flat();
    expect(sealed.map((batch) => batch.entries.length)).toEqual([3, 3]);
    expect(batcher.flush()?.entries.length).toBe(1);
  });

  it('refuses a byte bound above jute.maxbuffer', () => {
    expect(() => new MultiBatcher({ maxBytes: MAX_REQUEST_BYTES + 1 })).toThrow(RangeError);
  });
});

function fakeSession(
  multi: (ops: readonly MultiOp[]) => Promise<MultiResult>,
  plain: Partial<ZkWriteSession> = {},
) {
  return { multi: vi.fn(multi), ...plain } as unknown as ZkWriteSession & { multi: ReturnType<typeof vi.fn> };
}

const fail = (count: number, index: number, code: 'NODE_EXISTS' | 'NO_NODE'): MultiResult => ({
  ok: false,
  failedIndex: index,
  results: Array.from({ length: count }, (_, i) => (i === index ? { ok: false, code } : { ok: i < index })),
});

describe('commitOps', () => {
  it('sends a lone op as a plain request and maps its op-level error to a culprit', async () => {
    const session = fakeSession(async () => ({ ok: true, results: [], failedIndex: -1 }), {
      create: vi.fn(async () => {
        throw new ZkError('NODE_EXISTS', 'exists', { path: '/a' });
      }),
    });
    const result = await commitOps(session, [create('/a', 1)]);
    expect(result).toEqual({ ok: false, failedIndex: 0, results: [{ ok: false, code: 'NODE_EXISTS' }] });
    expect(session.multi).not.toHaveBeenCalled();
  });

  it('rethrows a missing answer: the outcome is unknown', async () => {
    const session = fakeSession(async () => ({ ok: true, results: [], failedIndex: -1 }), {
      remove: vi.fn(async () => {
        throw new ZkError('CONNECTION_LOSS', 'lost');
      }),
    });
    await expect(commitOps(session, [{ type: 'remove', path: '/a', version: -1 }])).rejects.toMatchObject({
      code: 'CONNECTION_LOSS',
    });
  });
});

describe('commitSplitting', () => {
  const entries = ['a', 'b', 'c', 'd'].map((tag) => ({ op: create(`/${tag}`, 1), tag }));

  it('splits out the op the server names, and sends the rest again in order', async () => {
    const calls: string[][] = [];
    const session = fakeSession(async (ops) => {
      calls.push(ops.map((op) => op.path));
      const culprit = ops.findIndex((op) => op.type === 'create' && op.path === '/b');
      return culprit >= 0
        ? fail(ops.length, culprit, 'NODE_EXISTS')
        : { ok: true, results: ops.map(() => ({ ok: true })), failedIndex: -1 };
    });
    const resolve = vi.fn(async () => [
      { op: { type: 'setData', path: '/b', data: Buffer.alloc(1), version: 0 } as MultiOp, tag: 'b2' },
    ]);
    const result = await commitSplitting(session, entries, resolve);
    expect(resolve).toHaveBeenCalledWith(entries[1], 'NODE_EXISTS');
    expect(calls).toEqual([
      ['/a', '/b', '/c', '/d'],
      ['/a', '/b', '/c', '/d'],
    ]);
    expect(result.applied.map((entry) => entry.tag)).toEqual(['a', 'b2', 'c', 'd']);
    expect(result.requests).toBe(2);
  });

  it('bisects when the server names no culprit', async () => {
    const created: string[] = [];
    const session = fakeSession(
      async (ops) => ({ ok: false, failedIndex: -1, results: ops.map(() => ({ ok: false })) }),
      {
        create: vi.fn(async (path: string) => {
          created.push(path);
          return path;
        }),
      },
    );
    const result = await commitSplitting(session, entries, async () => []);
    expect(result.applied.map((entry) => entry.tag)).toEqual(['a', 'b', 'c', 'd']);
    // Halves of two still fail without a culprit; single ops go as plain requests, in order.
    expect(created).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('on a lost answer, says what is known applied and what is unsettled', async () => {
    let call = 0;
    const session = fakeSession(async (ops) => {
      call += 1;
      if (call === 1) return fail(ops.length, -1 as never, 'NO_NODE');
      throw new ZkError('CONNECTION_LOSS', 'lost');
    });
    // First call: no culprit named (index -1) -> bisect; the first half then loses its answer.
    const error = await commitSplitting(session, entries, async () => []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchCommitError);
    const commit = error as BatchCommitError<string>;
    expect(commit.reason.code).toBe('CONNECTION_LOSS');
    expect(commit.applied).toEqual([]);
    expect(commit.unsettled.map((entry) => entry.tag)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives up on a batch that never settles instead of looping forever', async () => {
    const session = fakeSession(async (ops) => fail(ops.length, 0, 'NODE_EXISTS'));
    await expect(commitSplitting(session, entries, async (entry) => [entry])).rejects.toThrow(/kept failing/);
  });
});
