import { describe, expect, it } from 'vitest';
import { ClusterModelError, loadClusterModel } from '../../../electron/pegasus/cluster-model';
import type { TableModel } from '../../../electron/pegasus/cluster-model-types';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { InMemoryZk } from '../../fixtures/pegasus-cluster/in-memory-zk';
import { appInfoJson, bytes } from '../../fixtures/pegasus-cluster/payloads';
import type { ExpectedTable } from '../../fixtures/pegasus-cluster/seed-cluster';

const NOW = 1_800_000_000_000;

function tableFacts(table: TableModel) {
  return {
    appId: table.appId,
    name: table.name,
    status: table.status,
    partitionCount: table.partitionCount,
    partitionsFound: table.partitionsFound,
    maxReplicaCount: table.maxReplicaCount,
    splitting: table.splitting,
    fullyHealthy: table.health.fullyHealthy,
    unhealthy: table.health.unhealthy,
    writeUnhealthy: table.health.writeUnhealthy,
    readUnhealthy: table.health.readUnhealthy,
    duplicating: table.duplicating,
    bulkLoading: table.bulkLoading,
    dropExpiresAt: table.dropExpiresAt,
  };
}

function expectedFacts(table: ExpectedTable) {
  const { payloadVersion: _v, duplications: _d, lastCommittedDecrees: _l, ...facts } = table;
  return facts;
}

describe('loadClusterModel on a seeded cluster (production layout, mixed payload versions)', async () => {
  const { zk, cluster } = await seedInMemoryCluster({
    root: '/pegasus/c1',
    seed: 7,
    tables: 6,
    partitions: 8,
    droppedTables: 2,
  });
  const expected = cluster.expected;
  const model = await loadClusterModel(zk, '/pegasus/c1', { concurrency: 8, now: NOW });

  it('reads every table with the facts the seeder built', () => {
    expect(model.tables.map(tableFacts)).toEqual(expected.tables.map(expectedFacts));
    expect(model.tables.filter((t) => t.status === 'dropped')).toHaveLength(2);
    expect(model.tables.some((t) => t.splitting)).toBe(true);
    expect(model.tables.some((t) => t.health.readUnhealthy > 0 && t.status === 'available')).toBe(true);
    expect(new Set(model.tables.map((t) => t.payloadFormat))).toEqual(new Set(['host-port', 'address-only']));
  });

  it('finds the meta leader (lowest LOCKNODE) and the candidates', () => {
    expect(model.metaLeader).toBe(expected.metaLeader);
    expect(model.metaCandidates.map((c) => c.address)).toEqual(expected.metaCandidates);
    expect(model.metaLock.lockDir).toBe('/pegasus/c1/lock/dsn.meta.server.leader');
    expect(model.metaLock.layout).toBe('production');
    expect(model.metaCandidates[0]?.ephemeralOwner).not.toBe('0x0');
  });

  it('counts replicas per node over available tables', () => {
    expect(
      model.placement.nodes.map(({ address, primaries, secondaries }) => ({
        address,
        primaries,
        secondaries,
      })),
    ).toEqual(expected.nodes);
    expect(model.placement.primaryReplicaCountStddev).toBeGreaterThanOrEqual(0);
  });

  it('reads duplications with per-partition lag against the last committed decree', () => {
    const dupTables = expected.tables.filter((t) => t.duplications.length > 0);
    expect(dupTables.length).toBe(2);
    for (const expectedTable of dupTables) {
      const table = model.tables.find((t) => t.appId === expectedTable.appId) as TableModel;
      expect(table.duplications.map((d) => [d.dupid, d.status, d.remote, d.failMode])).toEqual(
        expectedTable.duplications.map((d) => [d.dupid, d.status, d.remote, d.failMode]),
      );
      for (const [dup, expectedDup] of table.duplications.map(
        (d, i) => [d, expectedTable.duplications[i]] as const,
      )) {
        expect(dup.remoteAppName).toBe(expectedDup?.remoteAppName);
        expect(dup.remoteReplicaCount).toBe(3);
        for (const entry of dup.progress) {
          const confirmed = expectedDup?.confirmed[entry.partitionIndex];
          const lcd = expectedTable.lastCommittedDecrees[entry.partitionIndex] as number;
          expect(entry.lastCommittedDecree).toBe(lcd);
          expect(entry.confirmedDecree).toBe(confirmed ?? null);
          expect(entry.lag).toBe(confirmed === undefined ? null : lcd - confirmed);
        }
        expect(dup.confirmedPartitions).toBe(Object.keys(expectedDup?.confirmed ?? {}).length);
      }
    }
    // The legacy DS_START dup reads as removed and does not make its table "duplicating" on its own.
    const legacy = model.tables.flatMap((t) => t.duplications).find((d) => d.statusRaw === 'DS_START');
    expect(legacy?.status).toBe('DS_REMOVED');
    expect(legacy?.remoteAppName).toBe(
      model.tables.find((t) => t.duplications.includes(legacy as never))?.name,
    );
  });

  it('reads bulk loads, backup policies and drop expiry', () => {
    const bulk = model.tables.filter((t) => t.bulkLoad !== null).map((t) => t.appId);
    expect(bulk).toEqual(expected.bulkLoadAppIds);
    const loading = model.tables.find((t) => t.appId === bulk[0]);
    expect(loading?.bulkLoad?.app?.status).toBe('BLS_DOWNLOADING');
    expect(loading?.bulkLoad?.partitions).toHaveLength(loading?.partitionsFound ?? -1);
    expect(
      model.backupPolicies.map((p) => ({
        name: p.name,
        appIds: p.policy?.appIds,
        backups: p.backups.length,
      })),
    ).toEqual(expected.backupPolicies);
    for (const dropped of model.tables.filter((t) => t.status === 'dropped')) {
      expect(dropped.dropExpired).toBe(true);
      expect(dropped.droppedAt).toBeLessThan(dropped.dropExpiresAt as number);
    }
  });

  it('has no warnings and reads with discipline: bounded, no listing of leaves', () => {
    expect(model.warnings).toEqual([]);
    expect(model.unknownKeys).toEqual([]);
    expect(model.appsRoot).toEqual({ path: '/pegasus/c1/apps', exists: true, state: 'unlock' });
    expect(zk.emptyListings).toEqual([]);
    expect(zk.peakInFlight).toBeLessThanOrEqual(8);
    expect(zk.peakInFlight).toBeGreaterThan(1);
    expect(model.reads.peakInFlight).toBeLessThanOrEqual(8);
  });
});

