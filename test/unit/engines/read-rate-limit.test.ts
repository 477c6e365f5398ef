import { describe, expect, it } from 'vitest';
import { PacedTreeReader, ReadPacer } from '../../../electron/engines/zk-copy/read-rate-limit';
import type { ReadResult, TreeReader } from '../../../electron/engines/zk-copy/tree-reader';
import { fakeClock } from '../../setup/fake-clock';

describe('ReadPacer', () => {
  it('spaces reads issued at once by the interval of the rate, with no burst at the start', () => {
    const time = fakeClock();
    const pacer = new ReadPacer(100, 100, time.now);
    // Twelve reads at the same moment: the first goes at once, then one every 10 ms.
    const waits = Array.from({ length: 12 }, () => pacer.reserve());
    expect(waits).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
    // Time passing catches up: 125 ms later the next slot (120 ms) is already due.
    time.advance(125);
    expect(Array.from({ length: 3 }, () => pacer.reserve())).toEqual([0, 5, 15]);
  });

  it('keeps unused time only briefly: a long pause does not become a burst', () => {
    const time = fakeClock();
    const pacer = new ReadPacer(10, 100, time.now);
    expect(pacer.reserve()).toBe(0);
    time.advance(60_000);
    // A minute idle buys 100 ms: one read at once (a 100 ms interval), the next waits its slot.
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(100);
  });

  it('refuses a rate outside 1 to 1,000,000 nodes per second, saying the range', () => {
    for (const rate of [0, -5, Number.NaN, 2_000_000]) {
      expect(() => new ReadPacer(rate)).toThrow(/between 1 and 1,000,000 nodes per second/);
    }
  });
});

describe('PacedTreeReader', () => {
  it('holds each node read for its slot, passes child lists and the waiting listener through', async () => {
    const reads: number[] = [];
    const started = performance.now();
    const inner: TreeReader = {
      label: 'zk://test/a',
      rootPath: '/a',
      lanes: 2,
      read: async (): Promise<ReadResult> => {
        reads.push(performance.now() - started);
        return { state: 'absent' };
      },
      children: async () => ['x', 'y'],
      isReserved: () => false,
      close: async () => undefined,
    };
    const paced = new PacedTreeReader(inner, new ReadPacer(50, 0));
    const listener = () => undefined;
    paced.onWaiting = listener;
    expect(inner.onWaiting).toBe(listener);
    expect([paced.label, paced.rootPath, paced.lanes]).toEqual(['zk://test/a', '/a', 2]);
    expect(await paced.children('', 0)).toEqual(['x', 'y']);
    await Promise.all(Array.from({ length: 6 }, (_, i) => paced.read(`/n${i}`, 0, false)));
    expect(reads).toHaveLength(6);
    // 50 per second: the sixth read goes out ~100 ms after the first (timers may fire late, not early).
    expect(reads[5]! - reads[0]!).toBeGreaterThanOrEqual(95);
  });
});
