/**
 * Runbook `table-hot-migration`, its last step (issue 7 item 4): the cut-over is verified from the
 * replica servers' request counters (`/metrics`, 2.5+) of both clusters. The source cluster and its
 * MetaProxy root are seeded on the primary ZooKeeper; the source's meta HTTP fixture lists replica
 * HTTP fixtures that serve data versions, duplication backlogs (all shipped) and scriptable counters;
 * the target's meta HTTP fixture lists its own replica fixtures and the table's app id there. Cases,
 * in one run by retrying the step: the source still taking writes (fails naming the table and the
 * server), non-idempotent writes refused by the duplication (fails with why), traffic moved
 * (verified, with the figures). Then a run whose servers have no `/metrics`: the manual checklist.
 */
import { describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import { type MetaHttpFixture, metaAppInfo, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import {
  type FixtureReplicaMetrics,
  metaNodesFor,
  type ReplicaHttpFixture,
  startReplicaHttpFixture,
} from '../../fixtures/replica-http-fixture';
import { FIRST_DUPID, HOT_TARGET as TARGET, writeDuplication } from '../../setup/pegasus-live-cluster';
import { registerHotMigrationBench, seedHotCluster, startHotRun } from './hot-migration-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';

/** The table's app id on the target cluster (another cluster: another id). */
const TARGET_APP_ID = 42;
const DUP_REJECTED = 'dup_rejected_non_idempotent_write_requests';

const bench = registerHotMigrationBench('hotver', inject('zkPrimary'));

function seed(name: string): Promise<SeededCluster> {
  return seedHotCluster(bench, name, { seed: 13, tables: 1 }, { asScenario: true });
}

/** Counters of replica `pidx` of `appId`: running totals, growing by `perGet` at each /metrics GET. */
function replicaCounters(
  appId: number,
  pidx: number,
  perGet: Record<string, number> = {},
  totals: Record<string, number> = {},
): FixtureReplicaMetrics {
  return {
    appId,
    pidx,
    totals: { get_requests: 5000, put_requests: 3000, incr_requests: 0, [DUP_REJECTED]: 0, ...totals },
    perGet,
  };
}

interface Clusters {
  sourceMeta: MetaHttpFixture;
  source: ReplicaHttpFixture[];
  targetMeta: MetaHttpFixture;
  target: ReplicaHttpFixture[];
}

/** Two source replica servers (partitions 0,1 and 2,3; all shipped) and two target ones. */
async function startClusters(
  appId: number,
  tableName: string,
  options: { withMetrics: boolean; targetTableName?: string },
): Promise<Clusters> {
  const source: ReplicaHttpFixture[] = [];
  for (const pidxs of [
    [0, 1],
    [2, 3],
  ]) {
    const replica = await startReplicaHttpFixture({
      dataVersions: { [appId]: Object.fromEntries(pidxs.map((pidx) => [pidx, 1])) },
      primaries: [
        {
          appId,
          dupid: FIRST_DUPID,
          backlog: Object.fromEntries(pidxs.map((pidx) => [pidx, [0]])),
        },
      ],
      ...(options.withMetrics ? { metrics: pidxs.map((pidx) => replicaCounters(appId, pidx)) } : {}),
    });
    source.push(bench.closeAtEnd(replica));
  }
  const target: ReplicaHttpFixture[] = [];
  for (let i = 0; i < 2; i += 1) {
    const replica = await startReplicaHttpFixture(
      options.withMetrics
        ? { metrics: [replicaCounters(TARGET_APP_ID, i, { get_requests: 40, put_requests: 10 })] }
        : {},
    );
    target.push(bench.closeAtEnd(replica));
  }
  const sourceMeta = await startMetaHttpFixture({ nodesDetail: metaNodesFor(source.map((r) => r.address)) });
  const targetMeta = await startMetaHttpFixture({
    nodesDetail: metaNodesFor(target.map((r) => r.address)),
    apps: {
      general_info: {
        [String(TARGET_APP_ID)]: metaAppInfo({
          appId: TARGET_APP_ID,
          name: options.targetTableName ?? tableName,
          partitionCount: 8,
        }),
      },
      summary: { total_app_count: '1' },
    },
  });
  bench.closeAtEnd(sourceMeta);
  bench.closeAtEnd(targetMeta);
  return { sourceMeta, source, targetMeta, target };
}

/** Drives a run through the prechecks, the waits and the switch, to the verification's outcome. */
async function runToVerify(cluster: SeededCluster, name: string, clusters: Clusters): Promise<string> {
  const table = cluster.expected.tables[0]!;
  const runId = startHotRun(bench, {
    cluster,
    name,
    metaServers: [clusters.sourceMeta.address],
    params: {
      // meta-proxy wants two metas; the first answers, so the second is never asked.
      targetMetas: `${clusters.targetMeta.address},127.0.0.1:1`,
      sourceCluster: 'onebox',
      pendingThreshold: '100',
      verifySeconds: '1',
    },
  });
  await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
  // Every partition confirmed up to its last decree: both waits pass at once.
  await writeDuplication(bench.zk.primary, cluster, 0);
  bench.runner.confirm(runId, { note: 'Java clients only' });
  await bench.settled(runId, 'the deny gate', waitsAt('confirm-deny-writes', 'confirm-text'));
  bench.runner.confirm(runId, { text: table.name });
  await bench.settled(runId, 'the switch gate', waitsAt('confirm-switch', 'confirm-text'));
  bench.runner.confirm(runId, { text: TARGET });
  return runId;
}

describe('table-hot-migration: verifying the cut-over from the replica metrics', () => {
  it('fails while the source takes writes, fails on refused non-idempotent writes, then verifies with the figures', async () => {
    const cluster = await seed('v1');
    const table = cluster.expected.tables[0]!;
    const clusters = await startClusters(table.appId, table.name, { withMetrics: true });
    const busy = clusters.source[1]!;
    // A client that bypasses MetaProxy still writes partition 2 on the source.
    busy.setMetrics([replicaCounters(table.appId, 2, { put_requests: 25 }), replicaCounters(table.appId, 3)]);
    const runId = await runToVerify(cluster, 'v1', clusters);

    let run = await bench.settled(runId, 'the failed verification', failedAt('verify-cutover'));
    let outcome = stepOf(run, 'verify-cutover').outcome!;
    expect(outcome.summary).toContain(`the source still serves ${table.name} (app ${table.appId})`);
    expect(outcome.summary).toMatch(new RegExp(`${busy.address}: 0/s reads, \\d+(\\.\\d)?/s writes`));
    expect(outcome.summary).not.toContain(clusters.source[0]!.address);
    expect(outcome.hint).toContain('Clients still reach the source');
    expect(busy.requests.filter((line) => line.startsWith('GET /metrics?'))).toHaveLength(2);
    expect(clusters.target[0]!.requests).toContain(
      `GET /metrics?types=replica&attributes=table_id,${TARGET_APP_ID}&metrics=get_requests,multi_get_requests,batch_get_requests,scan_requests,put_requests,multi_put_requests,remove_requests,multi_remove_requests,incr_requests,check_and_set_requests,check_and_mutate_requests,dup_requests,${DUP_REJECTED}`,
    );

    // The client moves; but incr writes were refused while the table duplicated.
    busy.setMetrics([
      replicaCounters(table.appId, 2, {}, { [DUP_REJECTED]: 7 }),
      replicaCounters(table.appId, 3),
    ]);
    bench.runner.retry(runId);
    run = await bench.settled(runId, 'the second failed verification', failedAt('verify-cutover'));
    outcome = stepOf(run, 'verify-cutover').outcome!;
    expect(outcome.summary).toContain(
      `the source refused 7 non-idempotent writes of ${table.name} while it duplicated (${DUP_REJECTED}: ${busy.address}: 7`,
    );
    expect(outcome.summary).not.toContain('still serves');
    expect(outcome.hint).toContain(
      'refuses incr, check_and_set and check_and_mutate with ERR_OPERATION_DISABLED',
    );
    expect(outcome.hint).toContain('exist on neither cluster');

    // Clean counters: the traffic moved.
    busy.setMetrics([replicaCounters(table.appId, 2), replicaCounters(table.appId, 3)]);
    bench.runner.retry(runId);
    run = await bench.settled(runId, 'the verified cut-over', (view: RunView) => view.state === 'completed');
    const verified = stepOf(run, 'verify-cutover');
    expect(verified.state).toBe('succeeded');
    expect(verified.outcome!.summary).toMatch(
      /^Traffic moved: source 0\/s reads, 0\/s writes \(4 replicas on 2 servers\), target \d+(\.\d)?\/s reads, \d+(\.\d)?\/s writes \(2 replicas on 2 servers\), 0 non-idempotent writes refused over 1 s; /,
    );
    expect(verified.outcome!.summary).toContain(`/proxy/${table.name} routes to`);
    expect(verified.outcome!.summary).toContain('check them on the client dashboards');
    const result = verified.result as {
      checked: boolean;
      source: { readQps: number; writeQps: number; dupRejected: number; from: string };
      target: { appId: number; readQps: number; writeQps: number };
    };
    expect(result.checked).toBe(true);
    expect(result.source).toMatchObject({ readQps: 0, writeQps: 0, dupRejected: 0 });
    expect(result.source.from).toBe(`/meta/nodes of ${clusters.sourceMeta.address}`);
    expect(result.target.appId).toBe(TARGET_APP_ID);
    expect(result.target.readQps).toBeGreaterThan(0);
    // 40 reads and 10 writes per GET on each target replica.
    expect(result.target.readQps / result.target.writeQps).toBeCloseTo(4, 5);
  }, 180_000);

  it('servers without /metrics: the checklist by hand, saying why, after the MetaProxy entry is read again', async () => {
    const cluster = await seed('v2');
    const table = cluster.expected.tables[0]!;
    const clusters = await startClusters(table.appId, table.name, { withMetrics: false });
    const runId = await runToVerify(cluster, 'v2', clusters);
    let run = await bench.settled(runId, 'the manual verification', waitsAt('verify-cutover', 'confirm'));
    const step = stepOf(run, 'verify-cutover');
    expect(step.outcome!.status).toBe('manual');
    expect(step.outcome!.summary).toContain(`/proxy/${table.name} routes to`);
    expect(step.outcome!.summary).toContain(
      'the traffic cannot be checked here: no source replica server gave its /metrics',
    );
    expect(step.outcome!.summary).toContain(`${clusters.source[0]!.address}: no /metrics (404`);
    const commands = step.commands.map((command) => command.text).join('\n');
    expect(commands).toContain('dup.disabled_non_idempotent_write_count = 0');
    expect(commands).toContain(
      // The first of the servers /meta/nodes lists (sorted by address).
      `curl -s "http://${clusters.source.map((r) => r.address).sort()[0]}/metrics?types=replica&attributes=table_id,${table.appId}&metrics=get_requests,`,
    );
    bench.runner.confirm(runId, { note: 'dashboards: source 0, target up' });
    run = await bench.settled(runId, 'the confirmed run', (view: RunView) => view.state === 'completed');
    expect(stepOf(run, 'verify-cutover').state).toBe('succeeded');
  }, 180_000);

  it('the target cannot be read: the source figures pass, and a warning says what was not checked', async () => {
    const cluster = await seed('v3');
    const table = cluster.expected.tables[0]!;
    const clusters = await startClusters(table.appId, table.name, {
      withMetrics: true,
      targetTableName: 'another_table',
    });
    const runId = await runToVerify(cluster, 'v3', clusters);
    const run = await bench.settled(
      runId,
      'the verification warning',
      waitsAt('verify-cutover', 'acknowledge'),
    );
    const outcome = stepOf(run, 'verify-cutover').outcome!;
    expect(outcome.status).toBe('warning');
    expect(outcome.summary).toContain(
      'Traffic left the source (source 0/s reads, 0/s writes (4 replicas on 2 servers), target not read',
    );
    expect(outcome.summary).toContain(
      `the target's QPS was not read: the target's /meta/apps (${clusters.targetMeta.address}) lists no table ${table.name}`,
    );
    expect(clusters.target[0]!.requests).toEqual([]);
  }, 180_000);
});
