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
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import {
  duplicationInfoJson,
  duplicationProgressText,
  metaProxyEntryJson,
} from '../../fixtures/pegasus-cluster/payloads';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connectZk,
  failedAt,
  makePegasusRunbookKit,
  type PegasusRunbookKit,
  seedLiveCluster,
  settled,
  stepOf,
  waitsAt,
} from './pegasus-runbook-kit';

const ZK = inject('zkPrimary');
const base = uniqueTestRoot('hotmig');
const TARGET = 'tjsrv';
const TARGET_METAS = '127.0.0.1:44601,127.0.0.1:44602';
/** The fixture's first dupid when its state holds none (dupid = creation second, reference §1.7). */
const FIRST_DUPID = 1709258400;

let zk: ZkSession;
let kit: PegasusRunbookKit;
let zkId = '';
let meta: MetaHttpFixture | undefined;
const seeded: SeededCluster[] = [];

async function seed(name: string): Promise<SeededCluster> {
  const cluster = await seedLiveCluster(zk, ZK, {
    root: `${base}/${name}/cluster`,
    clusterName: 'onebox',
    seed: 7,
    tables: 2,
    partitions: 4,
    droppedTables: 0,
    duplicatedTables: 0,
    unhealthyTables: 0,
    splitTables: 0,
    bulkLoadTables: 0,
    backupPolicies: 0,
    metaServers: 2,
    payloadVersion: '2.6',
    metaProxyRoot: `${base}/${name}/proxy`,
  });
  seeded.push(cluster);
  return cluster;
}

function shellTables(cluster: SeededCluster) {
  return cluster.expected.tables.map((table) => ({
    appId: table.appId,
    name: table.name,
    partitionCount: table.partitionCount,
    replicaCount: table.maxReplicaCount,
    status: 'AVAILABLE',
    envs: {},
    createSecond: 1709287200,
  }));
}

/** What the meta and the replicas write for a duplication in DS_LOG: the node and each partition's confirmed decree. */
async function writeDuplication(cluster: SeededCluster, tableIndex: number, lagPerPartition: number) {
  const table = cluster.expected.tables[tableIndex]!;
  const dupDir = `${cluster.root}/apps/${table.appId}/duplication`;
  const dupPath = `${dupDir}/${FIRST_DUPID}`;
  await zk.create(dupDir, Buffer.alloc(0)).catch((error: { code?: string }) => {
    if (error.code !== 'NODE_EXISTS') throw error;
  });
  const info = Buffer.from(
    duplicationInfoJson({ remote: TARGET, status: 'DS_LOG', createTimestampMs: FIRST_DUPID * 1000 }),
  );
  await zk.create(dupPath, info).catch(async (error: { code?: string }) => {
    if (error.code !== 'NODE_EXISTS') throw error;
  });
  for (const [index, lcd] of Object.entries(table.lastCommittedDecrees)) {
    const data = Buffer.from(duplicationProgressText(lcd - lagPerPartition));
    await zk.create(`${dupPath}/${index}`, data).catch(async (error: { code?: string }) => {
      if (error.code !== 'NODE_EXISTS') throw error;
      await zk.setData(`${dupPath}/${index}`, data, -1);
    });
  }
}

function logOf(runId: string, index: number): string {
  return kit.runner
    .output(runId, { index, limit: 5000 })
    .lines.map((line) => line.line)
    .join('\n');
}

