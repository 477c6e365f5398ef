import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  BatchWriter,
  type SettledBatch,
  type WriteTag,
} from '../../../electron/engines/zk-copy/batch-writer';
import { ZkError } from '../../../electron/zk/errors';
import type { MultiOp, MultiResult, ZkWriteSession } from '../../../electron/zk/multi';
import { preorderKey } from '../../../electron/zk/tree-walker';

const open = [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }];

/** An in-memory ensemble with a multi that can lose its answer (before or after applying). */
class FakeZk {
  nodes = new Map<string, { data: Buffer; version: number }>([['/', { data: Buffer.alloc(0), version: 0 }]]);
  applied: string[] = [];
  inFlight = 0;
  peakInFlight = 0;
  /** Per multi call: lose the answer, and whether the ops were applied first. */
  loss: ((call: number) => 'applied' | 'not-applied' | undefined) | undefined;
  calls = 0;

  session(): ZkWriteSession {
    const zk = this;
    const read = async (path: string) => {
      const node = zk.nodes.get(path);
      if (!node) throw new ZkError('NO_NODE', `${path} does not exist`, { path });
      return node;
    };
    return Object.assign(new EventEmitter(), {
      chroot: undefined,
      state: 'connected',
      sessionId: '0x1',
      async multi(ops: readonly MultiOp[]) {
        return zk.multi(ops);
      },
      async create(path: string, data: Buffer) {
        const result = await zk.multi([{ type: 'create', path, data, acl: open }]);
        if (!result.ok) throw new ZkError(result.results[0]!.code!, 'failed', { path });
        return path;
      },
      async getData(path: string) {
        const node = await read(path);
        return { data: node.data, stat: { version: node.version } };
      },
      async exists(path: string) {
        return zk.nodes.has(path) ? { version: zk.nodes.get(path)!.version } : null;
      },
    }) as unknown as ZkWriteSession;
  }

  private async multi(ops: readonly MultiOp[]): Promise<MultiResult> {
    const call = ++this.calls;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    // Later calls may finish first: the writer must still settle them in order.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
    this.inFlight -= 1;
    const loss = this.loss?.(call);
    if (loss === 'not-applied') throw new ZkError('CONNECTION_LOSS', 'lost');
    const staged = new Map(this.nodes);
    for (const [index, op] of ops.entries()) {
      const parent = op.path.slice(0, op.path.lastIndexOf('/')) || '/';
      const fail = (code: 'NODE_EXISTS' | 'NO_NODE'): MultiResult => ({
        ok: false,
        failedIndex: index,
        results: ops.map((_, i) => (i === index ? { ok: false, code } : { ok: i < index })),
      });
      if (op.type === 'create') {
        if (staged.has(op.path)) return fail('NODE_EXISTS');
        if (!staged.has(parent)) return fail('NO_NODE');
        staged.set(op.path, { data: op.data, version: 0 });
      }
    }
    this.nodes = staged;
    this.applied.push(...ops.map((op) => op.path));
    if (loss === 'applied') throw new ZkError('CONNECTION_LOSS', 'lost after applying');
    return { ok: true, results: ops.map(() => ({ ok: true })), failedIndex: -1 };
  }
}

const fastFaults = { initialDelayMs: 1, maxDelayMs: 5, giveUpAfterMs: 5000 };

function writerFor(zk: FakeZk, options: Partial<ConstructorParameters<typeof BatchWriter>[0]> = {}) {
  const settled: SettledBatch[] = [];
  const writer = new BatchWriter({
    session: zk.session(),
    maxBatchOps: 10,
    maxInFlight: 3,
    faults: fastFaults,
    resolveCulprit: async () => [],
    onSettled: (batch) => settled.push(batch),
    ...options,
  });
  return { writer, settled };
}

function add(writer: BatchWriter, path: string) {
  const tag: WriteTag = { key: preorderKey(path), rel: path, kind: 'create', dataBytes: 1 };
  writer.add({ type: 'create', path, data: Buffer.from(path), acl: open }, tag);
}

