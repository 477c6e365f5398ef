/**
 * A real core host (HTTP, tRPC, SQLite in a temp dir) for API tests against the real ZooKeeper, with
 * a typed client and server-sent-events subscriptions over the same transport the renderer uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { JobEvent } from '../../shared/api/background-job';
import type { AppRouter } from '../../electron/host/router';
import { type RunningHost, startHost } from '../../electron/host/start-host';
import { type SseSubscription, subscribeSse } from './sse-client';

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface TestHost {
  host: RunningHost;
  api: ApiClient;
  dataDir: string;
  /** Adds a connection to `connectString`; `readWrite` switches it (with the typed confirmation). */
  addConnection(name: string, connectString: string, options?: { readWrite?: boolean }): Promise<string>;
  subscribe<T>(procedure: string, input: unknown): SseSubscription<T>;
  stop(): Promise<void>;
}

/** A typed client of `host`'s API over HTTP, with its bearer token (what the renderer uses). */
export function apiClient(host: Pick<RunningHost, 'origin' | 'token'>): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${host.origin}/trpc`, headers: { authorization: `Bearer ${host.token}` } }),
    ],
  });
}

export async function startTestHost(label: string): Promise<TestHost> {
  const dataDir = mkdtempSync(join(tmpdir(), `mdesk-${label}-`));
  const host = await startHost({ mode: 'browser', dataDir, port: 0, log: () => {} });
  const api = apiClient(host);
  const subscriptions: SseSubscription<unknown>[] = [];
  return {
    host,
    api,
    dataDir,
    async addConnection(name, connectString, options = {}) {
      const profile = await api.connections.create.mutate({ name, connectString, sessionTimeoutMs: 10_000 });
      if (options.readWrite) {
        await api.connections.setMode.mutate({ id: profile.id, readOnly: false, confirmName: name });
      }
      return profile.id;
    },
    subscribe<T>(procedure: string, input: unknown) {
      const subscription = subscribeSse<T>(host.origin, host.token, procedure, input);
      subscriptions.push(subscription as SseSubscription<unknown>);
      return subscription;
    },
    async stop() {
      for (const subscription of subscriptions) subscription.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits (bounded) for background job `jobId`'s outcome on `t`: its result, or an error with the job's message. */
export async function jobResult<R>(t: TestHost, jobId: string, timeoutMs = 30_000): Promise<R> {
  const stream = t.subscribe<JobEvent<R>>('jobs.events', { jobId });
  const final = await stream.waitFor(
    (event) => event.type === 'done' || event.type === 'failed',
    timeoutMs,
    'the job outcome',
  );
  stream.close();
  if (final.type === 'failed') throw new Error(`job failed: ${final.message}`);
  if (final.type !== 'done') throw new Error('unreachable');
  return final.result;
}

/** The error a call rejected with, as tRPC's client error (fails the test if it did not reject). */
export async function rejectionOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof TRPCClientError)) {
    throw new Error(`expected the call to reject with a tRPC error, got ${String(outcome)}`);
  }
  return outcome as TRPCClientError<AppRouter>;
}
