/**
 * The timeout every Pegasus HTTP request uses instead of AbortSignal.any([AbortSignal.timeout()]),
 * whose timeout Node 20 can garbage-collect before it fires (nodejs/node#57736).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineSignal } from '../../../electron/platform/deadline-signal';

let server: Server;
let url = '';
const held = new Set<() => void>();

beforeAll(async () => {
  // Answers nothing until the test ends: only the deadline can end a request.
  server = createServer((_request, response) => held.add(() => response.end('late')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  for (const release of held) release();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('deadlineSignal', () => {
  it('aborts a fetch with a TimeoutError after its deadline', async () => {
    const deadline = deadlineSignal(150);
    const started = performance.now();
    const error = await fetch(url, { signal: deadline.signal }).catch((failure: unknown) => failure);
    deadline.clear();
    expect((error as Error).name).toBe('TimeoutError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('still fires after garbage collection when nothing else holds the signal', async () => {
    // The reported bug: the timeout signal held only weakly, collected, never firing.
    const deadline = deadlineSignal(200);
    const pending = fetch(url, { signal: deadline.signal }).catch((failure: unknown) => failure);
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 5; i += 1) {
      gc?.();
      // Allocation pressure, the way the full suite applies it, when gc() is not exposed.
      Array.from({ length: 20_000 }, (_, j) => ({ j, text: `x${j}` }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const error = await pending;
    deadline.clear();
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('follows the outer signal, with its reason, and stops following once cleared', async () => {
    const outer = new AbortController();
    const deadline = deadlineSignal(60_000, outer.signal);
    outer.abort(new Error('step cancelled'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('step cancelled');
    deadline.clear();

    const later = new AbortController();
    const cleared = deadlineSignal(60_000, later.signal);
    cleared.clear();
    later.abort();
    expect(cleared.signal.aborted).toBe(false);
  });

  it('is aborted at once when the outer signal already was', () => {
    const outer = AbortSignal.abort(new Error('gone'));
    const deadline = deadlineSignal(60_000, outer);
    expect(deadline.signal.aborted).toBe(true);
    deadline.clear();
  });
});
