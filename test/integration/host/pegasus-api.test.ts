/**
 * The Pegasus API over the real host (HTTP, token, SQLite) against a cluster seeded into a real
 * ZooKeeper (lock nodes held by live sessions, a MetaProxy root), plus meta HTTP fixtures (a
 * follower that redirects to the leader). Expectations come from the seeder's construction, not
 * from the code under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AppRouter } from '../../../electron/host/router';
import { type RunningHost, startHost } from '../../../electron/host/start-host';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { connectTestZk, seedLiveCluster } from '../../setup/pegasus-live-cluster';
import { apiClient } from '../../setup/host-fixture';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('pegasus-api');
const root = `${base}/pegasus/c1`;
const proxyRoot = `${base}/meta-proxy`;
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-pegasus-api-'));

let host: RunningHost;
let session: ZkSession;
let seeded: SeededCluster;
let leaderHttp: MetaHttpFixture;
let followerHttp: MetaHttpFixture;
let connectionId: string;

function client() {
  return apiClient(host);
}

async function apiError(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

beforeAll(async () => {
  session = await connectTestZk(zk);
  seeded = await seedLiveCluster(session, zk, {
    root,
    seed: 7,
    tables: 6,
    partitions: 8,
    droppedTables: 2,
    metaProxyRoot: proxyRoot,
  });
  leaderHttp = await startMetaHttpFixture({
    cluster: {
      meta_servers: seeded.expected.metaServers.join(','),
      primary_meta_server: seeded.expected.metaLeader ?? '',
      zookeeper_hosts: zk,
      zookeeper_root: root,
      meta_function_level: 'steady',
      balance_operation_count: '{"move_pri":"0","copy_pri":"0","copy_sec":"0","total":"0"}',
      primary_replica_count_stddev: '0.00',
      total_replica_count_stddev: '0.00',
    },
  });
  followerHttp = await startMetaHttpFixture({ role: 'follower', leader: leaderHttp.address });
  host = await startHost({ mode: 'browser', dataDir, port: 0, log: () => {} });
  connectionId = (await client().connections.create.mutate({ name: 'seeded', connectString: zk })).id;
});

afterAll(async () => {
  await host?.stop();
  await leaderHttp?.close();
  await followerHttp?.close();
  await seeded?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pegasus API on a seeded cluster', () => {
  it('detects the cluster root and explains a wrong one', async () => {
    const detection = await client().pegasus.detectRoots.query({ connectionId, startPath: base });
    expect(detection.roots.map((r) => [r.path, r.layout, r.tableCount])).toEqual([[root, 'production', 8]]);
    const wrong = await client().pegasus.validateRoot.query({ connectionId, root: `${root}/apps` });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.suggestions).toEqual([root]);
    expect((await client().pegasus.validateRoot.query({ connectionId, root })).ok).toBe(true);
  });

  it('loads the overview through multiRead, then serves it from the cache until refreshed', async () => {
    const first = await client().pegasus.overview.query({ connectionId, root });
    const expected = seeded.expected;
    expect(first.cached).toBe(false);
    expect(first.source).toMatchObject({ reader: 'multi-read', fallbackReason: null });
    expect(first.source.requests).toBeLessThan(first.source.reads / 4);
    expect(first.metaLeader).toBe(expected.metaLeader);
    expect(first.metaCandidates.map((c) => [c.address, c.leader])).toEqual(
      expected.metaCandidates.map((address, index) => [address, index === 0]),
    );
    expect(first.counts).toMatchObject({ tables: 8, available: 6, dropped: 2 });
    expect(
      first.tables.map((t) => [t.appId, t.name, t.status, t.health.unhealthy, t.splitting, t.duplicating]),
    ).toEqual(
      expected.tables.map((t) => [t.appId, t.name, t.status, t.unhealthy, t.splitting, t.duplicating]),
    );
    expect(
      first.placement.nodes.map((n) => ({
        address: n.address,
        primaries: n.primaries,
        secondaries: n.secondaries,
      })),
    ).toEqual(expected.nodes);
    const unhealthy = expected.tables.find((t) => t.status === 'available' && t.readUnhealthy > 0);
    expect(first.tables.find((t) => t.appId === unhealthy?.appId)?.healthLevel).toBe('read-unhealthy');
    expect(first.tables.filter((t) => t.status === 'dropped').every((t) => t.healthLevel === 'n/a')).toBe(
      true,
    );

    const again = await client().pegasus.overview.query({ connectionId, root });
    expect(again.cached).toBe(true);
    expect(again.loadedAt).toBe(first.loadedAt);
    const refreshed = await client().pegasus.refresh.mutate({ connectionId, root });
    expect(refreshed.cached).toBe(false);
    expect(refreshed.loadedAt).toBeGreaterThan(first.loadedAt);
    expect((await client().pegasus.preferences.query({ connectionId })).lastRoot).toBe(root);
  });

  it('answers a table with every partition (missing split children too) and duplication lag', async () => {
    const split = seeded.expected.tables.find((t) => t.splitting);
    const detail = await client().pegasus.table.query({ connectionId, root, appId: split?.appId ?? -1 });
    expect(detail.partitions).toHaveLength(split?.partitionCount ?? 0);
    expect(detail.partitions.filter((p) => p.health === 'missing')).toHaveLength(
      (split?.partitionCount ?? 0) - (split?.partitionsFound ?? 0),
    );
    expect(detail.partitions[0]?.lastCommittedDecree).toBe(split?.lastCommittedDecrees[0]);

    const duplicated = seeded.expected.tables.find((t) => t.duplications.some((d) => d.status === 'DS_LOG'));
    const dupDetail = await client().pegasus.table.query({
      connectionId,
      root,
      appId: duplicated?.appId ?? -1,
    });
    const dup = dupDetail.duplications.find((d) => d.status === 'DS_LOG');
    const expectedDup = duplicated?.duplications.find((d) => d.status === 'DS_LOG');
    expect(dup?.dupid).toBe(expectedDup?.dupid);
    const progress0 = dup?.progress.find((p) => p.partitionIndex === 0);
    expect(progress0?.confirmedDecree).toBe(expectedDup?.confirmed[0]);
    expect(progress0?.lag).toBe(
      (duplicated?.lastCommittedDecrees[0] ?? 0) - (expectedDup?.confirmed[0] ?? 0),
    );
    // Every third partition has no progress node yet (created lazily): no lag to show.
    expect(dup?.progress.find((p) => p.partitionIndex === 2)?.lag).toBeNull();

    const missing = await apiError(client().pegasus.table.query({ connectionId, root, appId: 999 }));
    expect(missing.data?.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/no table with app id 999/);
  });

  it('lists every duplication of the cluster, legacy DS_START read as removed', async () => {
    const { duplications } = await client().pegasus.duplications.query({ connectionId, root });
    const expected = seeded.expected.tables.flatMap((t) =>
      t.duplications.map((d) => [t.appId, d.dupid, d.status, d.statusRaw, d.remote, d.failMode]),
    );
    expect(duplications.map((d) => [d.appId, d.dupid, d.status, d.statusRaw, d.remote, d.failMode])).toEqual(
      expected,
    );
    expect(duplications.find((d) => d.statusRaw === 'DS_START')?.statusUnknown).toBe(true);
  });

  it('reads MetaProxy routes and flags the entries meta-proxy would reject or crash on', async () => {
    const routes = await client().pegasus.metaProxyRoutes.query({ connectionId, metaProxyRoot: proxyRoot });
    expect(routes.routes.map((r) => [r.table, r.verdict])).toEqual(
      seeded.expected.metaProxy?.routes.map((r) => [r.table, r.verdict]),
    );
    expect(routes.clusters).toEqual([{ clusterName: 'c1', tables: 6 }]);
    const missing = await apiError(
      client().pegasus.metaProxyRoutes.query({ connectionId, metaProxyRoot: `${base}/nowhere` }),
    );
    expect(missing.data?.code).toBe('NOT_FOUND');
  });

  it('puts meta HTTP facts (through a 307 to the leader) next to ZooKeeper facts, with sources and times', async () => {
    const before = Date.now();
    const report = await client().pegasus.metaHttp.query({
      connectionId,
      root,
      metaServers: `${followerHttp.address}`,
    });
    expect(report.cluster.ok && report.cluster.redirects).toEqual([
      `http://${followerHttp.address}/meta/cluster`,
    ]);
    expect(report.cluster.ok && report.cluster.server).toBe(leaderHttp.address);
    const fact = (key: string) => report.facts.find((f) => f.key === key);
    expect(fact('meta-leader')).toMatchObject({
      agree: true,
      zookeeper: { source: 'zookeeper', value: seeded.expected.metaLeader },
      http: { source: 'http', value: seeded.expected.metaLeader },
    });
    expect(fact('meta-leader')?.http?.observedAt).toBeGreaterThanOrEqual(before);
    expect(fact('meta-leader')?.zookeeper?.observedAt).toBe(report.zookeeperLoadedAt);
    expect(fact('zookeeper-root')?.agree).toBe(true);
    expect(fact('function-level')).toMatchObject({ zookeeper: null, http: { value: 'steady' } });
    // The fixture lists 2 apps where ZooKeeper has 6: shown as a disagreement, not hidden.
    expect(fact('available-tables')).toMatchObject({
      agree: false,
      zookeeper: { value: 6 },
      http: { value: 2 },
    });
    expect(report.placementWithLiveness?.liveness).toBe('from-meta');
    expect((await client().pegasus.preferences.query({ connectionId })).metaServers[root]).toBe(
      followerHttp.address,
    );
  });

  it('reports an unreachable meta server per endpoint instead of failing the view', async () => {
    const report = await client().pegasus.metaHttp.query({ connectionId, root, metaServers: '127.0.0.1:1' });
    expect(report.cluster.ok).toBe(false);
    expect(!report.cluster.ok && report.cluster.code).toBe('UNREACHABLE');
    expect(report.facts.find((f) => f.key === 'meta-leader')?.http).toBeNull();
    const invalid = await apiError(
      client().pegasus.metaHttp.query({ connectionId, root, metaServers: 'nope' }),
    );
    expect(invalid.data?.code).toBe('BAD_REQUEST');
    expect(invalid.message).toMatch(/metaServers: meta servers must be host:port/);
  });

  it('exports the overview as CSV and JSON text', async () => {
    const csv = await client().pegasus.exportOverview.mutate({ connectionId, root, format: 'csv' });
    expect(csv.mimeType).toBe('text/csv');
    expect(csv.fileName).toMatch(/^pegasus-c1-overview-\d{8}-\d{6}\.csv$/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^app_id,name,status,health,partition_count,/);
    expect(lines).toHaveLength(1 + 8);
    const json = await client().pegasus.exportOverview.mutate({ connectionId, root, format: 'json' });
    const document = JSON.parse(json.text) as { clusterRoot: string; tables: unknown[]; source: string };
    expect(document).toMatchObject({ clusterRoot: root, source: 'zookeeper' });
    expect(document.tables).toHaveLength(8);
  });

  it('says NOT_FOUND for a root that does not exist', async () => {
    const error = await apiError(client().pegasus.overview.query({ connectionId, root: `${base}/nothing` }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/There is no node at .*nothing/);
  });
});
