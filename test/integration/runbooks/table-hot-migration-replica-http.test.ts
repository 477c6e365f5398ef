/**
 * Runbook `table-hot-migration` reading the replica servers over HTTP (issue 7 item 4, reference
 * §3.5 and §5): the source cluster and its MetaProxy root are seeded on the primary ZooKeeper; the
 * meta HTTP fixture lists the replica servers (`/meta/nodes`), which are replica HTTP fixtures
 * (`/replica/data_version`, `/replica/duplication` for their primaries); the shell fixture does
 * add_dup and the envs. Cases: data_version 0 refused with the partition named; the pending and the
 * shipped waits going by the replicas' unshipped mutations (while ZooKeeper's throttled progress
 * nodes still trail); a replica server that times out (data versions still covered by the other
 * replicas, the waits fall back to the decree gap and record why); no replica server reachable (the
 * curl commands move to the manual step).
 */
import { describe, expect, inject, it } from 'vitest';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import {
  type FixturePrimaryDup,
  metaNodesFor,
  type ReplicaHttpFixture,
  startReplicaHttpFixture,
} from '../../fixtures/replica-http-fixture';
import { FIRST_DUPID, writeDuplication } from '../../setup/pegasus-live-cluster';
import {
  logOf,
  registerHotMigrationBench,
  seedHotCluster,
  startHotRun,
  untilLogged,
} from './hot-migration-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';

const bench = registerHotMigrationBench('hotrep', inject('zkPrimary'));

function seed(name: string): Promise<SeededCluster> {
  return seedHotCluster(bench, name, { seed: 11, tables: 1 }, { asScenario: true });
}

interface ReplicaCluster {
  meta: MetaHttpFixture;
  replicas: ReplicaHttpFixture[];
}

/**
 * Three replica servers, each holding a replica of all 4 partitions (replica count 3); primaries:
 * partitions 0 and 3 on the first, 1 on the second, 2 on the third.
 */
async function startReplicaCluster(
  appId: number,
  options: { versions?: Record<number, number>[]; delays?: number[] } = {},
): Promise<ReplicaCluster> {
  const replicas: ReplicaHttpFixture[] = [];
  for (let i = 0; i < 3; i += 1) {
    const replica = await startReplicaHttpFixture({
      dataVersions: { [appId]: options.versions?.[i] ?? { 0: 1, 1: 1, 2: 1, 3: 1 } },
      delayMs: options.delays?.[i] ?? 0,
    });
    replicas.push(bench.closeAtEnd(replica));
  }
  const meta = bench.closeAtEnd(
    await startMetaHttpFixture({ nodesDetail: metaNodesFor(replicas.map((r) => r.address)) }),
  );
  return { meta, replicas };
}

/** Per server, its primaries' backlogs (pidx -> successive not_duplicated_mutations_num). */
function setBacklogs(cluster: ReplicaCluster, appId: number, backlogs: Record<number, number[]>[]) {
  cluster.replicas.forEach((replica, i) => {
    const dup: FixturePrimaryDup = {
      appId,
      dupid: FIRST_DUPID,
      remoteAppName: 'temp',
      backlog: backlogs[i] ?? {},
    };
    replica.setPrimaries([dup]);
  });
}

function startRun(cluster: SeededCluster, name: string, metaServers: string[]): string {
  const params = { sourceCluster: 'onebox', pendingThreshold: '100' };
  return startHotRun(bench, { cluster, name, metaServers, params });
}

