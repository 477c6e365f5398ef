import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const root = uniqueTestRoot('window');
const nodeCount = 50;
let session: ZkSession;

beforeAll(async () => {
  session = await ZkSession.connect({
    connectString,
    sessionTimeoutMs: 20_000,
    connectTimeoutMs: 5_000,
    maxInFlight: 16,
  });
  await session.create(root, Buffer.alloc(0));
  await Promise.all(
    Array.from({ length: nodeCount }, (_, i) => session.create(`${root}/n${i}`, Buffer.from(`value-${i}`))),
  );
});

afterAll(async () => {
  await removeTree(session, root);
  await session.close();
});

describe('the in-flight window on a real session', () => {
  it('completes 2,000 concurrent getData with never more than maxInFlight outstanding', async () => {
    let observedMax = 0;
    const sampler = setInterval(() => {
      observedMax = Math.max(observedMax, session.stats().outstanding);
    }, 1);
    const before = session.stats();
    const requests = Array.from({ length: 2000 }, (_, i) => session.getData(`${root}/n${i % nodeCount}`));
    // Right after issuing: the window holds 16, the rest wait in its queue, nothing is lost.
    const issued = session.stats();
    expect(issued.inFlight).toBeLessThanOrEqual(16);
    expect(issued.inFlight + issued.queued).toBe(2000 + before.inFlight + before.queued);
    const results = await Promise.all(requests);
    clearInterval(sampler);
    const mismatched = results.filter((result, i) => result.data.toString() !== `value-${i % nodeCount}`);
    expect(mismatched).toEqual([]);
    const after = session.stats();
    expect(after.maxInFlight).toBe(16);
    expect(after.peakOutstanding).toBe(16);
    expect(observedMax).toBeLessThanOrEqual(16);
    expect(after).toMatchObject({ inFlight: 0, queued: 0, outstanding: 0 });
  });

  it('keeps answers matched to their requests under mixed concurrent operations', async () => {
    const ops = Array.from({ length: 600 }, (_, i) => {
      const path = `${root}/n${i % nodeCount}`;
      switch (i % 3) {
        case 0:
          return session.getData(path).then((r) => r.data.toString() === `value-${i % nodeCount}`);
        case 1:
          return session.exists(path).then((s) => s?.dataLength === `value-${i % nodeCount}`.length);
        default:
          return session.getChildren(path).then((c) => c.children.length === 0);
      }
    });
    expect((await Promise.all(ops)).every(Boolean)).toBe(true);
  });
});
