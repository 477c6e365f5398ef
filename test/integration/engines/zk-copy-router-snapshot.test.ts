/**
 * The copy API with a saved snapshot as the source ({ snapshotId, path? }): over real HTTP against a
 * host with a real store (the snapshot captured from the primary server) and the secondary as the
 * target. Bad sources are refused with messages that say what to choose instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { captureSnapshot } from '../../../electron/engines/snapshots/capture-snapshot';
import { type RunningHost, startHost } from '../../../electron/host/start-host';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { apiClient } from '../../setup/host-fixture';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createAll, removeSubtree, waitForApiRunEnd } from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-copy-api-snap-'));
const source = uniqueTestRoot('api-snap-src');
const target = uniqueTestRoot('api-snap-dst');

let host: RunningHost;
let src: ZkSession;
let dst: ZkSession;
let targetId = '';
let snapshotId = '';

function client() {
  return apiClient(host);
}

function waitForEnd(runId: string, timeoutMs = 30_000) {
  return waitForApiRunEnd(client(), runId, timeoutMs, 50);
}

async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return { code: error.data?.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

beforeAll(async () => {
  host = await startHost({ mode: 'browser', dataDir, port: 0, log: () => {} });
  src = await connect(SRC);
  dst = await connect(DST);
  await createAll(src, [
    { path: source, data: Buffer.from('root') },
    { path: `${source}/a`, data: Buffer.from([0xff, 0x00, 0xfe]) },
    { path: `${source}/a/b`, data: Buffer.alloc(0) },
  ]);
  const captured = await captureSnapshot({
    store: { snapshots: host.services.store.snapshots, events: host.services.store.events },
    actor: 'tester',
    sessions: [src],
    root: source,
    source: { connectionId: null, connectionName: 'primary', connectString: SRC },
    reason: 'manual',
    label: 'api snapshot',
  });
  snapshotId = captured.snapshot.id;
  await removeSubtree(src, source);
  targetId = (await client().connections.create.mutate({ name: 'target', connectString: DST })).id;
  host.services.store.connections.update(targetId, { readOnly: false });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await removeSubtree(dst, target);
  await Promise.allSettled([src.close(), dst.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('zkCopy with { snapshotId } as the source', () => {
  it('plans and copies from the snapshot (its root by default) and records which snapshot it was', async () => {
    const api = client();
    const input = { source: { snapshotId }, target: { connectionId: targetId, path: target } };
    const { run, plan } = await api.zkCopy.plan.mutate(input);
    expect(plan).toMatchObject({ creates: 3, unreadable: 0 });
    expect(run.params.source).toMatchObject({
      kind: 'stored-snapshot',
      snapshotId,
      snapshotName: 'api snapshot',
      path: source,
    });
    await api.zkCopy.start.mutate({ runId: run.id });
    const final = await waitForEnd(run.id);
    expect(final.state).toBe('completed');
    expect(final.result?.verify?.counts).toMatchObject({ matching: 3, mismatched: 0, extraTarget: 0 });
    expect((await dst.getData(`${target}/a`)).data.equals(Buffer.from([0xff, 0x00, 0xfe]))).toBe(true);
    expect((await dst.getData(`${target}/a/b`)).data.length).toBe(0);

    const diff = await api.zkCopy.diff.mutate({
      source: { snapshotId, path: `${source}/a` },
      target: { connectionId: targetId, path: `${target}/a` },
    });
    expect((await waitForEnd(diff.id)).result?.verify?.counts).toMatchObject({ matching: 2, mismatched: 0 });
  });

  it('refuses an unknown snapshot and a path outside it, saying what to choose', async () => {
    const api = client();
    const neverTarget = { connectionId: targetId, path: `${target}-never` };
    const unknown = await refusal(
      api.zkCopy.create.mutate({ source: { snapshotId: 'nope' }, target: neverTarget }),
    );
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST' });
    expect(unknown.message).toMatch(/There is no snapshot nope .*choose another source/);
    const outside = await refusal(
      api.zkCopy.create.mutate({ source: { snapshotId, path: '/other' }, target: neverTarget }),
    );
    expect(outside).toMatchObject({ code: 'BAD_REQUEST' });
    expect(outside.message).toMatch(/\/other is not in the snapshot 'api snapshot' .* it holds .* and below/);
    expect(await dst.exists(`${target}-never`)).toBeNull();
  });

  it('refuses to delete a snapshot a copy can still read, and deletes it once that copy is cancelled', async () => {
    const api = client();
    const captured = await captureSnapshot({
      store: { snapshots: host.services.store.snapshots, events: host.services.store.events },
      sessions: [dst],
      root: target,
      source: { connectionId: null, connectionName: 'secondary', connectString: DST },
      reason: 'manual',
      label: 'in use',
      actor: 'tester',
    });
    const inUse = captured.snapshot;
    const run = await api.zkCopy.create.mutate({
      source: { snapshotId: inUse.id },
      target: { connectionId: targetId, path: `${target}-in-use` },
    });
    const refused = await refusal(
      api.snapshots.remove.mutate({ snapshotId: inUse.id, confirmNodeCount: inUse.nodeCount }),
    );
    expect(refused.message).toContain(`Copy run ${run.id.slice(0, 8)} (created) reads from this snapshot`);
    expect(refused.message).toContain('Nothing was deleted');
    expect(await api.snapshots.get.query({ snapshotId: inUse.id })).toMatchObject({ id: inUse.id });
    await api.zkCopy.cancel.mutate({ runId: run.id });
    await api.snapshots.remove.mutate({ snapshotId: inUse.id, confirmNodeCount: inUse.nodeCount });
    expect((await refusal(api.snapshots.get.query({ snapshotId: inUse.id }))).code).toBe('NOT_FOUND');
  });
});
