/**
 * Faults during a copy (issue 5, section 4), against a target server this file owns: a restart of
 * the target mid-copy (reconnect with backoff, re-check the batches in flight, continue) and the
 * expiry of the writer's session (a new session, the same re-check). Either way the copy completes,
 * nothing is written twice (every node created once, at version 0), and verify finds no difference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ProgressEvent } from '../../../electron/engines/zk-copy/types';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../../../scripts/local-zookeeper';
import { expireSession, uniqueTestRoot, waitForSessionState } from '../../setup/zk-test-helpers';
import {
  connect,
  copyParams,
  createWide,
  type Kit,
  makeKit,
  readSubtree,
  removeSubtree,
} from './engine-test-kit';

const SRC = inject('zkPrimary');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-engine-faults-'));
const source = uniqueTestRoot('faults-src');
const PARENTS = 24;
const CHILDREN = 200;
const NODES = 1 + PARENTS * (CHILDREN + 1);

let server: LocalZooKeeper;
let src: ZkSession;
let kit: Kit;
const kits: Kit[] = [];

beforeAll(async () => {
  server = await startLocalZooKeeper({ dir });
  src = await connect(SRC);
  await src.create(source, Buffer.from('root'));
  for (let p = 0; p < PARENTS; p += 1) {
    await createWide(src, `${source}/p${p}`, CHILDREN, (i) => Buffer.alloc(200, i % 251));
  }
  // Small batches and a short backoff: many batches in flight when the fault hits, a quick recovery.
  kit = makeKit({
    tuning: { maxBatchOps: 100, maxInFlight: 4 },
    faults: { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
  });
}, 120_000);

afterAll(async () => {
  await kit?.close();
  for (const other of kits) await other.close();
  if (src) {
    await removeSubtree(src, source);
    await src.close();
  }
  if (server) await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Resolves with the first progress event of `runId` in the copy phase past `done` items. */
function copyReaches(runId: () => string, done: number, on: Kit = kit): Promise<ProgressEvent> {
  return new Promise((resolve) => {
    const listener = (event: ProgressEvent) => {
      if (event.runId !== runId() || event.phase !== 'copy' || event.done < done) return;
      on.runs.events.off('progress', listener);
      resolve(event);
    };
    on.runs.events.on('progress', listener);
  });
}

async function expectExactCopy(target: string, runId: string, on: Kit = kit): Promise<void> {
  const done = await on.runs.wait(runId);
  expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
  const counts = done.result!.copy!.counts;
  // Applied once: a create re-sent after it had been applied would show up as unchanged or a conflict.
  expect(counts).toMatchObject({ created: NODES, unchanged: 0, conflicts: 0, errors: 0 });
  expect(done.result!.verify!.counts).toMatchObject({
    matching: NODES,
    mismatched: 0,
    extraSource: 0,
    extraTarget: 0,
  });
  const reader = await connect(server.connectString);
  try {
    const nodes = await readSubtree(reader, target);
    expect(nodes.size).toBe(NODES);
    expect(new Set([...nodes.values()].map((node) => node.version))).toEqual(new Set([0]));
  } finally {
    await reader.close();
  }
}

describe('faults while copying', () => {
  it('survives a restart of the target server: reconnects with backoff, re-checks, continues', async () => {
    const target = uniqueTestRoot('after-restart');
    const view = kit.runs.create('zk-copy', copyParams(SRC, source, server.connectString, target));
    const messages: string[] = [];
    kit.runs.events.on('progress', (event: ProgressEvent) => {
      if (event.runId === view.id && event.message) messages.push(event.message);
    });
    const midway = copyReaches(() => view.id, Math.floor(NODES / 4));
    const finished = kit.runs.start(view.id);
    await midway;
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.start();
    await finished;
    await expectExactCopy(target, view.id);
    expect(messages.some((message) => /CONNECTION_LOSS|TIMEOUT.*retrying in/.test(message))).toBe(true);
  }, 90_000);

  it("survives the expiry of the writer's session: a new session, the batches in flight re-checked", async () => {
    const target = uniqueTestRoot('after-expiry');
    // Short sessions, so a mute connection is noticed quickly (2/3 of the timeout), and a slower
    // writer, so the copy is still writing when the expiry lands.
    const params = copyParams(SRC, source, server.connectString, target);
    params.target = { ...params.target, sessionTimeoutMs: 4000 } as typeof params.target;
    const slow = makeKit({
      tuning: { maxBatchOps: 15, maxInFlight: 1 },
      faults: { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
    });
    kits.push(slow);
    const view = slow.runs.create('zk-copy', params);
    const midway = copyReaches(() => view.id, Math.floor(NODES / 10), slow);
    const finished = slow.runs.start(view.id);
    await midway;
    const writer = slow.writers[0]!;
    const oldSession = writer.sessionId;
    const renewed = waitForSessionState(writer, 'expired', 15_000);
    await expireSession(writer, server.connectString);
    await renewed;
    await finished;
    expect(writer.sessionId).not.toBe(oldSession);
    await expectExactCopy(target, view.id, slow);
  }, 90_000);
});
