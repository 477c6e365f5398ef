/**
 * Runbook `table-hot-migration` end to end through the Runner (issue 7 item 4): the source cluster
 * and its MetaProxy root are seeded on the primary ZooKeeper; the duplication node and its progress
 * nodes are written there as the meta and replicas would (lagging, then catching up); the Pegasus side
 * is the shell fixture (query_dup, add_dup, set_app_envs, del_app_envs). Faults: the MetaProxy entry
 * changed by someone else before the switch (refused, nothing written, rollback offered and refusing
 * to clear the deny env while the route is not ours), a table that does not exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import { startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import { metaProxyEntryJson } from '../../fixtures/pegasus-cluster/payloads';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import {
  FIRST_DUPID,
  HOT_TARGET as TARGET,
  HOT_TARGET_METAS as TARGET_METAS,
  writeDuplication,
} from '../../setup/pegasus-live-cluster';
import { scenarioTables } from '../../setup/pegasus-shell-kit';
import {
  logOf,
  registerHotMigrationBench,
  seedHotCluster,
  startHotRun,
  untilLogged,
} from './hot-migration-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';

const bench = registerHotMigrationBench('hotmig', inject('zkPrimary'));

function seed(name: string): Promise<SeededCluster> {
  return seedHotCluster(bench, name, { seed: 7, tables: 2 });
}

function shellTables(cluster: SeededCluster) {
  return scenarioTables(cluster.expected.tables);
}

async function rollbackSettled(runId: string, count: number): Promise<RunView> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const run = bench.runner.get(runId);
    if (run.rollbacks.length >= count && run.rollbacks[count - 1]!.state !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`rollback ${count} of run ${runId} did not finish within 60 s`);
}

function fixtureEnvs(tableName: string): Record<string, string> {
  const state = JSON.parse(readFileSync(join(bench.kit.tools.dir, 'state.json'), 'utf8')) as {
    tables: { name: string; envs: Record<string, string> }[];
  };
  return state.tables.find((table) => table.name === tableName)?.envs ?? {};
}

describe('table-hot-migration through the runner', () => {
  it('duplicates, waits for the lag, denies writes, switches MetaProxy with a record, and rolls back byte for byte', async () => {
    const cluster = await seed('c1');
    const table = cluster.expected.tables[0]!;
    const proxyPath = `${bench.base}/c1/proxy/${table.name}`;
    const before = await bench.zk.primary.getData(proxyPath);
    bench.kit.setScenario({ tables: shellTables(cluster) });
    const runId = startHotRun(bench, { cluster, name: 'c1', params: { pendingThreshold: '100' } });

    // No replica server is known to this profile: the data version check warns instead of passing.
    let run = await bench.settled(
      runId,
      'the data version warning',
      waitsAt('precheck-data-version', 'acknowledge'),
    );
    expect(stepOf(run, 'precheck-data-version').outcome).toMatchObject({
      status: 'warning',
      summary: expect.stringContaining('Not checked here'),
    });
    bench.runner.acknowledge(runId, 'will check by hand');
    run = await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
    expect(stepOf(run, 'precheck-source').outcome!.summary).toContain(
      `${table.name} is app ${table.appId} with 4 partitions: 4/4 partitions fully healthy`,
    );
    expect(stepOf(run, 'precheck-target-config').outcome!.summary).toContain(
      `${TARGET} is listed in [pegasus.clusters]`,
    );
    expect(stepOf(run, 'precheck-metaproxy').result).toMatchObject({
      path: proxyPath,
      clusterName: 'onebox',
      sourceCluster: 'onebox',
      sourceClusterFrom: 'cluster_info',
    });
    expect(stepOf(run, 'check-clients').commands[0]!.text).toContain(
      `/replica/data_version?app_id=${table.appId}`,
    );

    // The meta creates the duplication and the replicas confirm decrees: 500 behind, over the threshold.
    await writeDuplication(bench.zk.primary, cluster, 500);
    bench.runner.confirm(runId, { note: 'Java clients only, data_version 1 everywhere' });
    await untilLogged(bench.kit, runId, 'wait-pending', 'trail by more than 100 decrees');
    run = bench.runner.get(runId);
    expect(stepOf(run, 'dup-add').result).toMatchObject({ dupid: FIRST_DUPID, reused: false });
    expect(logOf(bench.kit, runId, stepOf(run, 'dup-add').index)).toContain(
      `add_dup ${table.name} ${TARGET} -s`,
    );

    await writeDuplication(bench.zk.primary, cluster, 40);
    run = await bench.settled(runId, 'the deny gate', waitsAt('confirm-deny-writes', 'confirm-text'));
    expect(stepOf(run, 'wait-pending').outcome!.summary).toContain('all 4 partitions within 100 decrees');
    expect(() => bench.runner.confirm(runId, { text: 'yes' })).toThrow(/type exactly/);
    bench.runner.confirm(runId, { text: table.name });

    await untilLogged(bench.kit, runId, 'wait-shipped', 'trail by more than 0 decrees');
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('timeout*write');
    await writeDuplication(bench.zk.primary, cluster, 0);
    run = await bench.settled(runId, 'the switch gate', waitsAt('confirm-switch', 'confirm-text'));
    expect(run.rollback?.label).toBe('Route the table back to the source and allow writes there again');
    bench.runner.confirm(runId, { text: TARGET });

    run = await bench.settled(runId, 'the verification', waitsAt('verify-cutover'));
    const after = await bench.zk.primary.getData(proxyPath);
    expect(after.data.toString()).toBe(metaProxyEntryJson(TARGET, TARGET_METAS.split(',')));
    expect(after.stat.version).toBe(before.stat.version + 1);
    const switched = stepOf(run, 'switch-metaproxy').result as {
      rollback: { previous: { base64: string; version: number }; written: { version: number } };
    };
    expect(Buffer.from(switched.rollback.previous.base64, 'base64').equals(before.data)).toBe(true);
    expect(switched.rollback.written.version).toBe(after.stat.version);
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('reconfig*all');
    const verify = stepOf(run, 'verify-cutover')
      .commands.map((command) => command.text)
      .join('\n');
    expect(verify).toContain('dup.disabled_non_idempotent_write_count = 0');
    const audit = bench.kit.store.events.list({ actionPrefix: 'metaproxy.' }).map((event) => event.action);
    expect(audit).toContain('metaproxy.switched');
    const envEvents = bench.kit.store.events.list({ actionPrefix: 'pegasus.' }).map((event) => event.action);
    expect(envEvents).toEqual(expect.arrayContaining(['pegasus.dup-added', 'pegasus.table-env-set']));

    // Clients fail on the target: back to the source.
    bench.runner.rollback(runId);
    run = await rollbackSettled(runId, 1);
    expect(run.rollbacks[0]).toMatchObject({ state: 'succeeded' });
    expect(run.rollbacks[0]!.summary).toContain('writes are accepted again');
    const restored = await bench.zk.primary.getData(proxyPath);
    expect(restored.data.equals(before.data)).toBe(true);
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBeUndefined();
    expect(
      bench.kit.store.events.list({ actionPrefix: 'metaproxy.' }).map((event) => event.action),
    ).toContain('metaproxy.rolled-back');
  }, 180_000);

  it('refuses the switch when someone changed the entry, keeps writes denied until the route is the source again', async () => {
    const cluster = await seed('c2');
    const table = cluster.expected.tables[1]!;
    const proxyPath = `${bench.base}/c2/proxy/${table.name}`;
    const sourceValue = (await bench.zk.primary.getData(proxyPath)).data;
    bench.kit.setScenario({ tables: shellTables(cluster) });
    // The live figures (2.6+ partition_states) say every mutation is confirmed, while ZooKeeper's
    // throttled progress nodes still trail: the wait goes by the live ones.
    const partitionStates = Object.fromEntries(
      Object.entries(table.lastCommittedDecrees).map(([index, lcd]) => [
        index,
        { confirmed_decree: lcd + 50, last_committed_decree: lcd + 50 },
      ]),
    );
    const meta = bench.closeAtEnd(
      await startMetaHttpFixture({
        duplications: {
          [table.name]: {
            [String(FIRST_DUPID)]: {
              create_ts: '2024-03-01 10:00:00',
              dupid: FIRST_DUPID,
              fail_mode: 'FAIL_SLOW',
              partition_states: partitionStates,
              remote: TARGET,
              status: 'DS_LOG',
            },
            appid: table.appId,
          },
        },
      }),
    );
    const runId = startHotRun(bench, {
      cluster,
      name: 'c2',
      metaServers: [meta.address],
      table: table.name,
      params: { sourceCluster: 'onebox' },
    });
    await bench.settled(runId, 'the data version warning', waitsAt('precheck-data-version'));
    bench.runner.acknowledge(runId, 'will check by hand');
    await bench.settled(runId, 'the clients check', waitsAt('check-clients'));
    await writeDuplication(bench.zk.primary, cluster, 700, 1);
    bench.runner.confirm(runId, {});
    await bench.settled(runId, 'the deny gate', waitsAt('confirm-deny-writes'));
    bench.runner.confirm(runId, { text: table.name });
    let run = await bench.settled(runId, 'the switch gate', waitsAt('confirm-switch'));
    expect(stepOf(run, 'wait-shipped').outcome!.summary).toBe(
      `all 4 partitions within 0 decrees (max 0, total 0; live, meta HTTP ${meta.address})`,
    );

    // A colleague points the table elsewhere meanwhile.
    const theirs = Buffer.from(metaProxyEntryJson('c9srv', ['10.9.0.1:34601', '10.9.0.2:34601']));
    await bench.zk.primary.setData(proxyPath, theirs, -1);
    bench.runner.confirm(runId, { text: TARGET });
    run = await bench.settled(runId, 'the refused switch', failedAt('switch-metaproxy'));
    const refused = stepOf(run, 'switch-metaproxy').outcome!;
    expect(refused.summary).toContain("not to 'onebox' as expected");
    expect(refused.summary).toContain('Nothing was written');
    expect((await bench.zk.primary.getData(proxyPath)).data.equals(theirs)).toBe(true);
    expect(run.rollback).not.toBeNull();
    expect(
      bench.kit.store.events
        .list({ actionPrefix: 'metaproxy.' })
        .some((event) => event.action === 'metaproxy.switch-refused'),
    ).toBe(true);

    // The route is not ours to restore: writes stay denied.
    bench.runner.rollback(runId);
    run = await rollbackSettled(runId, 1);
    expect(run.rollbacks[0]).toMatchObject({ state: 'failed' });
    expect(run.rollbacks[0]!.summary).toContain('writes on the source stay denied');
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('timeout*write');

    // The colleague puts the source route back: now the rollback clears the deny env.
    await bench.zk.primary.setData(proxyPath, sourceValue, -1);
    bench.runner.rollback(runId);
    run = await rollbackSettled(runId, 2);
    expect(run.rollbacks[1]).toMatchObject({ state: 'succeeded' });
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBeUndefined();
    expect((await bench.zk.primary.getData(proxyPath)).data.equals(sourceValue)).toBe(true);
  }, 180_000);

  it('stops at the precheck when the table does not exist, naming the tables there are', async () => {
    const cluster = await seed('c3');
    bench.kit.setScenario({ tables: shellTables(cluster) });
    const runId = startHotRun(bench, { cluster, name: 'c3', table: 'no_such_table' });
    const run = await bench.settled(runId, 'the failed precheck', failedAt('precheck-source'));
    const outcome = stepOf(run, 'precheck-source').outcome!;
    expect(outcome.summary).toContain("There is no table 'no_such_table'");
    expect(outcome.summary).toContain(cluster.expected.tables[0]!.name);
  }, 60_000);
});
