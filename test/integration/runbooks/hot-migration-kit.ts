/**
 * What the table-hot-migration integration tests share on top of runbook-bench: the bench each file
 * registers (the primary ensemble, a read-write connection `zk` to it), the clusters seeded there, a
 * run started with the parameters every case uses (a fixture profile on the seeded cluster, the
 * MetaProxy root beside it, waits bounded to a minute), and reading a step's log while a wait step
 * polls. The cluster seeding and the duplication nodes are in test/setup/pegasus-live-cluster (the
 * Chromium test uses them too).
 */
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { HOT_TARGET, HOT_TARGET_METAS, seedHotMigrationCluster } from '../../setup/pegasus-live-cluster';
import { scenarioTables } from '../../setup/pegasus-shell-kit';
import { type PegasusRunbookKit, stepOf } from './pegasus-runbook-kit';
import { type RunbookBench, registerRunbookBench } from './runbook-bench';

export type HotMigrationBench = RunbookBench<'primary'>;

/** The file's bench: a session to `connectString`, a runner kit, and a read-write connection `zk` to it. */
export function registerHotMigrationBench(label: string, connectString: string): HotMigrationBench {
  return registerRunbookBench({
    label,
    ensembles: { primary: connectString },
    connections: { zk: { on: 'primary', readWrite: true } },
  });
}

/**
 * Seeds cluster `name` as seedHotMigrationCluster does (closed at the end); with `asScenario` the
 * shell fixture's tables become the cluster's tables.
 */
export async function seedHotCluster(
  bench: HotMigrationBench,
  name: string,
  shape: { seed: number; tables: number },
  options: { asScenario?: boolean } = {},
): Promise<SeededCluster> {
  const cluster = bench.closeAtEnd(
    await seedHotMigrationCluster(
      bench.zk.primary,
      bench.connectString('primary'),
      { base: bench.base, name },
      shape,
    ),
  );
  if (options.asScenario) bench.kit.setScenario({ tables: scenarioTables(cluster.expected.tables) });
  return cluster;
}

/**
 * Creates and starts a table-hot-migration run of `cluster`'s table (the first unless `table`
 * names one) through a new profile `name` whose shell is the fixture; `params` adds or overrides
 * run parameters. The MetaProxy root is `${bench.base}/${name}/proxy`, as seedHotCluster seeds it.
 */
export function startHotRun(
  bench: HotMigrationBench,
  options: {
    cluster: SeededCluster;
    name: string;
    metaServers?: string[];
    table?: string;
    params?: Record<string, string>;
  },
): string {
  const { kit } = bench;
  const zkId = bench.connectionId('zk');
  const profile = kit.addProfile({
    name: options.name,
    connectionId: zkId,
    clusterRoot: options.cluster.root,
    metaServers: options.metaServers ?? [],
    shell: true,
  });
  const created = kit.runner.create('table-hot-migration', {
    profile,
    table: options.table ?? options.cluster.expected.tables[0]!.name,
    targetCluster: HOT_TARGET,
    targetMetas: HOT_TARGET_METAS,
    metaProxy: zkId,
    // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
    waitMinutes: '1',
    metaProxyRoot: `${bench.base}/${options.name}/proxy`,
    ...options.params,
  });
  kit.runner.start(created.id);
  return created.id;
}

/** The log lines step `index` of the run wrote so far. */
export function logOf(kit: PegasusRunbookKit, runId: string, index: number): string {
  return kit.runner
    .output(runId, { index, limit: 5000 })
    .lines.map((line) => line.line)
    .join('\n');
}

/** Polls (bounded) until the run's step `id` logged `text` (a wait step waiting on it); returns the log. */
export async function untilLogged(
  kit: PegasusRunbookKit,
  runId: string,
  id: string,
  text: string,
): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const run = kit.runner.get(runId);
    const log = logOf(kit, runId, stepOf(run, id).index);
    if (log.includes(text)) return log;
    if (run.state === 'failed')
      throw new Error(`run failed while waiting for '${text}' in ${id}: ${run.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const run = kit.runner.get(runId);
  const tail = logOf(kit, runId, stepOf(run, id).index).split('\n').slice(-12).join('\n');
  throw new Error(
    `step ${id} did not log '${text}' within 60 s (run ${run.state}: ${run.message}); its log ends:\n${tail}`,
  );
}