async function writeTree(writer: BatchWriter, parents: number, children: number) {
  for (let p = 0; p < parents; p += 1) {
    add(writer, `/p${p}`);
    for (let c = 0; c < children; c += 1) {
      add(writer, `/p${p}/c${c}`);
      await writer.waitForRoom();
    }
  }
  await writer.flush();
}

describe('BatchWriter', () => {
  it('keeps several batches in flight, children right behind their parents, and settles them in order', async () => {
    const zk = new FakeZk();
    const { writer, settled } = writerFor(zk);
    await writeTree(writer, 10, 9);
    expect(zk.nodes.size).toBe(1 + 100);
    expect(zk.peakInFlight).toBeGreaterThan(1);
    expect(zk.peakInFlight).toBeLessThanOrEqual(3);
    expect(settled.map((batch) => batch.seq)).toEqual(settled.map((_, index) => index + 1));
    expect(settled.reduce((sum, batch) => sum + batch.applied.length, 0)).toBe(100);
    expect(writer.lowestPendingKey()).toBeUndefined();
  });

  it('checks a batch whose answer was lost after it was applied, and does not send it again', async () => {
    const zk = new FakeZk();
    zk.loss = (call) => (call === 3 ? 'applied' : undefined);
    const { writer, settled } = writerFor(zk);
    await writeTree(writer, 5, 9);
    expect(zk.nodes.size).toBe(51);
    // Every node was applied exactly once: no blind retry of the lost batch.
    expect(zk.applied.length).toBe(50);
    expect(settled.reduce((sum, batch) => sum + batch.applied.length, 0)).toBe(50);
  });

  it('sends a batch again when the check shows it was not applied; later batches wait for it', async () => {
    const zk = new FakeZk();
    zk.loss = (call) => (call === 1 ? 'not-applied' : undefined);
    const waiting: (string | null)[] = [];
    const { writer, settled } = writerFor(zk, { onWaiting: (message) => waiting.push(message) });
    await writeTree(writer, 5, 9);
    expect(zk.nodes.size).toBe(51);
    expect(zk.applied.length).toBe(50);
    expect(settled[0]!.requests).toBe(2);
    expect(waiting[0]).toMatch(/CONNECTION_LOSS while trying to write a batch starting at \/p0; retrying/);
    expect(waiting.at(-1)).toBeNull();
  });

  it('lets the resolver decide about an op that fails its batch', async () => {
    const zk = new FakeZk();
    zk.nodes.set('/p0', { data: Buffer.from('someone else'), version: 4 });
    const decided: string[] = [];
    const { writer, settled } = writerFor(zk, {
      resolveCulprit: async (entry, code) => {
        decided.push(`${entry.op.path}:${code}`);
        return [];
      },
    });
    await writeTree(writer, 2, 4);
    expect(decided).toEqual(['/p0:NODE_EXISTS']);
    expect(zk.nodes.get('/p0')!.data.toString()).toBe('someone else');
    expect(settled.flatMap((batch) => batch.applied.map((entry) => entry.op.path))).not.toContain('/p0');
    expect(zk.nodes.has('/p1/c3')).toBe(true);
  });

  it('stops at a fatal answer, leaving the failed batch pending (a checkpoint never passes it)', async () => {
    const zk = new FakeZk();
    zk.nodes.set('/p1', { data: Buffer.from('x'), version: 0 });
    const { writer } = writerFor(zk, {
      resolveCulprit: async () => {
        throw new Error('not authorized');
      },
    });
    await expect(writeTree(writer, 3, 9)).rejects.toThrow('not authorized');
    expect(writer.failed).toBe(true);
    expect(writer.lowestPendingKey()! <= preorderKey('/p1')).toBe(true);
    expect(() => add(writer, '/late')).toThrow('not authorized');
  });
});
