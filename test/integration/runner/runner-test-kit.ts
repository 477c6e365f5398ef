/**
 * What the runner integration tests share: a real SQLite store in a temp dir, the real copy engine
 * and ZooKeeper sessions to the real test servers (credentials from the saved connection, as in the
 * app), a Runner over them, and bounded waits on run views.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunView } from '../../../shared/api/run-views';
import type { SessionFactory, ZkEndpointRef } from '../../../electron/engines/zk-copy/endpoints';
import { EngineRuns } from '../../../electron/engines/zk-copy/run-manager';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { RUNBOOKS } from '../../../electron/runbooks';
import type { PegasusToolAccess } from '../../../electron/pegasus/tools/tool-access';
import { abortableSleep } from '../../../electron/runner/build-run-services';
import { resolveConnection } from '../../../electron/runner/connection-refs';
import type { RunbookDefinition } from '../../../electron/runner/runbook-definition';
import type { RunServices } from '../../../electron/runner/run-services';
import { Runner, type RunnerOptions } from '../../../electron/runner/runner';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import type { ZkSessionLike } from '../../../electron/zk/types';
import { ZkSession } from '../../../electron/zk/zk-session';

/** Cluster profiles from the store and no tool runners: what a runbook sees with no tools configured. */
export function noPegasusTools(store: Store): PegasusToolAccess {
  return { profile: (id) => store.pegasusProfiles.get(id), shell: () => null, adminCli: () => null };
}

export interface RunnerKit {
  dir: string;
  store: Store;
  engine: EngineRuns;
  services: RunServices;
  runner: Runner;
  /** A saved connection (read-only unless readWrite), with an optional digest credential. */
  addConnection(
    name: string,
    connectString: string,
    options?: { readWrite?: boolean; digestAuth?: string },
  ): string;
  /** A second runner on the same store and services: the process after a restart. */
  restart(): Runner;
  close(): Promise<void>;
}

/**
 * What both runner kits build the same way over a store: a session factory that refuses writes
 * through read-only saved connections (sessions opened by `connect`), the real copy engine (exports
 * under `dir`), RunServices with one cached session per connection ref, Runners over them, saved
 * connections, and a close that stops the runners and every session (the store is the caller's).
 */
export interface RunnerCore {
  engine: EngineRuns;
  services: RunServices;
  /** A new Runner on the same store and services (the first is the kit's; more: the process after a restart). */
  newRunner(): Runner;
  /** A saved connection (read-only unless readWrite), with an optional digest credential. */
  addConnection(
    name: string,
    connectString: string,
    options?: { readWrite?: boolean; digestAuth?: string },
  ): string;
  close(): Promise<void>;
}

export function makeRunnerCore(options: {
  store: Store;
  dir: string;
  connect(ref: ZkEndpointRef): Promise<ZkSessionLike>;
  credentials(ref: ZkEndpointRef): string[];
  services: Pick<RunServices, 'pegasus' | 'sleep'> & Partial<RunServices>;
  runbooks?: readonly RunbookDefinition[];
  runner?: Partial<RunnerOptions>;
}): RunnerCore {
  const { store } = options;
  const opened: ZkSessionLike[] = [];
  const factory: SessionFactory = {
    credentials: options.credentials,
    async open(ref, purpose) {
      if (purpose === 'write' && ref.connectionId && store.connections.get(ref.connectionId)?.readOnly) {
        throw new Error(`Connection ${ref.connectionName} is read-only`);
      }
      const session = await options.connect(ref);
      opened.push(session);
      return session;
    },
  };
  const engine = new EngineRuns({ store, actor: 'tester', factory, exportDir: join(options.dir, 'exports') });
  const sessions = new Map<string, Promise<ZkSessionLike>>();
  const connection = (ref: string) => resolveConnection(store, ref, { allowConnectString: true });
  const services: RunServices = {
    store,
    connection,
    zk(ref) {
      let session = sessions.get(ref);
      if (!session) {
        session = factory.open(connection(ref).endpoint('/'), 'read');
        sessions.set(ref, session);
        session.catch(() => sessions.delete(ref));
      }
      return session;
    },
    copyEngine: engine,
    actor: 'tester',
    now: Date.now,
    ...options.services,
  };
  const runners: Runner[] = [];
  return {
    engine,
    services,
    newRunner() {
      const runner = new Runner({ services, runbooks: options.runbooks ?? RUNBOOKS, ...options.runner });
      runners.push(runner);
      return runner;
    },
    addConnection(name, connectString, connectionOptions = {}) {
      const profile = store.connections.create({
        name,
        connectString,
        chroot: null,
        sessionTimeoutMs: 10_000,
        connectTimeoutMs: 5000,
        digestAuth: connectionOptions.digestAuth ?? null,
      });
      if (connectionOptions.readWrite) store.connections.update(profile.id, { readOnly: false });
      return profile.id;
    },
    async close() {
      for (const runner of runners) await runner.shutdown();
      const all = await Promise.allSettled([...sessions.values()]);
      await Promise.allSettled(all.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])));
      await Promise.allSettled(opened.map((session) => session.close()));
    },
  };
}

