import { describe, expect, it } from 'vitest';
import { loadClusterModel, summarizeCluster } from '../../../electron/pegasus/cluster-model';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { bytes } from '../../fixtures/pegasus-cluster/payloads';
import { SUMMARY_TABLE_KEYS } from '../../fixtures/pegasus-cluster/summary-shape';

describe('summarizeCluster', () => {
  it('produces exactly the CLI JSON shape (issue 4, item 10) with the seeded facts', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/pegasus/c9',
      seed: 11,
      tables: 3,
      partitions: 4,
      droppedTables: 1,
    });
    const expected = cluster.expected;
    const summary = summarizeCluster(await loadClusterModel(zk, '/pegasus/c9'));

    expect(Object.keys(summary)).toEqual([
      'clusterRoot',
      'metaLeader',
      'metaCandidates',
      'tables',
      'nodes',
      'warnings',
    ]);
    expect(summary.clusterRoot).toBe('/pegasus/c9');
    expect(summary.metaLeader).toBe(expected.metaLeader);
    expect(summary.metaCandidates).toEqual(expected.metaCandidates);
    expect(summary.nodes).toEqual(expected.nodes);
    expect(summary.warnings).toEqual([]);
    expect(summary.tables).toEqual(
      expected.tables.map((t) => ({
        appId: t.appId,
        name: t.name,
        status: t.status,
        partitionCount: t.partitionCount,
        partitionsFound: t.partitionsFound,
        maxReplicaCount: t.maxReplicaCount,
        splitting: t.splitting,
        fullyHealthy: t.fullyHealthy,
        unhealthy: t.unhealthy,
        writeUnhealthy: t.writeUnhealthy,
        readUnhealthy: t.readUnhealthy,
        duplicating: t.duplicating,
        duplications: t.duplications.map((d) => ({
          dupid: d.dupid,
          status: d.status,
          remote: d.remote,
          failMode: d.failMode,
        })),
      })),
    );
    for (const table of summary.tables) {
      expect(Object.keys(table)).toEqual(SUMMARY_TABLE_KEYS);
      expect(['available', 'dropped']).toContain(table.status);
    }
    // Serializable as is: the CLI prints JSON.stringify(summary).
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    await cluster.close();
  });

  it('lists warnings as "<path>: <problem>" strings', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/c',
      tables: 1,
      partitions: 2,
      droppedTables: 0,
    });
    const appId = cluster.expected.tables[0]?.appId;
    zk.setDataSync(`/c/apps/${appId}/1`, bytes('\u0000'));
    const summary = summarizeCluster(await loadClusterModel(zk, '/c'));
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(
      new RegExp(`^/c/apps/${appId}/1: could not decode \\(partition\\): data is not valid JSON`),
    );
    await cluster.close();
  });
});
