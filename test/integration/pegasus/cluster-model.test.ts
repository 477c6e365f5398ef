/**
 * The Pegasus model against a real ZooKeeper: seed a cluster through ZkSession (lock nodes held by
 * live EPHEMERAL_SEQUENTIAL nodes of their own sessions), then detect and load it through the same
 * session type the app uses.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { detectClusterRoots, validateClusterRoot } from '../../../electron/pegasus/cluster-detection';
import { loadClusterModel, summarizeCluster } from '../../../electron/pegasus/cluster-model';
import { loadMetaProxyRoutes } from '../../../electron/pegasus/meta-proxy-routes';
import type { ZkReader } from '../../../electron/pegasus/zk-reader';
import { ZkSession } from '../../../electron/zk/zk-session';
import { type SeededCluster, seedCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { HEALTH_FACTS, healthFacts } from '../../setup/table-health-facts';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';

const connectString = inject('zkPrimary');
const base = uniqueTestRoot('pegasus-model');
const connect = () => ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });

let session: ZkSession;
let production: SeededCluster;
let onebox: SeededCluster;

beforeAll(async () => {
  session = await connect();
  const openLockSession = async () => {
    const holder = await connect();
    return { writer: holder, close: () => holder.close() };
  };
  production = await seedCluster(session, {
    root: `${base}/pegasus/c1`,
    seed: 42,
    tables: 8,
    partitions: 16,
    droppedTables: 2,
    metaProxyRoot: `${base}/meta-proxy`,
    openLockSession,
  });
  onebox = await seedCluster(session, {
    root: `${base}/pegasus/onebox/host-a`,
    layout: 'onebox',
    payloadVersion: '2.5',
    tables: 2,
    partitions: 4,
    droppedTables: 0,
    openLockSession,
  });
});

afterAll(async () => {
  await production?.close();
  await onebox?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
});

describe('Pegasus model on a real ZooKeeper', () => {
  it('ZkSession is a ZkReader', () => {
    const reader: ZkReader = session;
    expect(typeof reader.getData).toBe('function');
  });

  it('detects both cluster roots under the test root', async () => {
    const result = await detectClusterRoots(session, { startPath: base });
    expect(result.roots.map((r) => [r.path, r.layout, r.tableCount])).toEqual([
      [`${base}/pegasus/c1`, 'production', 10],
      [`${base}/pegasus/onebox/host-a`, 'onebox', 2],
    ]);
    expect(result.truncated).toBe(false);
    const validation = await validateClusterRoot(session, `${base}/pegasus/c1/apps`);
    expect(!validation.ok && validation.suggestions).toEqual([`${base}/pegasus/c1`]);
  });

  it('loads the production cluster: tables, health, leader, placement, duplications', async () => {
    const model = await loadClusterModel(session, `${base}/pegasus/c1`);
    const summary = summarizeCluster(model);
    const expected = production.expected;
    expect(summary.metaLeader).toBe(expected.metaLeader);
    expect(summary.metaCandidates).toEqual(expected.metaCandidates);
    expect(summary.nodes).toEqual(expected.nodes);
    expect(summary.warnings).toEqual([]);
    expect(healthFacts(summary.tables, HEALTH_FACTS)).toEqual(healthFacts(expected.tables, HEALTH_FACTS));
    expect(model.backupPolicies.map((p) => p.name)).toEqual(expected.backupPolicies.map((p) => p.name));
    expect(model.tables.filter((t) => t.bulkLoading).map((t) => t.appId)).toEqual(expected.bulkLoadAppIds);
    const lags = model.tables
      .flatMap((t) => t.duplications.flatMap((d) => d.progress.map((p) => p.lag)))
      .filter((lag) => lag !== null);
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((lag) => (lag as number) >= 0 && (lag as number) <= 500)).toBe(true);
    // Lock holders are ephemeral nodes of their own sessions, not of the reading session.
    expect(new Set(model.metaCandidates.map((c) => c.ephemeralOwner)).size).toBe(3);
    expect(model.metaCandidates.every((c) => c.ephemeralOwner !== session.sessionId)).toBe(true);
  });

  it('loads the onebox cluster with v2.5 payloads', async () => {
    const model = await loadClusterModel(session, `${base}/pegasus/onebox/host-a`);
    expect(model.metaLock.layout).toBe('onebox');
    expect(model.metaLeader).toBe(onebox.expected.metaLeader);
    expect(model.tables.every((t) => t.payloadFormat === 'address-only')).toBe(true);
    expect(summarizeCluster(model).nodes).toEqual(onebox.expected.nodes);
  });

  it('reads the MetaProxy routes and flags the bad ones', async () => {
    const routes = await loadMetaProxyRoutes(session, `${base}/meta-proxy`);
    expect(routes.routes.map((r) => ({ table: r.table, verdict: r.verdict }))).toEqual(
      production.expected.metaProxy?.routes,
    );
  });

  it('sees leadership move when the leader session ends', async () => {
    await production.releaseLeader();
    const model = await loadClusterModel(session, `${base}/pegasus/c1`);
    expect(model.metaLeader).toBe(production.expected.metaCandidates[1]);
    expect(model.metaCandidates).toHaveLength(2);
  });
});
