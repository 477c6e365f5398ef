/**
 * The once-per-file bench of the Pegasus runbook integration tests, registered as the file's
 * beforeAll / afterAll so each file does not repeat it: a session to each test ensemble it names, a
 * runbook kit with the saved connections it names, the clusters it seeds, and whatever else it opened
 * (HTTP fixtures, lock holders). The end closes those (last opened first), then the kit, removes the
 * file's test root from every ensemble and closes the sessions — whatever part of the setup did run.
 */
import { afterAll, beforeAll } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import type { Runner } from '../../../electron/runner/runner';
import type { ZkSession } from '../../../electron/zk/zk-session';
import type { PegasusProfileInput } from '../../../shared/api/pegasus-profile';
import {
  quietClusterOptions,
  type SeedClusterOptions,
  type SeededCluster,
} from '../../fixtures/pegasus-cluster/seed-cluster';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connectZk,
  makePegasusRunbookKit,
  type PegasusRunbookKit,
  seedLiveCluster,
  settled,
} from './pegasus-runbook-kit';

interface Closable {
  close(): Promise<void>;
}

/** What the bench opened in beforeAll; a test that runs without it (or a setup that failed) says so. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`the runbook bench has no ${what} (its beforeAll did not open it)`);
  return value;
}

export interface RunbookBench<E extends string> {
  /** The file's own test root (uniqueTestRoot(label)), removed from every ensemble at the end. */
  readonly base: string;
  readonly kit: PegasusRunbookKit;
  /** The kit's first runner (kit.runner). */
  readonly runner: Runner;
  /** A session to each ensemble, by the file's name for it. */
  readonly zk: Readonly<Record<E, ZkSession>>;
  /** The connect string of ensemble `name`. */
  connectString(name: E): string;
  /** The id of the saved connection `name`. */
  connectionId(name: string): string;
  /** A live cluster seeded on ensemble `on` (lock nodes held by sessions), closed at the end. */
  seed(on: E, options: SeedClusterOptions): Promise<SeededCluster>;
  /** Closed at the end, before the kit (HTTP fixtures, lock holders); returns `thing`. */
  closeAtEnd<T extends Closable>(thing: T): T;
  /** The log lines step `index` of the run wrote so far. */
  logOf(runId: string, index: number): string;
  /** settled() on the kit's first runner: the run once idle, checked by `match`. */
  settled(runId: string, what: string, match: (run: RunView) => boolean): Promise<RunView>;
}

export interface RunbookBenchOptions<E extends string> {
  /** The test root's label (uniqueTestRoot). */
  label: string;
  /** Connect strings by a name the file uses (`zk`, or `src` and `dst`). */
  ensembles: Record<E, string>;
  /** Saved connections by name: on which ensemble, read-write or (default) read-only. */
  connections?: Record<string, { on: E; readWrite?: boolean }>;
  /** Options of makePegasusRunbookKit (a shell scenario, a data dir a CLI child shares). */
  kit?: Parameters<typeof makePegasusRunbookKit>[0];
  /** More of the file's beforeAll, once the sessions, kit and connections are there. */
  setup?: (bench: RunbookBench<E>) => Promise<void>;
  /** More of the file's afterAll: before anything is closed (stray CLI children), after it all (data dirs). */
  beforeClose?: () => void | Promise<void>;
  afterClose?: () => void | Promise<void>;
  /** Bounds of the hooks (ms): default one minute for the setup, two for the end. */
  setupMs?: number;
  teardownMs?: number;
}

export function registerRunbookBench<E extends string>(options: RunbookBenchOptions<E>): RunbookBench<E> {
  const base = uniqueTestRoot(options.label);
  const sessions = new Map<E, ZkSession>();
  let zk: Record<E, ZkSession> | undefined;
  const ids = new Map<string, string>();
  const closables: Closable[] = [];
  let kit: PegasusRunbookKit | undefined;
  const bench: RunbookBench<E> = {
    base,
    get kit() {
      return ready(kit, 'kit');
    },
    get runner() {
      return bench.kit.runner;
    },
    get zk() {
      return ready(zk, 'sessions');
    },
    connectString: (name) => options.ensembles[name],
    connectionId: (name) => ready(ids.get(name), `connection ${name}`),
    async seed(on, seedOptions) {
      return bench.closeAtEnd(await seedLiveCluster(bench.zk[on], options.ensembles[on], seedOptions));
    },
    closeAtEnd(thing) {
      closables.push(thing);
      return thing;
    },
    settled: (runId, what, match) => settled(bench.kit.runner, runId, what, match),
    logOf(runId, index) {
      return bench.kit.runner
        .output(runId, { index, limit: 5000 })
        .lines.map((line) => line.line)
        .join('\n');
    },
  };
  beforeAll(async () => {
    for (const [name, connectString] of Object.entries(options.ensembles) as [E, string][])
      sessions.set(name, await connectZk(connectString));
    zk = Object.fromEntries(sessions) as Record<E, ZkSession>;
    kit = makePegasusRunbookKit(options.kit);
    for (const [name, { on, readWrite }] of Object.entries(options.connections ?? {}))
      ids.set(name, kit.addConnection(name, options.ensembles[on], { readWrite }));
    await options.setup?.(bench);
  }, options.setupMs ?? 60_000);
  afterAll(async () => {
    await options.beforeClose?.();
    await Promise.allSettled(closables.reverse().map((closable) => closable.close()));
    await kit?.close();
    for (const session of sessions.values()) await removeTree(session, base).catch(() => undefined);
    await Promise.allSettled([...sessions.values()].map((session) => session.close()));
    await options.afterClose?.();
  }, options.teardownMs ?? 120_000);
  return bench;
}

export interface SourceTargetBench extends RunbookBench<'primary'> {
  readonly source: SeededCluster;
  readonly target: SeededCluster;
  /** Their cluster profiles' ids. */
  readonly sourceProfile: string;
  readonly targetProfile: string;
}

/**
 * The table runbooks' bench: quiet clusters `${base}/source` and `${base}/target` seeded on ensemble
 * `zk` (live metas), both read over the read-only connection `zk` to it, each with a cluster profile whose
 * pegasus_shell is the fixture; `profile` adds the same fields to both (meta servers, an admin-cli).
 */
export function registerSourceTargetBench(options: {
  label: string;
  zk: string;
  source: { profile: string; seed: number; tables: number };
  target: { profile: string; seed: number; tables: number };
  profile?: Partial<PegasusProfileInput> & { adminCli?: string };
}): SourceTargetBench {
  const clusters: { source?: SeededCluster; target?: SeededCluster } = {};
  const profiles: { source?: string; target?: string } = {};
  const bench = registerRunbookBench({
    label: options.label,
    ensembles: { primary: options.zk },
    connections: { zk: { on: 'primary' } },
    async setup(opened) {
      for (const side of ['source', 'target'] as const) {
        const { profile, ...shape } = options[side];
        const cluster = await opened.seed(
          'primary',
          quietClusterOptions({ root: `${opened.base}/${side}`, ...shape }),
        );
        clusters[side] = cluster;
        profiles[side] = opened.kit.addProfile({
          name: profile,
          connectionId: opened.connectionId('zk'),
          clusterRoot: cluster.root,
          ...options.profile,
          shell: true,
        });
      }
    },
  });
  return Object.defineProperties(Object.create(bench) as SourceTargetBench, {
    source: { get: () => ready(clusters.source, 'source cluster') },
    target: { get: () => ready(clusters.target, 'target cluster') },
    sourceProfile: { get: () => ready(profiles.source, 'source profile') },
    targetProfile: { get: () => ready(profiles.target, 'target profile') },
  });
}
