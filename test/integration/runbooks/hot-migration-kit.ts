/**
 * What the table-hot-migration integration tests share on top of pegasus-runbook-kit: the session,
 * runner kit and read-write connection each file opens (and closes with its clusters and fixtures),
 * a run started with the parameters every case uses (a fixture profile on the seeded cluster, the
 * MetaProxy root beside it, waits bounded to a minute), and reading a step's log while a wait step
 * polls. The
 * cluster seeding and the duplication nodes are in test/setup/pegasus-live-cluster (the Chromium
 * test uses them too).
 */
import type { ZkSession } from '../../../electron/zk/zk-session';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { HOT_TARGET, HOT_TARGET_METAS } from '../../setup/pegasus-live-cluster';
import { removeTree } from '../../setup/zk-test-helpers';
import { connectZk, makePegasusRunbookKit, type PegasusRunbookKit, stepOf } from './pegasus-runbook-kit';

/** A session to `connectString`, a runner kit, and a read-write connection `zk` to it saved there. */
export async function openHotMigrationBench(
  connectString: string,
): Promise<{ zk: ZkSession; kit: PegasusRunbookKit; zkId: string }> {
  const zk = await connectZk(connectString);
  const kit = makePegasusRunbookKit();
  const zkId = kit.addConnection('zk', connectString, { readWrite: true });
  return { zk, kit, zkId };
}

/**
 * Closes what a file opened, whatever part of it did open: `closables` first (seeded clusters,
 * HTTP fixtures), then the kit, then the file's test root is removed and the session closed.
 */
export async function closeHotMigrationBench(
  opened: { zk?: ZkSession; kit?: PegasusRunbookKit },
  base: string,
  closables: { close(): Promise<void> }[],
): Promise<void> {
  await Promise.allSettled(closables.map((closable) => closable.close()));
  await opened.kit?.close();
  if (opened.zk) {
    await removeTree(opened.zk, base).catch(() => undefined);
    await opened.zk.close();
  }
}

/**
 * Creates and starts a table-hot-migration run of `cluster`'s table (the first unless `table`
 * names one) through a new profile `name` whose shell is the fixture; `params` adds or overrides
 * run parameters. The MetaProxy root is `${base}/${name}/proxy`, as seedHotMigrationCluster seeds it.
 */
export function startHotRun(
  kit: PegasusRunbookKit,
  options: {
    zkId: string;
    cluster: SeededCluster;
    base: string;
    name: string;
    metaServers?: string[];
    table?: string;
    params?: Record<string, string>;
  },
): string {
  const profile = kit.addProfile({
    name: options.name,
    connectionId: options.zkId,
    clusterRoot: options.cluster.root,
    metaServers: options.metaServers ?? [],
    shell: true,
  });
  const created = kit.runner.create('table-hot-migration', {
    profile,
    table: options.table ?? options.cluster.expected.tables[0]!.name,
    targetCluster: HOT_TARGET,
    targetMetas: HOT_TARGET_METAS,
    metaProxy: options.zkId,
    // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
    waitMinutes: '1',
    metaProxyRoot: `${options.base}/${options.name}/proxy`,
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