describe('loadClusterModel, other layouts and leader changes', () => {
  it('onebox layout, v2.5 payloads only: leader and nodes by ip:port', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/pegasus/onebox/host1',
      layout: 'onebox',
      payloadVersion: '2.5',
      tables: 3,
      partitions: 4,
    });
    const model = await loadClusterModel(zk, '/pegasus/onebox/host1');
    expect(model.metaLock.layout).toBe('onebox');
    expect(model.metaLock.lockDir).toBe('/pegasus/onebox/host1/dsn.meta.server.leader');
    expect(model.metaLeader).toMatch(/^10\.1\.1\.\d+:34601$/);
    expect(model.placement.nodes.every((n) => /^10\.1\.2\.\d+:34801$/.test(n.address))).toBe(true);
    expect(
      model.placement.nodes.map(({ address, primaries, secondaries }) => ({
        address,
        primaries,
        secondaries,
      })),
    ).toEqual(cluster.expected.nodes);
    expect(model.tables.every((t) => t.payloadFormat === 'address-only')).toBe(true);
  });

  it('moves the leader to the next holder when the leader session ends', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/c',
      tables: 1,
      partitions: 1,
      droppedTables: 0,
    });
    await cluster.releaseLeader();
    const model = await loadClusterModel(zk, '/c');
    expect(model.metaLeader).toBe(cluster.expected.metaCandidates[1]);
    expect(model.metaCandidates.map((c) => c.address)).toEqual(cluster.expected.metaCandidates.slice(1));
    await cluster.close();
    const after = await loadClusterModel(zk, '/c');
    expect(after.metaLeader).toBeNull();
    expect(after.metaCandidates).toEqual([]);
    expect(after.metaLock.lockDir).toBe('/c/lock/dsn.meta.server.leader');
  });
});