describe('table-hot-migration over replica HTTP', () => {
  it('refuses a table with a partition at data_version 0, naming the partition and the server', async () => {
    const cluster = await seed('r1');
    const appId = cluster.expected.tables[0]!.appId;
    const replicas = await startReplicaCluster(appId, {
      versions: [
        { 0: 1, 1: 1, 2: 1, 3: 1 },
        { 0: 1, 1: 1, 2: 0, 3: 1 },
      ],
    });
    const runId = startRun(cluster, 'r1', [replicas.meta.address]);
    const run = await bench.settled(runId, 'the refused precheck', failedAt('precheck-data-version'));
    const outcome = stepOf(run, 'precheck-data-version').outcome!;
    expect(outcome.summary).toContain(`partition 2: data_version 0 on ${replicas.replicas[1]!.address}`);
    expect(outcome.summary).toContain('is not at data_version 1 everywhere');
    expect(outcome.hint).toContain('table-copy-data');
    expect(replicas.replicas[2]!.requests).toContain(`GET /replica/data_version?app_id=${appId}`);
    // Nothing was added: the run stopped before dup-add.
    expect(stepOf(run, 'dup-add').state).toBe('pending');
  }, 60_000);

  it('waits on the unshipped mutations the primaries report, falling under the threshold, then to 0', async () => {
    const cluster = await seed('r2');
    const table = cluster.expected.tables[0]!;
    const replicas = await startReplicaCluster(table.appId);
    setBacklogs(replicas, table.appId, [{ 0: [500, 300, 50], 3: [20] }, { 1: [10] }, { 2: [90] }]);
    const runId = startRun(cluster, 'r2', [replicas.meta.address]);

    let run = await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
    expect(stepOf(run, 'precheck-data-version').outcome!.summary).toContain(
      `data_version 1 on all 4 partitions of ${table.name} (12 replicas on 3 replica servers, /meta/nodes of ${replicas.meta.address})`,
    );
    expect(stepOf(run, 'precheck-data-version').result).toMatchObject({ checked: true, uncovered: [] });
    // Checked already: the manual step no longer asks for the curl commands.
    const manual = stepOf(run, 'check-clients').commands.map((command) => command.text);
    expect(manual.join('\n')).not.toContain('/replica/data_version');
    expect(manual.join('\n')).toContain('meta_servers = <metaproxy-host>:34601');

    // ZooKeeper's throttled progress nodes still show 500 behind: the replicas' figures are used.
    await writeDuplication(bench.zk.primary, cluster, 500);
    bench.runner.confirm(runId, { note: 'Java clients only' });
    const pendingLog = await untilLogged(
      bench.kit,
      runId,
      'wait-pending',
      `partition 0 (primary ${replicas.replicas[0]!.address}) has 500 mutations not shipped, more than 100`,
    );
    expect(pendingLog).not.toContain('replica HTTP not used');
    run = await bench.settled(runId, 'the deny gate', waitsAt('confirm-deny-writes', 'confirm-text'));
    const pending = stepOf(run, 'wait-pending');
    expect(pending.outcome!.summary).toContain(
      'all 4 partitions within 100 unshipped mutations (max 90, total 170 not shipped, 170 not confirmed; live, replica HTTP, primaries on 3 servers)',
    );
    expect(pending.result).toMatchObject({
      source: 'replica HTTP /replica/duplication',
      maxNotDuplicated: 90,
    });

    // Writes denied: the last mutations ship.
    setBacklogs(replicas, table.appId, [{ 0: [40, 5, 0], 3: [0] }, { 1: [3, 0] }, { 2: [0] }]);
    bench.runner.confirm(runId, { text: table.name });
    await untilLogged(bench.kit, runId, 'wait-shipped', 'mutations not shipped, more than 0');
    run = await bench.settled(runId, 'the switch gate', waitsAt('confirm-switch', 'confirm-text'));
    expect(stepOf(run, 'wait-shipped').outcome!.summary).toContain(
      'all 4 partitions within 0 unshipped mutations (max 0, total 0 not shipped',
    );
    expect(stepOf(run, 'wait-shipped').result).toMatchObject({ totalNotDuplicated: 0, threshold: 0 });
  }, 120_000);

  it('a replica server that times out: data versions still covered, the waits fall back and say why', async () => {
    const cluster = await seed('r3');
    const table = cluster.expected.tables[0]!;
    // Far past the client's 3 s timeout, so a loaded machine cannot make the answer arrive in time.
    const replicas = await startReplicaCluster(table.appId, { delays: [0, 0, 60_000] });
    setBacklogs(replicas, table.appId, [{ 0: [0], 3: [0] }, { 1: [0] }, { 2: [0] }]);
    const slow = replicas.replicas[2]!.address;
    const runId = startRun(cluster, 'r3', [replicas.meta.address]);

    let run = await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
    const versions = stepOf(run, 'precheck-data-version').outcome!.summary;
    expect(versions).toContain('data_version 1 on all 4 partitions');
    expect(versions).toContain(`did not answer: ${slow}: no answer within 3000 ms`);

    await writeDuplication(bench.zk.primary, cluster, 500);
    bench.runner.confirm(runId, {});
    const log = await untilLogged(bench.kit, runId, 'wait-pending', 'trail by more than 100 decrees');
    expect(log).toContain(
      `[replica HTTP not used: replica HTTP covered 3 of 4 partitions (no primary answered for 2); failed: ${slow}: no answer within 3000 ms]`,
    );
    await writeDuplication(bench.zk.primary, cluster, 40);
    run = await bench.settled(runId, 'the deny gate', waitsAt('confirm-deny-writes', 'confirm-text'));
    const pending = stepOf(run, 'wait-pending');
    expect(pending.outcome!.summary, logOf(bench.kit, runId, pending.index)).toContain(
      'all 4 partitions within 100 decrees',
    );
    expect(pending.outcome!.summary).toContain(
      '; ZooKeeper progress nodes [replica HTTP not used: replica HTTP covered 3 of 4 partitions',
    );
    expect(pending.result).toMatchObject({ source: 'ZooKeeper progress nodes' });
    expect(String((pending.result as { replicaHttpSkipped?: unknown }).replicaHttpSkipped)).toContain(
      'covered 3 of 4 partitions',
    );
  }, 120_000);

  it('no replica server reachable: the data version check warns and moves to the manual step with the curl commands', async () => {
    const cluster = await seed('r4');
    const table = cluster.expected.tables[0]!;
    const meta = bench.closeAtEnd(await startMetaHttpFixture({ nodesDetail: metaNodesFor(['127.0.0.1:1']) }));
    const runId = startRun(cluster, 'r4', [meta.address]);
    let run = await bench.settled(
      runId,
      'the data version warning',
      waitsAt('precheck-data-version', 'acknowledge'),
    );
    expect(stepOf(run, 'precheck-data-version').outcome!.status).toBe('warning');
    bench.runner.acknowledge(runId, 'will check by hand');
    run = await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
    const precheck = stepOf(run, 'precheck-data-version');
    expect(precheck.state).toBe('succeeded');
    expect(precheck.outcome!.summary).toContain('Not checked here: none of the 1 replica servers');
    expect(precheck.result).toMatchObject({ checked: false, askByHand: ['127.0.0.1:1'] });
    const [curl] = stepOf(run, 'check-clients').commands;
    expect(curl!.text).toBe(`curl -s "http://127.0.0.1:1/replica/data_version?app_id=${table.appId}"`);
    expect(curl!.label).toContain('not checked automatically: none of the 1 replica servers');
  }, 60_000);
});
