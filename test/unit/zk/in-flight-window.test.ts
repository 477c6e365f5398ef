import { describe, expect, it } from 'vitest';
import { InFlightWindow, RingQueue } from '../../../electron/zk/in-flight-window';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('RingQueue', () => {
  it('is FIFO across growth and wrap-around', () => {
    const queue = new RingQueue<number>(4);
    const seen: number[] = [];
    let next = 0;
    // Interleave pushes and shifts so head wraps around several times while the ring grows.
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < round % 7; i += 1) queue.push(next++);
      for (let i = 0; i < round % 5 && queue.length > 0; i += 1) seen.push(queue.shift() as number);
    }
    while (queue.length > 0) seen.push(queue.shift() as number);
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
  });
});

describe('InFlightWindow', () => {
  it('refuses a limit that is not a positive integer', () => {
    expect(() => new InFlightWindow(0)).toThrow(RangeError);
    expect(() => new InFlightWindow(1.5)).toThrow(RangeError);
  });

  it('never runs more than the limit and grants slots in call order', async () => {
    const window = new InFlightWindow(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 10 }, () => deferred());
    const tasks = gates.map((gate, index) =>
      window.run(async () => {
        started.push(index);
        active += 1;
        peak = Math.max(peak, active);
        await gate.promise;
        active -= 1;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(window.inFlight).toBe(3);
    expect(window.waiting).toBe(7);
    // Finish out of order: the next slot still goes to the longest waiter.
    gates[2]?.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(window.stats()).toEqual({ limit: 3, inFlight: 0, waiting: 0, peakInFlight: 3 });
  });

  it('releases the slot when a task throws, and release is idempotent', async () => {
    const window = new InFlightWindow(1);
    await expect(window.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      window.run(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(window.inFlight).toBe(0);
    const release = await window.acquire();
    release();
    release();
    expect(window.inFlight).toBe(0);
    const again = await window.acquire();
    expect(window.inFlight).toBe(1);
    again();
  });

  it('rejects queued acquires, not the slot holders, on rejectWaiting', async () => {
    const window = new InFlightWindow(1);
    const holder = await window.acquire();
    const queued = [window.acquire(), window.acquire()];
    window.rejectWaiting(new Error('closed'));
    for (const promise of queued) await expect(promise).rejects.toThrow('closed');
    expect(window.inFlight).toBe(1);
    holder();
    expect(window.inFlight).toBe(0);
  });

  it('drains a queue of 100,000 waiters in order, in linear time', async () => {
    const window = new InFlightWindow(128);
    const total = 100_000;
    let active = 0;
    let peak = 0;
    let expectedNext = 0;
    let outOfOrder = 0;
    const started = performance.now();
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < total; i += 1) {
      tasks.push(
        window.run(async () => {
          if (i !== expectedNext) outOfOrder += 1;
          expectedNext = i + 1;
          active += 1;
          peak = Math.max(peak, active);
          await Promise.resolve();
          active -= 1;
        }),
      );
    }
    expect(window.waiting).toBe(total - 128);
    await Promise.all(tasks);
    const elapsed = performance.now() - started;
    expect(outOfOrder).toBe(0);
    expect(peak).toBe(128);
    expect(window.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
    // An Array.shift() queue takes many seconds here; the ring takes well under one.
    expect(elapsed).toBeLessThan(5000);
  });
});
