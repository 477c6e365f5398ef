/**
 * The copy engine through the host API (what the "Copy and compare subtrees" view will drive): over
 * real HTTP for plan/start/status/list/report and the confirmations, through a server-side caller for
 * the event stream and the pause/resume/cancel timing. Real servers, a real store.
 */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, inject, it } from 'vitest';
import type { ZkCopyStreamEvent } from '../../../electron/host/routers/zk-copy-router';
import { type AppRouter, appRouter } from '../../../electron/host/router';
import { createCallerFactory } from '../../../electron/host/trpc';
import { apiClient } from '../../setup/host-fixture';
import { registerCopyBench } from './copy-bench';
import { createWideTree, waitForApiRunEnd } from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const NODES = 1 + 20 * 151;

let sourceId = '';
let targetId = '';
let readOnlyTargetId = '';

function client() {
  return apiClient(bench.host);
}

function caller() {
  return createCallerFactory(appRouter)({ services: bench.host.services });
}

function waitForEnd(runId: string, timeoutMs = 60_000) {
  return waitForApiRunEnd(client(), runId, timeoutMs, 100);
}

const bench = registerCopyBench({
  label: 'api',
  src: SRC,
  dst: DST,
  tree: { parents: 20, children: 150, payload: (i) => Buffer.alloc(100, i) },
  host: true,
  async setup(opened) {
    const api = client();
    sourceId = (await api.connections.create.mutate({ name: 'source', connectString: SRC })).id;
    targetId = (await api.connections.create.mutate({ name: 'target', connectString: DST })).id;
    readOnlyTargetId = (await api.connections.create.mutate({ name: 'target-ro', connectString: DST })).id;
    opened.host.services.store.connections.update(targetId, { readOnly: false });
  },
  hookMs: 120_000,
});
const { source, target: targets } = bench;

