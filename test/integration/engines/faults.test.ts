/**
 * Faults during a copy (issue 5, section 4), against a server this file owns: a restart of the
 * target mid-copy (reconnect with backoff, re-check the batches in flight, continue), the expiry of
 * the writer's session (a new session, the same re-check), and a restart of the source mid-copy (the
 * bulk readers wait with backoff, open new sessions and read again). Either way the copy completes,
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
  createWideTree,
  expectVerifiedEqual,
  FAULT_TREE,
  type Kit,
  makeKit,
  readSubtree,
  removeSubtree,
  wideTreeNodes,
} from './engine-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-engine-faults-'));
const source = uniqueTestRoot('faults-src');
const NODES = wideTreeNodes(FAULT_TREE);

let server: LocalZooKeeper;
let src: ZkSession;
/** The same tree on the server this file owns, for the source restart. */
let ownSource: ZkSession;
let kit: Kit;
const kits: Kit[] = [];

beforeAll(async () => {
  server = await startLocalZooKeeper({ dir });
  src = await connect(SRC);
  ownSource = await connect(server.connectString);
  for (const session of [src, ownSource]) await createWideTree(session, source, FAULT_TREE);
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
  await ownSource?.close();
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

async function expectExactCopy(
  target: string,
  runId: string,
  on: Kit = kit,
  targetConnectString = server.connectString,
): Promise<void> {
  const done = await on.runs.wait(runId);
  expect(done.state, JSON.stringify(done.result?.error)).toBe('completed');
  const counts = done.result!.copy!.counts;
  // Applied once: a create re-sent after it had been applied would show up as unchanged or a conflict.
  expect(counts).toMatchObject({ created: NODES, unchanged: 0, conflicts: 0, errors: 0 });
  expectVerifiedEqual(done, NODES);
  const reader = await connect(targetConnectString);
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
    // writer, so the copy is still writing when the expiry lands: small batches one at a time, and
    // reads paced at 1,000 nodes/s, so the copy of 4,825 nodes lasts about 5 s however fast the
    // machine (without the pace it once finished before the expiry landed, on a loaded CI run).
    const params = copyParams(SRC, source, server.connectString, target, { maxNodesPerSecond: 1000 });
    params.target = { ...params.target, sessionTimeoutMs: 4000 } as typeof params.target;
    const slow = makeKit({
      tuning: { maxBatchOps: 2, maxInFlight: 1 },
      faults: { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
    });
    kits.push(slow);
    const view = slow.runs.create('zk-copy', params);
    const midway = copyReaches(() => view.id, Math.floor(NODES / 20), slow);
    let ended = false;
    const finished = slow.runs.start(view.id).finally(() => {
      ended = true;
    });
    await midway;
    const writer = slow.writers[0]!;
    const oldSession = writer.sessionId;
    // The session's own reconnect can beat the intruder's close (see expireSession): try again,
    // a bounded number of times, while the copy still writes.
    for (let attempt = 0; attempt < 5 && !ended; attempt += 1) {
      const renewed = waitForSessionState(writer, 'expired', 5000).then(
        () => true,
        () => false,
      );
      await expireSession(writer, server.connectString, { untilExpired: true });
      if (await renewed) break;
    }
    await finished;
    expect(writer.sessionId).not.toBe(oldSession);
    await expectExactCopy(target, view.id, slow);
  }, 90_000);
  it('survives a restart of the source server: the reads wait with backoff, reconnect, and continue', async () => {
    const target = uniqueTestRoot('after-source-restart');
    // Few reads in flight, so the walk is still reading when the source goes away.
    const reading = makeKit({
      tuning: { concurrency: 8, maxBatchOps: 100 },
      faults: { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 60_000 },
    });
    kits.push(reading);
    const view = reading.runs.create('zk-copy', copyParams(server.connectString, source, DST, target));
    const messages: string[] = [];
    reading.runs.events.on('progress', (event: ProgressEvent) => {
      if (event.runId === view.id && event.message) messages.push(event.message);
    });
    const midway = copyReaches(() => view.id, Math.floor(NODES / 10), reading);
    const finished = reading.runs.start(view.id);
    await midway;
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.start();
    await finished;
    const dst = await connect(DST);
    try {
      await expectExactCopy(target, view.id, reading, DST);
    } finally {
      await removeSubtree(dst, target);
      await dst.close();
    }
    expect(messages.some((message) => /while trying to (read|list).*retrying in/.test(message))).toBe(true);
  }, 90_000);
  it('stops when the source stays away past the fault policy, and resumes from a checkpoint before what it missed', async () => {
    const target = uniqueTestRoot('after-give-up');
    // One read at a time: when it fails, nothing else is in flight or queued to hold the cursor.
    const impatient = makeKit({
      tuning: { concurrency: 1, maxBatchOps: 100 },
      faults: { initialDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 1000 },
    });
    kits.push(impatient);
    const view = impatient.runs.create('zk-copy', copyParams(server.connectString, source, DST, target));
    const midway = copyReaches(() => view.id, Math.floor(NODES / 10), impatient);
    const finished = impatient.runs.start(view.id);
    await midway;
    await server.stop();
    const failed = await finished;
    expect(failed.state).toBe('failed');
    expect(failed.result?.error?.message).toMatch(/Gave up after/);
    // Its checkpoint stops before the nodes it could not read: nothing is skipped on resume.
    const cursor = impatient.store.checkpoints.get(view.id, 'copy')?.cursor;
    expect(cursor).not.toBe('\uffff');
    await server.start();
    const resumed = await impatient.runs.start(view.id);
    expect(resumed.state, JSON.stringify(resumed.result?.error)).toBe('completed');
    expectVerifiedEqual(resumed, NODES);
    const copy = resumed.result!.copy!.counts;
    expect(copy.created + copy.unchanged).toBe(NODES);
    const dst = await connect(DST);
    try {
      expect((await readSubtree(dst, target)).size).toBe(NODES);
    } finally {
      await removeSubtree(dst, target);
      await dst.close();
    }
  }, 90_000);
});