describe('loadClusterModel with bad data', () => {
  async function seeded() {
    return seedInMemoryCluster({ root: '/p/c', seed: 3, tables: 4, partitions: 4, droppedTables: 1 });
  }

  it('turns undecodable payloads into warnings naming the node, and still loads the rest', async () => {
    const { zk, cluster } = await seeded();
    const available = cluster.expected.tables.filter((t) => t.status === 'available');
    const first = available.find((t) => t.fullyHealthy === t.partitionCount) as ExpectedTable;
    const second = available.find((t) => t !== first) as ExpectedTable;
    const dupTable = cluster.expected.tables.find((t) =>
      t.duplications.some((d) => d.statusRaw !== 'DS_START'),
    ) as ExpectedTable;
    const dup = dupTable.duplications.find((d) => d.statusRaw !== 'DS_START');
    const progressIndex = Number(Object.keys(dup?.confirmed ?? {})[0]);
    const badPartition = `/p/c/apps/${first.appId}/0`;
    const badApp = `/p/c/apps/${second.appId}`;
    const badDup = `/p/c/apps/${dupTable.appId}/duplication/${dup?.dupid}`;
    const badProgress = `${badDup}/${progressIndex}`;
    zk.setDataSync(badPartition, bytes('{"pid":"x'));
    zk.setDataSync(badApp, bytes('not json'));
    zk.setDataSync(badProgress, bytes('twelve'));
    zk.setDataSync(cluster.lockNodes[0] as string, bytes('garbage'));
    const model = await loadClusterModel(zk, '/p/c');

    const paths = model.warnings.map((w) => w.path);
    expect(paths).toEqual(expect.arrayContaining([badPartition, badApp, badProgress, cluster.lockNodes[0]]));
    expect(model.warnings.find((w) => w.path === badPartition)?.message).toMatch(
      /could not decode \(partition\)/,
    );

    const withBadPartition = model.tables.find((t) => t.appId === first.appId) as TableModel;
    expect(withBadPartition.partitions[0]?.config).toBeNull();
    // The undecodable partition is not fully healthy any more: it counts as unhealthy, nothing else.
    expect(withBadPartition.health).toEqual({
      partitionCount: first.partitionCount,
      fullyHealthy: first.fullyHealthy - 1,
      unhealthy: 1,
      writeUnhealthy: 0,
      readUnhealthy: 0,
    });

    const withBadApp = model.tables.find((t) => t.appId === second.appId) as TableModel;
    expect(withBadApp.status).toBe('unknown');
    expect(withBadApp.info).toBeNull();
    expect(withBadApp.partitionsFound).toBe(second.partitionsFound);

    const progress = model.tables
      .find((t) => t.appId === dupTable.appId)
      ?.duplications.find((d) => d.dupid === dup?.dupid)
      ?.progress.find((p) => p.partitionIndex === progressIndex);
    expect(progress?.confirmedDecree).toBeNull();
    expect(progress?.lag).toBeNull();

    // The corrupted lock node was the leader: it is listed without an address; the leader is unknown.
    expect(model.metaCandidates[0]?.address).toBeNull();
    expect(model.metaLeader).toBeNull();
    expect(model.tables).toHaveLength(cluster.expected.tables.length);
    await cluster.close();
  });

  it('aggregates unknown keys per payload kind', async () => {
    const { zk, cluster } = await seeded();
    for (const table of cluster.expected.tables) {
      const path = `/p/c/apps/${table.appId}/0`;
      const data = JSON.parse((await zk.getData(path)).data.toString());
      zk.setDataSync(path, bytes(JSON.stringify({ ...data, future_key: 1 })));
    }
    const model = await loadClusterModel(zk, '/p/c');
    expect(model.unknownKeys).toEqual([
      {
        kind: 'partition',
        key: 'future_key',
        count: cluster.expected.tables.length,
        examplePath: expect.stringMatching(/\/0$/),
      },
    ]);
    expect(model.warnings).toEqual([]);
    await cluster.close();
  });

  it('warns about a locked apps node, an app status a meta cannot load and a pid that does not match', async () => {
    const zk = new InMemoryZk();
    zk.createSync('/r', Buffer.alloc(0));
    zk.createSync('/r/apps', bytes('lock'));
    zk.createSync(
      '/r/apps/1',
      bytes(appInfoJson({ status: 'AS_CREATING', appName: 't', appId: 1, partitionCount: 1 })),
    );
    zk.createSync(
      '/r/apps/1/0',
      bytes('{"pid":"1.5","ballot":1,"primary":"a:1","secondaries":["b:1","c:1"]}'),
    );
    zk.createSync('/r/apps/stray', bytes(''));
    const model = await loadClusterModel(zk, '/r');
    expect(model.appsRoot.state).toBe('lock');
    expect(model.tables[0]?.status).toBe('creating');
    expect(model.warnings.map((w) => w.path)).toEqual([
      '/r/apps',
      '/r/apps/1',
      '/r/apps/1/0',
      '/r/apps/stray',
    ]);
    expect(model.warnings[0]?.message).toMatch(/CHECK-fails/);
    expect(model.warnings[1]?.message).toMatch(/not AS_AVAILABLE or AS_DROPPED/);
    expect(model.warnings[2]?.message).toMatch(/does not match/);
    // Only the AVAILABLE tables count for placement: the creating one does not.
    expect(model.placement.nodes).toEqual([]);
  });

  it('skips a subtree it may not read (NO_AUTH) with a warning, but fails on a lost connection', async () => {
    const { zk, cluster } = await seeded();
    zk.failReadsOf('/p/c/backup', 'NO_AUTH');
    const model = await loadClusterModel(zk, '/p/c');
    expect(model.backupPolicies).toEqual([]);
    expect(model.tables).toHaveLength(cluster.expected.tables.length);

    const appId = cluster.expected.tables[0]?.appId;
    zk.failReadsOf(`/p/c/apps/${appId}/1`, 'CONNECTION_LOSS');
    await expect(loadClusterModel(zk, '/p/c')).rejects.toMatchObject({ code: 'CONNECTION_LOSS' });
    await cluster.close();
  });

  it('refuses a missing root, and explains a root without apps', async () => {
    const zk = new InMemoryZk();
    await expect(loadClusterModel(zk, '/nope')).rejects.toBeInstanceOf(ClusterModelError);
    await expect(loadClusterModel(zk, '/nope')).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
    zk.createSync('/plain', bytes('x'));
    const model = await loadClusterModel(zk, '/plain');
    expect(model.tables).toEqual([]);
    expect(model.appsRoot.exists).toBe(false);
    expect(model.warnings).toEqual([
      { path: '/plain/apps', message: expect.stringMatching(/not a Pegasus cluster root/) },
    ]);
  });

  it('stops when the signal aborts', async () => {
    const { zk, cluster } = await seeded();
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the operator'));
    await expect(loadClusterModel(zk, '/p/c', { signal: controller.signal })).rejects.toThrow(
      'cancelled by the operator',
    );
    await cluster.close();
  });
});
