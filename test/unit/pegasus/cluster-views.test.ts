/**
 * The cuts of the cluster model the views show: overview rows (health level, flags, warnings per
 * table), a table's partition rows (missing split children, undecoded payloads), the cluster-wide
 * duplication list. Against the in-memory seeded cluster, expectations from the seeder.
 */
import { describe, expect, it } from 'vitest';
import { loadClusterModel } from '../../../electron/pegasus/cluster-model';
import {
  clusterOverview,
  duplicationList,
  tableDetail,
  WARNINGS_SHOWN,
} from '../../../electron/pegasus/cluster-views';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';

async function seeded() {
  const { zk, cluster } = await seedInMemoryCluster({
    root: '/pegasus/v1',
    seed: 5,
    tables: 6,
    partitions: 8,
    droppedTables: 2,
  });
  return { zk, expected: cluster.expected };
}

describe('clusterOverview', () => {
  it('has one row per table with the health level by the shell rules and the activity flags', async () => {
    const { zk, expected } = await seeded();
    const overview = clusterOverview(await loadClusterModel(zk, '/pegasus/v1'));
    expect(overview.tables.map((row) => row.appId)).toEqual(expected.tables.map((t) => t.appId));
    for (const t of expected.tables) {
      const row = overview.tables.find((r) => r.appId === t.appId);
      const level =
        t.status !== 'available'
          ? 'n/a'
          : t.readUnhealthy > 0
            ? 'read-unhealthy'
            : t.writeUnhealthy > 0
              ? 'write-unhealthy'
              : t.unhealthy > 0
                ? 'unhealthy'
                : 'healthy';
      expect(row?.healthLevel, t.name).toBe(level);
      expect(row?.splitting).toBe(t.splitting);
      expect(row?.bulkLoading).toBe(t.bulkLoading);
      expect(row?.duplicating).toBe(t.duplicating);
      expect(row?.dropExpiresAt).toBe(t.dropExpiresAt);
      expect(row?.activeDuplications).toBe(t.duplications.filter((d) => d.status !== 'DS_REMOVED').length);
    }
    expect(overview.counts).toEqual({
      tables: 8,
      available: 6,
      dropped: 2,
      other: 0,
      partitions: expected.tables.reduce((sum, t) => sum + t.partitionsFound, 0),
    });
    expect(overview.metaCandidates.map((c) => [c.address, c.leader])).toEqual(
      expected.metaCandidates.map((address, index) => [address, index === 0]),
    );
    expect(overview.backupPolicies.map((p) => [p.name, p.backups])).toEqual(
      expected.backupPolicies.map((p) => [p.name, p.backups]),
    );
  });

  it('counts warnings per table and caps the list it carries', async () => {
    const { zk, expected } = await seeded();
    const table = expected.tables.find((t) => t.status === 'available' && !t.splitting);
    zk.setDataSync(`/pegasus/v1/apps/${table?.appId}/3`, Buffer.from('{"pid": broken'));
    zk.setDataSync(`/pegasus/v1/apps/${table?.appId}/4`, Buffer.from([0xff, 0xfe]));
    const model = await loadClusterModel(zk, '/pegasus/v1');
    const overview = clusterOverview(model);
    const row = overview.tables.find((r) => r.appId === table?.appId);
    expect(row?.warningCount).toBe(2);
    expect(row?.healthLevel).not.toBe('healthy');
    expect(overview.warningTotal).toBe(2);

    const many = {
      ...model,
      warnings: Array.from({ length: WARNINGS_SHOWN + 7 }, (_, i) => ({ path: `/x/${i}`, message: 'm' })),
    };
    const capped = clusterOverview(many);
    expect(capped.warnings).toHaveLength(WARNINGS_SHOWN);
    expect(capped.warningTotal).toBe(WARNINGS_SHOWN + 7);
  });
});

describe('tableDetail', () => {
  it('lists every index below partition_count, marking missing split children and undecoded nodes', async () => {
    const { zk, expected } = await seeded();
    const split = expected.tables.find((t) => t.splitting);
    zk.setDataSync(`/pegasus/v1/apps/${split?.appId}/1`, Buffer.from('not json'));
    const detail = tableDetail(await loadClusterModel(zk, '/pegasus/v1'), split?.appId ?? -1);
    expect(detail?.partitions).toHaveLength(split?.partitionCount ?? 0);
    expect(detail?.partitions.filter((p) => p.health === 'missing').map((p) => p.index)).toEqual(
      Array.from(
        { length: (split?.partitionCount ?? 0) - (split?.partitionsFound ?? 0) },
        (_, i) => (split?.partitionsFound ?? 0) + i,
      ),
    );
    expect(detail?.partitions[1]).toMatchObject({ health: 'undecoded', decoded: false, primary: null });
    expect(detail?.partitions[0]?.lastCommittedDecree).toBe(split?.lastCommittedDecrees[0]);
    expect(detail?.warnings.map((w) => w.path)).toEqual([`/pegasus/v1/apps/${split?.appId}/1`]);
  });

  it('answers null for an app id the model does not have', async () => {
    const { zk } = await seeded();
    expect(tableDetail(await loadClusterModel(zk, '/pegasus/v1'), 999)).toBeNull();
  });
});

describe('duplicationList', () => {
  it('flattens every duplication with its table, lag figures and legacy status', async () => {
    const { zk, expected } = await seeded();
    const list = duplicationList(await loadClusterModel(zk, '/pegasus/v1'));
    const wanted = expected.tables.flatMap((t) => t.duplications.map((d) => ({ t, d })));
    expect(list.map((e) => [e.appId, e.dupid, e.status, e.statusUnknown])).toEqual(
      wanted.map(({ t, d }) => [t.appId, d.dupid, d.status, d.statusRaw === 'DS_START']),
    );
    for (const entry of list) {
      const { t, d } = wanted.find(({ d }) => d.dupid === entry.dupid) ?? {};
      const lags = Object.entries(d?.confirmed ?? {}).map(
        ([index, confirmed]) => (t?.lastCommittedDecrees[Number(index)] ?? 0) - confirmed,
      );
      expect(entry.confirmedPartitions).toBe(lags.length);
      expect(entry.maxLag).toBe(lags.length > 0 ? Math.max(...lags) : null);
      expect(entry.totalLag).toBe(lags.length > 0 ? lags.reduce((a, b) => a + b, 0) : null);
    }
  });
});
