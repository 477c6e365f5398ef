/**
 * Runbook `zk-migration-recovery` end to end through the Runner (issue 6 item 4): the old cluster is
 * seeded on the primary ZooKeeper with its meta lock nodes held by live sessions (closing them =
 * stopping the metas), the new ensemble is the secondary (a lock node created there = a meta started
 * there; the recovered tree is written there as the recovering meta would), and the Pegasus side is
 * the shell fixture (ls -o, nodes -d -o, recover -f, nodes -d) or, without a shell, the meta HTTP
 * fixture. Faults: an UNALIVE replica server, Recover result: ERR_TRY_AGAIN, no tools at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import {
  type SeedClusterOptions,
  type SeededCluster,
  seedCluster,
} from '../../fixtures/pegasus-cluster/seed-cluster';
import { scenarioTables } from '../../setup/pegasus-shell-kit';
import { closedPort, failedAt, holdLock, settled, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerRunbookBench } from './runbook-bench';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const TRY_AGAIN_HINTS = [
  'ERROR: collect app and replica info from node(127.0.0.1:34803) failed with err(ERR_NETWORK_FAILURE), you can skip it by set skip_bad_nodes option',
  'ERROR: partition(12.7) has no replica collected, you can force recover it by set skip_lost_partitions option',
];
const NODES = [
  { address: '127.0.0.1:34801', status: 'ALIVE', replicaCount: 12, primaryCount: 4, secondaryCount: 8 },
  { address: '127.0.0.1:34802', status: 'ALIVE', replicaCount: 12, primaryCount: 4, secondaryCount: 8 },
  { address: '127.0.0.1:34803', status: 'ALIVE', replicaCount: 12, primaryCount: 4, secondaryCount: 8 },
];
/** Right after recover: the servers report in, their replicas not assigned yet. */
const RECOVERING = NODES.map((node) => ({ ...node, replicaCount: 0, primaryCount: 0, secondaryCount: 0 }));

let sourceId = '';
let targetId = '';

const bench = registerRunbookBench({
  label: 'zkrecover',
  ensembles: { src: SRC, dst: DST },
  connections: { 'old-zk': { on: 'src' }, 'new-zk': { on: 'dst', readWrite: true } },
  async setup({ connectionId }) {
    sourceId = connectionId('old-zk');
    targetId = connectionId('new-zk');
  },
});

const seedOptions = (root: string): SeedClusterOptions => ({
  root,
  seed: 11,
  tables: 4,
  partitions: 4,
  droppedTables: 1,
  duplicatedTables: 1,
  backupPolicies: 1,
  bulkLoadTables: 1,
  metaServers: 3,
});

function seed(name: string): Promise<SeededCluster> {
  return bench.seed('src', seedOptions(`${bench.base}/old/${name}`));
}

/** The shell fixture's tables: the seeded cluster's available ones, as `ls` lists them. */
function shellTables(cluster: SeededCluster) {
  return scenarioTables(cluster.expected.tables.filter((table) => table.status === 'available'));
}

/** What the recovering meta writes on the new ensemble: the same cluster (nodes already there kept). */
async function writeRecoveredTree(cluster: SeededCluster, root: string): Promise<void> {
  await seedCluster(
    {
      create: (path, data) =>
        bench.zk.dst.create(path, data).catch((error: { code?: string }) => {
          if (error.code === 'NODE_EXISTS') return path;
          throw error;
        }),
    },
    { ...seedOptions(root), clusterName: cluster.expected.clusterName },
  );
}

/**
 * A cluster profile on the seeded `cluster` (read over old-zk) with these tools, and a
 * zk-migration-recovery run of it to new-zk with `params`, started.
 */
function startRecovery(
  cluster: SeededCluster,
  profile: { name: string; metaServers: string[]; shell: boolean },
  params: Record<string, unknown>,
): { id: string } {
  const id = bench.kit.addProfile({ ...profile, connectionId: sourceId, clusterRoot: cluster.root });
  const created = bench.runner.create('zk-migration-recovery', { profile: id, target: targetId, ...params });
  bench.runner.start(created.id);
  return created;
}