describe('zkCopy over the API', () => {
  it('plans, starts the planned run, streams progress, and reports the verify result', async () => {
    const api = client();
    const input = {
      source: { connectionId: sourceId, path: source },
      target: { connectionId: targetId, path: `${targets}/one` },
    };
    const { run, plan } = await api.zkCopy.plan.mutate(input);
    expect(run.state).toBe('planned');
    expect(plan).toMatchObject({
      creates: NODES,
      updates: 0,
      deletes: 0,
      sourceNodes: NODES,
      records: NODES,
    });

    const events: ZkCopyStreamEvent[] = [];
    const stream = (async () => {
      // Leaving the loop ends the subscription (its listeners are removed in the generator's finally).
      const iterable = await caller().zkCopy.events({ runId: run.id });
      for await (const event of iterable as AsyncIterable<ZkCopyStreamEvent>) {
        events.push(event);
        if (event.type === 'state' && event.run.state === 'completed') break;
      }
    })();
    const started = await api.zkCopy.start.mutate({ runId: run.id });
    expect(started.live).toBe(true);
    await stream;

    const done = await waitForEnd(run.id);
    expect(done.state).toBe('completed');
    expect(done.result!.verify!.counts).toMatchObject({ matching: NODES, mismatched: 0, extraTarget: 0 });
    const progress = events.flatMap((event) => (event.type === 'progress' ? [event.event] : []));
    const copyProgress = progress.filter((event) => event.phase === 'copy');
    expect(copyProgress.length).toBeGreaterThan(0);
    // The plan's size is the copy's total: a percentage that ends at exactly 100, never beyond.
    expect(copyProgress.every((event) => event.total === NODES)).toBe(true);
    expect(Math.max(...progress.map((event) => event.percent ?? 0))).toBe(100);
    expect(copyProgress.at(-1)!.percent).toBe(100);
    expect(progress.some((event) => event.phase === 'verify')).toBe(true);

    const report = await api.zkCopy.report.query({ runId: run.id });
    expect(report.checkpoints.map((checkpoint) => [checkpoint.unit, checkpoint.done])).toEqual([
      ['copy', true],
      ['verify', true],
    ]);
    const list = await api.zkCopy.list.query({ kind: 'zk-copy' });
    expect(list.map((item) => item.id)).toContain(run.id);
    const audit = await api.audit.list.query({ target: run.id, limit: 1000 });
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'zk-copy.created',
        'zk-copy.planned',
        'zk-copy.started',
        'zk-copy.batch',
        'zk-copy.finished',
      ]),
    );
  }, 90_000);

  it('reconciles after a copy: a new run with the same endpoints copies what changed since, and verifies', async () => {
    const api = client();
    const input = {
      source: { connectionId: sourceId, path: source },
      target: { connectionId: targetId, path: `${targets}/reconciled` },
      mode: 'overwrite' as const,
      exclude: ['/p1*'],
    };
    const first = await api.zkCopy.start.mutate(input);
    expect((await waitForEnd(first.id)).state).toBe('completed');
    // The source moves on after the copy.
    await bench.src.setData(`${source}/p0/n00007`, Buffer.from('changed after the copy'), -1);
    // A run that is not a copy cannot be reconciled; a copy can, in its own mode and filters.
    const diff = await api.zkCopy.diff.mutate({ source: input.source, target: input.target });
    await waitForEnd(diff.id);
    await expect(api.zkCopy.reconcile.mutate({ runId: diff.id })).rejects.toThrow(/reconcile follows a copy/);
    const second = await api.zkCopy.reconcile.mutate({ runId: first.id, passes: 2 });
    expect(second.id).not.toBe(first.id);
    expect(second.params).toMatchObject({ mode: 'overwrite', exclude: ['/p1*'], reconcilePasses: 2 });
    const done = await waitForEnd(second.id);
    expect(done.state).toBe('completed');
    expect(done.result!.copy!.counts.updated).toBe(1);
    expect(done.result!.verify!.counts).toMatchObject({ mismatched: 0, extraSource: 0, extraTarget: 0 });
    expect((await bench.dst.getData(`${targets}/reconciled/p0/n00007`)).data.toString()).toBe(
      'changed after the copy',
    );
  }, 90_000);

  it('pauses (writes stop), resumes, and cancels; a cancelled run cannot be resumed', async () => {
    const api = client();
    const run = await api.zkCopy.start.mutate({
      source: { connectionId: sourceId, path: source },
      target: { connectionId: targetId, path: `${targets}/paused` },
    });
    await api.zkCopy.pause.mutate({ runId: run.id });
    const runs = bench.host.services.store.engineRuns;
    expect(runs.get(run.id)!.state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const children = async () =>
      (await bench.dst.exists(`${targets}/paused`))
        ? (await bench.dst.getChildren(`${targets}/paused`)).children.length
        : 0;
    const atPause = await children();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await children()).toBe(atPause);
    await api.zkCopy.resume.mutate({ runId: run.id });
    const done = await waitForEnd(run.id);
    expect(done.state).toBe('completed');
    expect(done.result!.verify!.counts.matching).toBe(NODES);
    const actions = (await api.audit.list.query({ target: run.id, limit: 1000 })).map(
      (event) => event.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['zk-copy.paused', 'zk-copy.resumed']));

    const other = await api.zkCopy.start.mutate({
      source: { connectionId: sourceId, path: source },
      target: { connectionId: targetId, path: `${targets}/cancelled` },
    });
    await api.zkCopy.cancel.mutate({ runId: other.id });
    expect((await waitForEnd(other.id)).state).toBe('cancelled');
    await expect(api.zkCopy.resume.mutate({ runId: other.id })).rejects.toThrow(
      /cancelled: it cannot be started again/,
    );
  }, 90_000);

  it('resumes a run the store says is running but no process runs (interrupted)', async () => {
    const api = client();
    const { run } = await api.zkCopy.plan.mutate({
      source: { connectionId: sourceId, path: `${source}/p1` },
      target: { connectionId: targetId, path: `${targets}/interrupted` },
    });
    bench.host.services.store.engineRuns.update(run.id, { state: 'running' });
    const status = await api.zkCopy.status.query({ runId: run.id });
    expect(status).toMatchObject({ state: 'running', interrupted: true, live: false });
    await api.zkCopy.resume.mutate({ runId: run.id });
    expect((await waitForEnd(run.id)).state).toBe('completed');
  }, 60_000);

  it('needs the target path typed back for mirror mode, and refuses read-only targets', async () => {
    const api = client();
    const mirror = {
      source: { connectionId: sourceId, path: `${source}/p2` },
      target: { connectionId: targetId, path: `${targets}/mirror` },
      mode: 'mirror' as const,
    };
    await expect(api.zkCopy.start.mutate(mirror)).rejects.toThrow(/Mirror mode deletes every node/);
    await expect(api.zkCopy.start.mutate({ ...mirror, confirmMirror: '/wrong' })).rejects.toThrow(
      /Mirror mode/,
    );
    const run = await api.zkCopy.start.mutate({ ...mirror, confirmMirror: `${targets}/mirror` });
    expect((await waitForEnd(run.id)).state).toBe('completed');

    const readOnly = await api.zkCopy.start.mutate({
      source: { connectionId: sourceId, path: `${source}/p3` },
      target: { connectionId: readOnlyTargetId, path: `${targets}/ro` },
    });
    const failed = await waitForEnd(readOnly.id);
    expect(failed.state).toBe('failed');
    expect(failed.result!.error!.message).toMatch(/'target-ro' is read-only/);
    expect(await bench.dst.exists(`${targets}/ro`)).toBeNull();

    const invalid = await api.zkCopy.start
      .mutate({
        source: { connectionId: sourceId, path: 'relative' },
        target: { connectionId: targetId, path: '/x' },
      } as never)
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(TRPCClientError);
    expect((invalid as TRPCClientError<AppRouter>).message).toMatch(/path/);
  }, 60_000);

  it('cleans up only with the node count of the export it saved first', async () => {
    const api = client();
    const prepared = await api.zkCopy.prepareCleanup.mutate({
      connectionId: targetId,
      path: `${targets}/one`,
    });
    expect(prepared.state).toBe('planned');
    const cleanup = prepared.result!.cleanup!;
    expect(cleanup.nodeCount).toBe(NODES);
    await expect(
      api.zkCopy.confirmCleanup.mutate({ runId: prepared.id, confirmNodeCount: NODES - 1 }),
    ).rejects.toThrow(/not the 3021 nodes of the export/);
    expect(await bench.dst.exists(`${targets}/one`)).not.toBeNull();
    await api.zkCopy.confirmCleanup.mutate({ runId: prepared.id, confirmNodeCount: NODES });
    const done = await waitForEnd(prepared.id);
    expect(done.state).toBe('completed');
    expect(done.result!.cleanup!.deleted).toBe(NODES);
    expect(await bench.dst.exists(`${targets}/one`)).toBeNull();
  }, 60_000);

  it('keeps a max read rate with the run and reads no faster in plan, copy and verify; refuses one out of range', async () => {
    const api = client();
    // A small tree (31 nodes) so 20 nodes/s takes seconds, not minutes: written under the file's
    // target root on the second server (removed with it), read from there through the 'target' connection.
    const small = `${targets}/rate-src`;
    if (!(await bench.dst.exists(targets))) await bench.dst.create(targets, Buffer.alloc(0));
    await createWideTree(bench.dst, small, { parents: 3, children: 9, payload: (i) => Buffer.from([i]) });
    const SMALL = 1 + 3 * 10;
    const RATE = 20;
    const input = {
      source: { connectionId: targetId, path: small },
      target: { connectionId: targetId, path: `${targets}/rate-dst` },
      maxNodesPerSecond: RATE,
    };
    const created = await api.zkCopy.create.mutate(input);
    // The run's params carry the ceiling: what the Copy view's run panel shows, what a resume reuses.
    expect(created.params).toMatchObject({ maxNodesPerSecond: RATE });
    expect((await api.zkCopy.status.query({ runId: created.id })).params).toMatchObject({
      maxNodesPerSecond: RATE,
    });

    // At most RATE reads a second, after a burst of at most 100 ms of slots: each pass over the
    // source takes at least (nodes - 3) / RATE seconds.
    const passMs = ((SMALL - 3) / RATE) * 1000;
    const planStarted = performance.now();
    const { plan } = await api.zkCopy.plan.mutate({ runId: created.id });
    const planMs = performance.now() - planStarted;
    expect(plan.sourceNodes).toBe(SMALL);
    expect(planMs).toBeGreaterThanOrEqual(passMs);

    const runStarted = performance.now();
    await api.zkCopy.start.mutate({ runId: created.id });
    const done = await waitForApiRunEnd(api, created.id, 30_000, 50);
    const runMs = performance.now() - runStarted;
    expect(done.state).toBe('completed');
    expect(done.result!.verify!.counts).toMatchObject({ matching: SMALL, mismatched: 0, extraTarget: 0 });
    // Copy and verify each read the whole source once, under the same ceiling.
    expect(runMs).toBeGreaterThanOrEqual(2 * passMs);

    // Out of range (or not whole): refused before a run is recorded, the message saying the range.
    const before = (await api.zkCopy.list.query({ kind: 'zk-copy' })).length;
    for (const maxNodesPerSecond of [0, 1_000_001, 2.5]) {
      const refused = await api.zkCopy.create
        .mutate({ ...input, maxNodesPerSecond })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TRPCClientError);
      const error = refused as TRPCClientError<AppRouter>;
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(/maxNodesPerSecond: .*from 1 to 1,000,000/);
    }
    expect((await api.zkCopy.list.query({ kind: 'zk-copy' })).length).toBe(before);

    // Compare only: the same ceiling, kept with its run, and just as slow a read of the source.
    const diffStarted = performance.now();
    const compared = await api.zkCopy.diff.mutate({
      source: input.source,
      target: input.target,
      maxNodesPerSecond: RATE,
    });
    expect(compared.params).toMatchObject({ maxNodesPerSecond: RATE });
    const diffed = await waitForApiRunEnd(api, compared.id, 30_000, 50);
    expect(diffed.state).toBe('completed');
    expect(diffed.result!.verify!.counts).toMatchObject({ matching: SMALL });
    expect(performance.now() - diffStarted).toBeGreaterThanOrEqual(passMs);
  }, 60_000);
});
