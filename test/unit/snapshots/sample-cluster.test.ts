/**
 * The sample cluster the app ships: loaded into a real SQLite store, read through the snapshot
 * session with the same Pegasus loader as a live cluster, it must hold exactly the facts the seeder
 * it was built from promises (so a stale or broken shipped file fails here), and every Pegasus view
 * must find its root with no network.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSampleSnapshot, SAMPLE_CLUSTER } from '../../../electron/engines/snapshots/sample-cluster';
import { SAMPLE_CLUSTER_DATA } from '../../../electron/engines/snapshots/sample-cluster-data';
import { SnapshotSession } from '../../../electron/engines/snapshots/snapshot-session';
import { detectClusterRoots } from '../../../electron/pegasus/cluster-detection';
import { loadClusterFrom } from '../../../electron/pegasus/cluster-loader';
import { summarizeCluster } from '../../../electron/pegasus/cluster-model';
import { loadMetaProxyRoutes } from '../../../electron/pegasus/meta-proxy-routes';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';
import { planSeedCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { healthFacts } from '../../setup/table-health-facts';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-sample-'));
  store = openStore({ file: join(dir, 'store.db'), secretBox: createSecretBox(randomBytes(32)) });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled sample cluster', () => {
  it('loads once into the store and is reused after that', () => {
    const first = ensureSampleSnapshot(store, 'tester');
    expect(first).toMatchObject({
      reason: 'sample',
      state: 'complete',
      root: '/',
      label: SAMPLE_CLUSTER.version,
    });
    expect(first.nodeCount).toBeGreaterThan(100);
    const again = ensureSampleSnapshot(store, 'tester');
    expect(again.id).toBe(first.id);
    expect(store.snapshots.list({ reason: 'sample' })).toHaveLength(1);
    // Deleted by the operator: loaded again on the next open.
    store.snapshots.remove(first.id);
    expect(ensureSampleSnapshot(store, 'tester').id).not.toBe(first.id);
  });

  it('holds exactly what its seeder promises, read offline with the live loader', async () => {
    const plan = planSeedCluster(SAMPLE_CLUSTER_DATA.seedOptions);
    const expected = plan.expected;
    const snapshot = ensureSampleSnapshot(store, 'tester');
    const session = new SnapshotSession(store.snapshots, snapshot);
    const loaded = await loadClusterFrom(session, SAMPLE_CLUSTER.clusterRoot);
    expect(loaded.source.reader).toBe('snapshot');
    const summary = summarizeCluster(loaded.model);
    // Lock holders were live sessions when it was captured: the lowest sequence leads.
    expect(summary.metaLeader).toBe(expected.metaServers[0]);
    expect(summary.metaCandidates).toEqual(expected.metaServers);
    expect(summary.nodes).toEqual(expected.nodes);
    expect(summary.warnings).toEqual([]);
    const facts = [
      'appId',
      'name',
      'status',
      'partitionsFound',
      'fullyHealthy',
      'unhealthy',
      'duplicating',
    ] as const;
    expect(healthFacts(summary.tables, facts)).toEqual(healthFacts(expected.tables, facts));
  });

  it('is found by root detection, and its MetaProxy root reads with the bad entries flagged', async () => {
    const snapshot = ensureSampleSnapshot(store, 'tester');
    const session = new SnapshotSession(store.snapshots, snapshot);
    const detection = await detectClusterRoots(session);
    expect(detection.roots.map((root) => root.path)).toEqual([SAMPLE_CLUSTER.clusterRoot]);
    const routes = await loadMetaProxyRoutes(session, SAMPLE_CLUSTER.metaProxyRoot);
    const expected = planSeedCluster(SAMPLE_CLUSTER_DATA.seedOptions).expected.metaProxy;
    expect(routes.routes.length).toBe(expected?.routes.length);
    expect(routes.routes.filter((route) => route.verdict !== 'ok').length).toBe(2);
  });
});
