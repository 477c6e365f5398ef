/**
 * Cleanup against a real server (issue 5, section 2): the export comes first, the count confirmed
 * is the export's, a node created after the export stops it before anything is deleted, and a
 * cleanup stopped half-way (paused, the process gone) resumes in a new process and deletes the rest,
 * bottom-up through a deep and a wide branch, streaming (no list of the tree is kept).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ProgressEvent } from '../../../electron/engines/zk-copy/types';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createWide, type Kit, makeKit, removeSubtree } from './engine-test-kit';

const DST = inject('zkSecondary');
const base = uniqueTestRoot('cleanup');
const kits: Kit[] = [];
let dst: ZkSession;

/** A root with a deep chain, a wide parent and a few leaves: `1 + 6 + 1 + wide + 3` nodes. */
async function seed(root: string, wide: number): Promise<number> {
  await dst.create(root, Buffer.from('old cluster'));
  let chain = root;
  for (let depth = 0; depth < 6; depth += 1) {
    chain = `${chain}/d${depth}`;
    await dst.create(chain, Buffer.from(`depth ${depth}`));
  }
  await createWide(dst, `${root}/wide`, wide, (i) => Buffer.alloc(50, i % 256));
  for (const leaf of ['a', 'b', 'c']) await dst.create(`${root}/${leaf}`, Buffer.alloc(0));
  return 1 + 6 + 1 + wide + 3;
}

function target(path: string) {
  return { kind: 'zk' as const, connectString: DST, path };
}

function kit(): Kit {
  const made = makeKit({ tuning: { maxBatchOps: 200 } });
  kits.push(made);
  return made;
}

beforeAll(async () => {
  dst = await connect(DST);
  await dst.create(base, Buffer.alloc(0));
});

afterAll(async () => {
  for (const made of kits) await made.close();
  await removeSubtree(dst, base);
  await dst.close();
}, 60_000);

describe('cleanup', () => {
  it('exports, takes the confirmed count, and deletes the whole tree bottom-up', async () => {
    const root = `${base}/whole`;
    const nodes = await seed(root, 3000);
    const on = kit();
    const prepared = await on.runs.prepareCleanup(target(root));
    expect(prepared.result?.cleanup).toMatchObject({ nodeCount: nodes, complete: true });
    expect(() => on.runs.start(prepared.id, { confirmNodeCount: nodes + 1 })).toThrow(
      new RegExp(`not the ${nodes} nodes of the export`),
    );
    expect(await dst.exists(root)).not.toBeNull();
    const events: ProgressEvent[] = [];
    on.runs.events.on('progress', (event: ProgressEvent) => {
      if (event.runId === prepared.id && event.phase === 'cleanup') events.push(event);
    });
    const done = await on.runs.start(prepared.id, { confirmNodeCount: nodes });
    expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
    expect(done.result?.cleanup).toMatchObject({ deleted: nodes, nodeCount: nodes });
    expect(await dst.exists(root)).toBeNull();
    // Counted first (a message, no total yet), then deleted against the total, ending at 100 %.
    expect(events.some((event) => /Counting the nodes/.test(event.message ?? ''))).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: nodes, total: nodes, percent: 100 });
    expect(events.every((event) => (event.percent ?? 0) <= 100)).toBe(true);
    const batches = on.store.events.list({
      target: prepared.id,
      actionPrefix: 'zk-cleanup.batch',
      limit: 1000,
    });
    expect(batches.reduce((sum, event) => sum + Number(event.detail.deleted), 0)).toBe(nodes);
  }, 60_000);

  it('stops before deleting anything when a node was created after the export', async () => {
    const root = `${base}/grown`;
    const nodes = await seed(root, 50);
    const on = kit();
    const prepared = await on.runs.prepareCleanup(target(root));
    await dst.create(`${root}/d0/late`, Buffer.from('not in the export'));
    const done = await on.runs.start(prepared.id, { confirmNodeCount: nodes });
    expect(done.state).toBe('failed');
    expect(done.result?.error?.message).toMatch(/d0\/late was created after the export/);
    expect(await dst.exists(`${root}/wide/n00049`)).not.toBeNull();
    expect(await dst.exists(`${root}/d0/d1/d2/d3/d4/d5`)).not.toBeNull();
  }, 60_000);

  it('resumes in a new process after a pause half-way, deleting only what is left', async () => {
    const root = `${base}/halfway`;
    const nodes = await seed(root, 4000);
    const first = kit();
    const prepared = await first.runs.prepareCleanup(target(root));
    const halfway = new Promise<void>((resolve) => {
      first.runs.events.on('progress', (event: ProgressEvent) => {
        if (event.runId === prepared.id && event.phase === 'cleanup' && event.done >= 1000) resolve();
      });
    });
    const running = first.runs.start(prepared.id, { confirmNodeCount: nodes });
    await halfway;
    const paused = await first.runs.pauseAndSettle(prepared.id);
    expect(paused.state).toBe('paused');
    const left = await dst.exists(`${root}/wide`);
    expect(left).not.toBeNull();
    // The process that ran it is gone; another one (the app after a restart) resumes it.
    const second = makeKit({ store: first.store, tuning: { maxBatchOps: 200 } });
    kits.push(second);
    const done = await second.runs.start(prepared.id);
    expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
    expect(done.result?.cleanup?.deleted).toBe(nodes);
    expect(await dst.exists(root)).toBeNull();
    void running.catch(() => undefined);
  }, 60_000);
});