export function makeRunnerKit(
  options: {
    runbooks?: readonly RunbookDefinition[];
    services?: Partial<RunServices>;
    runner?: Partial<RunnerOptions>;
  } = {},
): RunnerKit {
  const dir = mkdtempSync(join(tmpdir(), 'mdesk-runner-'));
  const store = openStore({ file: join(dir, 'store.db'), secretBox: createSecretBox(randomBytes(32)) });
  const credentials = (connectionId: string | undefined): string[] => {
    if (!connectionId) return [];
    const digest = store.connections.digestAuth(connectionId);
    return digest ? [digest] : [];
  };
  const core = makeRunnerCore({
    store,
    dir,
    credentials: (ref) => credentials(ref.connectionId),
    connect: (ref) =>
      ZkSession.connect({
        connectString: ref.connectString,
        sessionTimeoutMs: 10_000,
        connectTimeoutMs: 5000,
        digestAuth: credentials(ref.connectionId),
      }),
    services: { pegasus: noPegasusTools(store), sleep: abortableSleep, ...options.services },
    runbooks: options.runbooks,
    runner: options.runner,
  });
  return {
    dir,
    store,
    engine: core.engine,
    services: core.services,
    runner: core.newRunner(),
    addConnection: core.addConnection,
    restart: core.newRunner,
    async close() {
      await core.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the run once `match` holds for it; fails with what it saw after `timeoutMs`. */
export async function waitForRun(
  runner: Runner,
  runId: string,
  match: (run: RunView) => boolean,
  timeoutMs = 60_000,
  what = 'the expected state',
): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = runner.get(runId);
    if (match(run)) return run;
    // A run that ended (or failed and waits for the operator) will not get there by waiting.
    const stuck = run.state === 'failed' || run.state === 'completed' || run.state === 'aborted';
    if (stuck || Date.now() > deadline) {
      const steps = run.steps.map((step) => `${step.id}=${step.state}`).join(', ');
      throw new Error(
        `run ${runId} did not reach ${what} within ${timeoutMs} ms: ${run.state} (${steps}); ${run.message}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The step.* and run.* audit events of a run, oldest first. */
export function runEvents(store: Store, runId: string) {
  return store.events.list({ target: `run:${runId}`, limit: 1000 }).reverse();
}

/** `mdesk run subtree-migration` parameters: `source.path` on zk://`source.zk` to `target.path` on zk://`target.zk`. */
export function subtreeMigrationArgs(
  source: { zk: string; path: string },
  target: { zk: string; path: string },
  extra: string[] = [],
): string[] {
  return [
    '--param',
    `source=zk://${source.zk}`,
    '--param',
    `sourcePath=${source.path}`,
    '--param',
    `target=zk://${target.zk}`,
    '--param',
    `targetPath=${target.path}`,
    ...extra,
  ];
}