/** Drives a run from its start to the recover step: acknowledge, stop the metas, start one on the new ensemble. */
async function upToRecover(runId: string, cluster: SeededCluster, targetRoot: string): Promise<void> {
  await bench.settled(runId, 'the warning', waitsAt('warn-not-recovered', 'acknowledge'));
  bench.runner.acknowledge(runId, 'the copy route cannot be used: the old ensemble is failing');
  await upToRecoverFromStop(runId, cluster, targetRoot);
}

describe('zk-migration-recovery through the runner', () => {
  it('rebuilds the cluster on the new ensemble through the shell and checks it against the backup', async () => {
    const cluster = await seed('c1');
    const { expected } = cluster;
    const targetRoot = `${bench.base}/new/c1`;
    const workDir = join(bench.kit.dir, 'work-c1');
    bench.kit.setScenario({
      tables: shellTables(cluster),
      nodesSequence: [NODES, RECOVERING, NODES],
      recover: { result: 'ERR_OK', waitedSeconds: 2, intervalMs: 20 },
    });
    const created = startRecovery(
      cluster,
      { name: 'c1', metaServers: expected.metaServers, shell: true },
      { targetRoot, configSyncIntervalMs: '1500', workDir },
    );

    let run = await bench.settled(created.id, 'the warning', waitsAt('warn-not-recovered', 'acknowledge'));
    const duplications = expected.tables.reduce((sum, table) => sum + table.duplications.length, 0);
    const warning = stepOf(run, 'warn-not-recovered').outcome!;
    expect(warning.status).toBe('warning');
    expect(warning.summary).toContain('duplications, backup policies and their history, bulk-load state');
    expect(warning.summary).toContain(
      `${duplications} duplications on 1 table, 1 backup policy, 1 bulk load`,
    );
    expect(warning.summary).toContain('zk-migration-copy');
    expect(stepOf(run, 'precheck-profile').state).toBe('succeeded');
    expect(stepOf(run, 'precheck-target').state).toBe('succeeded');
    bench.runner.acknowledge(created.id, 'the old ensemble is failing');

    run = await bench.settled(created.id, 'the stop step', waitsAt('stop-metas'));
    const backup = stepOf(run, 'backup').result as {
      backup: {
        source: string;
        tables: { name: string }[];
        nodes: unknown[];
        tableFile: string;
        nodeFile: string;
      };
    };
    expect(backup.backup.source).toBe('shell');
    expect(backup.backup.tables.map((table) => table.name)).toEqual(
      shellTables(cluster).map((table) => table.name),
    );
    expect(backup.backup.nodes).toHaveLength(3);
    // The files the shell wrote (with their [parameters] block) are kept in the work directory.
    expect(readFileSync(backup.backup.nodeFile, 'utf8')).toContain('[parameters]');
    expect(existsSync(backup.backup.tableFile)).toBe(true);
    const nodeList = stepOf(run, 'recover-node-list').result as { file: string };
    expect(readFileSync(nodeList.file, 'utf8').trim().split('\n').slice(1)).toEqual(
      NODES.map((node) => node.address),
    );
    const stop = stepOf(run, 'stop-metas').commands.map((command) => command.text);
    expect(stop[0]).toBe('./deploy stop pegasus onebox --job meta --skip_confirm');
    expect(stop).toHaveLength(1 + expected.metaServers.length);

    for (const holder of cluster.lockHolders) await holder.close();
    bench.runner.confirm(created.id, { note: 'stopped every meta' });
    run = await bench.settled(created.id, 'the config step', waitsAt('config-changes'));
    const waitIndex = stepOf(run, 'wait-config-sync').index;
    expect(stepOf(run, 'wait-config-sync')).toMatchObject({
      state: 'succeeded',
      progress: { total: 2, unit: 's' },
    });
    expect(bench.logOf(created.id, waitIndex)).toMatch(
      /Waiting for: \d s left of config_sync_interval_ms \(2 s\)/,
    );
    const config = stepOf(run, 'config-changes')
      .commands.map((command) => command.text)
      .join('\n');
    expect(config).toContain(`hosts_list = ${DST}`);
    expect(config).toContain(`cluster_root = ${targetRoot}`);
    expect(config).toContain(`distributed_lock_service_parameters = ${targetRoot}/lock`);
    expect(config).toContain('recover_from_replica_server = true');
    bench.runner.confirm(created.id, { note: 'config changed' });

    run = await bench.settled(created.id, 'the start step', waitsAt('start-one-meta'));
    expect(stepOf(run, 'start-one-meta').commands[0]!.text).toContain('--task 0 --update_config');
    bench.closeAtEnd(
      await holdLock(DST, `${targetRoot}/lock/dsn.meta.server.leader`, expected.metaServers[0]!),
    );
    bench.runner.confirm(created.id, { note: 'meta-1 started in recovery mode' });

    run = await bench.settled(created.id, 'the flag reset', waitsAt('reset-flag'));
    expect(stepOf(run, 'recover').result).toMatchObject({
      result: 'ERR_OK',
      ok: true,
      nodes: NODES.map((n) => n.address),
    });
    // "Wait recovery for i seconds" drove a progress bar against recover -w.
    expect(stepOf(run, 'recover').progress).toMatchObject({ done: 2, total: 100, unit: 's' });
    const wait = stepOf(run, 'wait-nodes');
    expect(wait.state).toBe('succeeded');
    expect(bench.logOf(created.id, wait.index)).toContain(
      'Waiting for: 0 of 3 replica servers match the backup; 127.0.0.1:34801 is ALIVE 0 (backup: ALIVE 12)',
    );
    expect(stepOf(run, 'reset-flag').commands[0]!.text).toBe(
      '[meta_server]\nrecover_from_replica_server = false',
    );
    await writeRecoveredTree(cluster, targetRoot);
    bench.runner.confirm(created.id, { note: 'flag reset everywhere' });

    run = await bench.settled(created.id, 'the restart step', waitsAt('restart-all-metas'));
    expect(stepOf(run, 'restart-all-metas').commands[0]!.text).toBe(
      './deploy rolling_update pegasus onebox --job meta --update_config --time_interval 20 --skip_confirm',
    );
    for (const meta of expected.metaServers.slice(1))
      bench.closeAtEnd(await holdLock(DST, `${targetRoot}/lock/dsn.meta.server.leader`, meta));
    bench.runner.confirm(created.id, { note: 'restarted all metas' });

    run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    const verify = stepOf(run, 'verify-tables');
    expect(verify.outcome?.summary).toContain(`ls: all ${shellTables(cluster).length} backed-up tables`);
    expect(verify.outcome?.summary).toContain(
      `${targetRoot}/apps: all ${shellTables(cluster).length} backed-up tables`,
    );
    const actions = bench.kit.store.events
      .list({ target: `run:${created.id}`, limit: 1000 })
      .map((event) => event.action);
    expect(actions).toContain('run.completed');
    expect(actions).toContain('step.acknowledged');
  }, 180_000);

  it('refuses the backup while a replica server is UNALIVE, and goes on once it is back', async () => {
    const cluster = await seed('unalive');
    const unalive = [NODES[0], NODES[1], { ...NODES[2]!, status: 'UNALIVE', replicaCount: 0 }];
    bench.kit.setScenario({ tables: shellTables(cluster), nodes: unalive });
    const created = startRecovery(
      cluster,
      { name: 'unalive', metaServers: cluster.expected.metaServers, shell: true },
      { targetRoot: `${bench.base}/new/unalive`, workDir: join(bench.kit.dir, 'work-unalive') },
    );
    await bench.settled(created.id, 'the warning', waitsAt('warn-not-recovered', 'acknowledge'));
    bench.runner.acknowledge(created.id);
    let run = await bench.settled(created.id, 'the refusal', failedAt('backup'));
    const refused = stepOf(run, 'backup').outcome!;
    expect(refused.summary).toBe('Refused: 1 replica server is not ALIVE: 127.0.0.1:34803 UNALIVE');
    expect(refused.hint).toContain('Bring it back');
    expect(stepOf(run, 'recover-node-list').state).toBe('pending');

    bench.kit.setScenario({ tables: shellTables(cluster), nodes: NODES });
    bench.runner.retry(created.id);
    run = await bench.settled(created.id, 'the stop step', waitsAt('stop-metas'));
    expect(stepOf(run, 'backup')).toMatchObject({ state: 'succeeded', attempts: 2 });
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);

  it('fails on Recover result: ERR_TRY_AGAIN with the hints, and a retry after the fix goes on', async () => {
    const cluster = await seed('tryagain');
    const targetRoot = `${bench.base}/new/tryagain`;
    bench.kit.setScenario({
      tables: shellTables(cluster),
      nodes: NODES,
      recover: { result: 'ERR_TRY_AGAIN', hints: TRY_AGAIN_HINTS, waitedSeconds: 1, intervalMs: 20 },
    });
    const created = startRecovery(
      cluster,
      { name: 'tryagain', metaServers: cluster.expected.metaServers, shell: true },
      { targetRoot, configSyncIntervalMs: 200, workDir: join(bench.kit.dir, 'work-tryagain') },
    );
    await upToRecover(created.id, cluster, targetRoot);
    let run = await bench.settled(created.id, 'recover to fail', failedAt('recover'));
    const failed = stepOf(run, 'recover');
    expect(failed.outcome?.summary).toBe(`Recover result: ERR_TRY_AGAIN: ${TRY_AGAIN_HINTS.join(' | ')}`);
    expect(failed.outcome?.hint).toContain('then retry this step');
    expect(failed.outcome?.hint).toContain('-b (skip bad nodes');
    expect(failed.result).toMatchObject({ result: 'ERR_TRY_AGAIN', errors: TRY_AGAIN_HINTS });
    expect(bench.logOf(created.id, failed.index).split('\n')).toContain(`Hint: ${TRY_AGAIN_HINTS[0]}`);

    bench.kit.setScenario({
      tables: shellTables(cluster),
      nodes: NODES,
      recover: { result: 'ERR_OK', intervalMs: 20 },
    });
    bench.runner.retry(created.id);
    run = await bench.settled(created.id, 'the flag reset', waitsAt('reset-flag'));
    expect(stepOf(run, 'recover')).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(stepOf(run, 'wait-nodes').state).toBe('succeeded');
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);

  it('without a shell takes the backup over meta HTTP, shows the shell steps as commands, and checks ZooKeeper', async () => {
    const cluster = await seed('http');
    const targetRoot = `${bench.base}/new/http`;
    const available = shellTables(cluster);
    const ips = ['10.1.2.11:34801', '10.1.2.12:34801', '10.1.2.13:34801'];
    const http = await startMetaHttpFixture({
      apps: {
        general_info: Object.fromEntries(
          available.map((table) => [
            String(table.appId),
            {
              app_id: String(table.appId),
              status: 'AVAILABLE',
              app_name: table.name,
              app_type: 'pegasus',
              partition_count: String(table.partitionCount),
              replica_count: String(table.replicaCount),
              is_stateful: 'true',
              create_time: '2024-03-01 10:00:00.000',
              drop_time: '-',
              drop_expire: '-',
              envs_count: '1',
            },
          ]),
        ),
        summary: { total_app_count: String(available.length) },
      },
      nodesDetail: {
        details: Object.fromEntries(
          ips.map((address) => [
            address,
            { address, status: 'ALIVE', replica_count: '9', primary_count: '3', secondary_count: '6' },
          ]),
        ),
        summary: { total_node_count: '3', alive_node_count: '3', unalive_node_count: '0' },
      },
    });
    try {
      const created = startRecovery(
        cluster,
        { name: 'http', metaServers: [http.address], shell: false },
        { targetRoot, configSyncIntervalMs: 200, workDir: join(bench.kit.dir, 'work-http') },
      );
      await bench.settled(created.id, 'the warning', waitsAt('warn-not-recovered', 'acknowledge'));
      bench.runner.acknowledge(created.id);

      let run = await bench.settled(
        created.id,
        'the node list as a file to write',
        waitsAt('recover-node-list'),
      );
      expect(stepOf(run, 'backup').result).toMatchObject({ backup: { source: 'meta-http' } });
      const list = stepOf(run, 'recover-node-list');
      expect(list.manualReason).toContain('The Pegasus shell does not run here');
      expect(list.commands[0]!.text.split('\n').slice(1)).toEqual(ips);
      expect(list.commands[1]!.text).toContain("cat > /tmp/http.recover.nodes <<'MDESK_EOF'");
      bench.runner.confirm(created.id, { note: 'written on the shell host' });

      await bench.settled(created.id, 'the stop step', waitsAt('stop-metas'));
      for (const holder of cluster.lockHolders) await holder.close();
      bench.runner.confirm(created.id);
      await bench.settled(created.id, 'the config step', waitsAt('config-changes'));
      bench.runner.confirm(created.id);
      await bench.settled(created.id, 'the start step', waitsAt('start-one-meta'));
      bench.closeAtEnd(
        await holdLock(DST, `${targetRoot}/lock/dsn.meta.server.leader`, cluster.expected.metaServers[0]!),
      );
      bench.runner.confirm(created.id);

      run = await bench.settled(created.id, 'recover as a manual step', waitsAt('recover', 'confirm'));
      const recover = stepOf(run, 'recover');
      expect(recover.manualReason).toContain('confirm only when it prints "Recover result: ERR_OK"');
      expect(recover.commands.map((command) => command.text)).toContain(
        'recover -f /tmp/http.recover.nodes -w 100',
      );
      await writeRecoveredTree(cluster, targetRoot);
      bench.runner.confirm(created.id, { note: 'Recover result: ERR_OK' });

      run = await bench.settled(created.id, 'the flag reset', waitsAt('reset-flag'));
      expect(stepOf(run, 'wait-nodes').outcome?.summary).toContain(
        'all 3 replica servers match the backup (/meta/nodes)',
      );
      bench.runner.confirm(created.id);
      await bench.settled(created.id, 'the restart step', waitsAt('restart-all-metas'));
      for (const meta of cluster.expected.metaServers.slice(1))
        bench.closeAtEnd(await holdLock(DST, `${targetRoot}/lock/dsn.meta.server.leader`, meta));
      bench.runner.confirm(created.id);
      run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
      expect(stepOf(run, 'verify-tables').outcome?.summary).toBe(
        `The tables match the backup (@new-zk${targetRoot}/apps: all ${available.length} backed-up tables)`,
      );
    } finally {
      await http.close();
    }
  }, 180_000);

  it('with no tools at all, every Pegasus step is a manual step with its exact commands', async () => {
    const cluster = await seed('bare');
    const dead = await closedPort();
    const targetRoot = `${bench.base}/new/bare`;
    const created = startRecovery(
      cluster,
      { name: 'bare', metaServers: [dead], shell: false },
      { targetRoot, configSyncIntervalMs: 200 },
    );
    await bench.settled(created.id, 'the warning', waitsAt('warn-not-recovered', 'acknowledge'));
    bench.runner.acknowledge(created.id);
    let run = await bench.settled(created.id, 'the backup as a manual step', waitsAt('backup', 'confirm'));
    let step = stepOf(run, 'backup');
    expect(step.manualReason).toMatch(/No Pegasus shell is configured.*No meta server answered/);
    expect(step.commands.map((command) => command.text)).toEqual([
      `./run.sh shell --cluster ${dead}`,
      'ls -o bare.apps',
      'nodes -d -o bare.nodes',
    ]);
    bench.runner.confirm(created.id, { note: 'bare.apps and bare.nodes saved' });
    run = await bench.settled(created.id, 'the node list as a manual step', waitsAt('recover-node-list'));
    expect(stepOf(run, 'recover-node-list').commands[0]!.text).toBe(
      `awk '$2 == "ALIVE" {print $1}' bare.nodes > /tmp/bare.recover.nodes && cat /tmp/bare.recover.nodes`,
    );
    bench.runner.confirm(created.id);
    await upToRecoverFromStop(created.id, cluster, targetRoot);
    run = await bench.settled(created.id, 'recover as a manual step', waitsAt('recover', 'confirm'));
    step = stepOf(run, 'recover');
    expect(step.commands.map((command) => command.text)).toEqual([
      `./run.sh shell --cluster ${dead}`,
      'recover -f /tmp/bare.recover.nodes -w 100',
    ]);
    bench.runner.confirm(created.id, { note: 'ERR_OK' });
    run = await bench.settled(created.id, 'the node wait as a manual step', waitsAt('wait-nodes', 'confirm'));
    expect(stepOf(run, 'wait-nodes').manualReason).toContain('There is no backup in this run');
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);

  // Last in the file: it shuts the kit's runner down, as a crashing app would stop.
  it('after a restart during recover, re-checks the new ensemble instead of recovering twice', async () => {
    const cluster = await seed('restart');
    const targetRoot = `${bench.base}/new/restart`;
    bench.kit.setScenario({
      tables: shellTables(cluster),
      nodes: NODES,
      recover: { result: 'ERR_OK', waitedSeconds: 60, intervalMs: 100 },
    });
    const created = startRecovery(
      cluster,
      { name: 'restart', metaServers: cluster.expected.metaServers, shell: true },
      { targetRoot, configSyncIntervalMs: 200, workDir: join(bench.kit.dir, 'work-restart') },
    );
    await upToRecover(created.id, cluster, targetRoot);
    const recoverIndex = stepOf(bench.runner.get(created.id), 'recover').index;
    const deadline = Date.now() + 60_000;
    while (
      !bench.logOf(created.id, recoverIndex).includes('Wait recovery for 0 seconds') &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bench.logOf(created.id, recoverIndex)).toContain('Wait recovery for 0 seconds');
    // The meta finishes its work while the app goes down mid-step.
    await writeRecoveredTree(cluster, targetRoot);
    await bench.runner.shutdown();
    expect(bench.kit.store.runs.steps(created.id).find((step) => step.stepId === 'recover')?.state).toBe(
      'running',
    );

    const app = bench.kit.restart();
    expect(await app.recover()).toEqual([created.id]);
    const run = await settled(app, created.id, 'the flag reset', waitsAt('reset-flag'));
    expect(stepOf(run, 'recover')).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(stepOf(run, 'recover').outcome?.summary).toBe('Found done after restart');
    expect(bench.logOf(created.id, recoverIndex)).toContain(
      'Migration Desk stopped while this step was running.',
    );
    await app.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);
});

async function upToRecoverFromStop(runId: string, cluster: SeededCluster, targetRoot: string): Promise<void> {
  await bench.settled(runId, 'the stop step', waitsAt('stop-metas'));
  for (const holder of cluster.lockHolders) await holder.close();
  bench.runner.confirm(runId);
  await bench.settled(runId, 'the config step', waitsAt('config-changes'));
  bench.runner.confirm(runId);
  await bench.settled(runId, 'the start step', waitsAt('start-one-meta'));
  bench.closeAtEnd(
    await holdLock(DST, `${targetRoot}/lock/dsn.meta.server.leader`, cluster.expected.metaServers[0]!),
  );
  bench.runner.confirm(runId);
}