/** Polls (bounded) until the run's step `id` logged `text`: the wait step is waiting on it. */
async function untilLogged(runId: string, id: string, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const run = kit.runner.get(runId);
    const step = stepOf(run, id);
    if (logOf(runId, step.index).includes(text)) return;
    if (run.state === 'failed')
      throw new Error(`run failed while waiting for '${text}' in ${id}: ${run.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`step ${id} did not log '${text}' within 60 s`);
}

async function rollbackSettled(runId: string, count: number): Promise<RunView> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const run = kit.runner.get(runId);
    if (run.rollbacks.length >= count && run.rollbacks[count - 1]!.state !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`rollback ${count} of run ${runId} did not finish within 60 s`);
}

function fixtureEnvs(tableName: string): Record<string, string> {
  const state = JSON.parse(readFileSync(join(kit.tools.dir, 'state.json'), 'utf8')) as {
    tables: { name: string; envs: Record<string, string> }[];
  };
  return state.tables.find((table) => table.name === tableName)?.envs ?? {};
}

function profileFor(cluster: SeededCluster, name: string, metaServers: string[] = []): string {
  return kit.addProfile({
    name,
    connectionId: zkId,
    clusterRoot: cluster.root,
    metaServers,
    shell: true,
  });
}

beforeAll(async () => {
  zk = await connectZk(ZK);
  kit = makePegasusRunbookKit();
  zkId = kit.addConnection('zk', ZK, { readWrite: true });
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(seeded.map((cluster) => cluster.close()));
  await meta?.close();
  await kit?.close();
  await removeTree(zk, base).catch(() => undefined);
  await zk?.close();
}, 120_000);

describe('table-hot-migration through the runner', () => {
  it('duplicates, waits for the lag, denies writes, switches MetaProxy with a record, and rolls back byte for byte', async () => {
    const cluster = await seed('c1');
    const table = cluster.expected.tables[0]!;
    const proxyPath = `${base}/c1/proxy/${table.name}`;
    const before = await zk.getData(proxyPath);
    kit.setScenario({ tables: shellTables(cluster) });
    const profile = profileFor(cluster, 'hot-c1');
    const created = kit.runner.create('table-hot-migration', {
      profile,
      table: table.name,
      targetCluster: TARGET,
      targetMetas: TARGET_METAS,
      metaProxy: zkId,
      // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
      waitMinutes: '1',
      metaProxyRoot: `${base}/c1/proxy`,
      pendingThreshold: '100',
    });
    kit.runner.start(created.id);

    // No replica server is known to this profile: the data version check warns instead of passing.
    let run = await settled(
      kit.runner,
      created.id,
      'the data version warning',
      waitsAt('precheck-data-version', 'acknowledge'),
    );
    expect(stepOf(run, 'precheck-data-version').outcome).toMatchObject({
      status: 'warning',
      summary: expect.stringContaining('Not checked here'),
    });
    kit.runner.acknowledge(created.id, 'will check by hand');
    run = await settled(kit.runner, created.id, 'the clients check', waitsAt('check-clients'));
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
    await writeDuplication(cluster, 0, 500);
    kit.runner.confirm(created.id, { note: 'Java clients only, data_version 1 everywhere' });
    await untilLogged(created.id, 'wait-pending', 'trail by more than 100 decrees');
    run = kit.runner.get(created.id);
    expect(stepOf(run, 'dup-add').result).toMatchObject({ dupid: FIRST_DUPID, reused: false });
    expect(logOf(created.id, stepOf(run, 'dup-add').index)).toContain(`add_dup ${table.name} ${TARGET} -s`);

    await writeDuplication(cluster, 0, 40);
    run = await settled(
      kit.runner,
      created.id,
      'the deny gate',
      waitsAt('confirm-deny-writes', 'confirm-text'),
    );
    expect(stepOf(run, 'wait-pending').outcome!.summary).toContain('all 4 partitions within 100 decrees');
    expect(() => kit.runner.confirm(created.id, { text: 'yes' })).toThrow(/type exactly/);
    kit.runner.confirm(created.id, { text: table.name });

    await untilLogged(created.id, 'wait-shipped', 'trail by more than 0 decrees');
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('timeout*write');
    await writeDuplication(cluster, 0, 0);
    run = await settled(kit.runner, created.id, 'the switch gate', waitsAt('confirm-switch', 'confirm-text'));
    expect(run.rollback?.label).toBe('Route the table back to the source and allow writes there again');
    kit.runner.confirm(created.id, { text: TARGET });

    run = await settled(kit.runner, created.id, 'the verification', waitsAt('verify-cutover'));
    const after = await zk.getData(proxyPath);
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
    const audit = kit.store.events.list({ actionPrefix: 'metaproxy.' }).map((event) => event.action);
    expect(audit).toContain('metaproxy.switched');
    const envEvents = kit.store.events.list({ actionPrefix: 'pegasus.' }).map((event) => event.action);
    expect(envEvents).toEqual(expect.arrayContaining(['pegasus.dup-added', 'pegasus.table-env-set']));

    // Clients fail on the target: back to the source.
    kit.runner.rollback(created.id);
    run = await rollbackSettled(created.id, 1);
    expect(run.rollbacks[0]).toMatchObject({ state: 'succeeded' });
    expect(run.rollbacks[0]!.summary).toContain('writes are accepted again');
    const restored = await zk.getData(proxyPath);
    expect(restored.data.equals(before.data)).toBe(true);
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBeUndefined();
    expect(kit.store.events.list({ actionPrefix: 'metaproxy.' }).map((event) => event.action)).toContain(
      'metaproxy.rolled-back',
    );
  }, 180_000);

  it('refuses the switch when someone changed the entry, keeps writes denied until the route is the source again', async () => {
    const cluster = await seed('c2');
    const table = cluster.expected.tables[1]!;
    const proxyPath = `${base}/c2/proxy/${table.name}`;
    const sourceValue = (await zk.getData(proxyPath)).data;
    kit.setScenario({ tables: shellTables(cluster) });
    // The live figures (2.6+ partition_states) say every mutation is confirmed, while ZooKeeper's
    // throttled progress nodes still trail: the wait goes by the live ones.
    const partitionStates = Object.fromEntries(
      Object.entries(table.lastCommittedDecrees).map(([index, lcd]) => [
        index,
        { confirmed_decree: lcd + 50, last_committed_decree: lcd + 50 },
      ]),
    );
    meta = await startMetaHttpFixture({
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
    });
    const created = kit.runner.create('table-hot-migration', {
      profile: profileFor(cluster, 'hot-c2', [meta.address]),
      table: table.name,
      targetCluster: TARGET,
      targetMetas: TARGET_METAS,
      sourceCluster: 'onebox',
      metaProxy: zkId,
      // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
      waitMinutes: '1',
      metaProxyRoot: `${base}/c2/proxy`,
    });
    kit.runner.start(created.id);
    await settled(kit.runner, created.id, 'the data version warning', waitsAt('precheck-data-version'));
    kit.runner.acknowledge(created.id, 'will check by hand');
    await settled(kit.runner, created.id, 'the clients check', waitsAt('check-clients'));
    await writeDuplication(cluster, 1, 700);
    kit.runner.confirm(created.id, {});
    await settled(kit.runner, created.id, 'the deny gate', waitsAt('confirm-deny-writes'));
    kit.runner.confirm(created.id, { text: table.name });
    let run = await settled(kit.runner, created.id, 'the switch gate', waitsAt('confirm-switch'));
    expect(stepOf(run, 'wait-shipped').outcome!.summary).toBe(
      `all 4 partitions within 0 decrees (max 0, total 0; live, meta HTTP ${meta.address})`,
    );

    // A colleague points the table elsewhere meanwhile.
    const theirs = Buffer.from(metaProxyEntryJson('c9srv', ['10.9.0.1:34601', '10.9.0.2:34601']));
    await zk.setData(proxyPath, theirs, -1);
    kit.runner.confirm(created.id, { text: TARGET });
    run = await settled(kit.runner, created.id, 'the refused switch', failedAt('switch-metaproxy'));
    const refused = stepOf(run, 'switch-metaproxy').outcome!;
    expect(refused.summary).toContain("not to 'onebox' as expected");
    expect(refused.summary).toContain('Nothing was written');
    expect((await zk.getData(proxyPath)).data.equals(theirs)).toBe(true);
    expect(run.rollback).not.toBeNull();
    expect(
      kit.store.events
        .list({ actionPrefix: 'metaproxy.' })
        .some((event) => event.action === 'metaproxy.switch-refused'),
    ).toBe(true);

    // The route is not ours to restore: writes stay denied.
    kit.runner.rollback(created.id);
    run = await rollbackSettled(created.id, 1);
    expect(run.rollbacks[0]).toMatchObject({ state: 'failed' });
    expect(run.rollbacks[0]!.summary).toContain('writes on the source stay denied');
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('timeout*write');

    // The colleague puts the source route back: now the rollback clears the deny env.
    await zk.setData(proxyPath, sourceValue, -1);
    kit.runner.rollback(created.id);
    run = await rollbackSettled(created.id, 2);
    expect(run.rollbacks[1]).toMatchObject({ state: 'succeeded' });
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBeUndefined();
    expect((await zk.getData(proxyPath)).data.equals(sourceValue)).toBe(true);
  }, 180_000);

  it('stops at the precheck when the table does not exist, naming the tables there are', async () => {
    const cluster = await seed('c3');
    kit.setScenario({ tables: shellTables(cluster) });
    const created = kit.runner.create('table-hot-migration', {
      profile: profileFor(cluster, 'hot-c3'),
      table: 'no_such_table',
      targetCluster: TARGET,
      targetMetas: TARGET_METAS,
      metaProxy: zkId,
      // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
      waitMinutes: '1',
      metaProxyRoot: `${base}/c3/proxy`,
    });
    kit.runner.start(created.id);
    const run = await settled(kit.runner, created.id, 'the failed precheck', failedAt('precheck-source'));
    const outcome = stepOf(run, 'precheck-source').outcome!;
    expect(outcome.summary).toContain("There is no table 'no_such_table'");
    expect(outcome.summary).toContain(cluster.expected.tables[0]!.name);
  }, 60_000);
});
