/**
 * Meta HTTP facts beside ZooKeeper facts: each side keeps its source and time, agreement is only
 * claimed when both sides have a value, and the whole report survives a meta server that does not
 * answer (against the meta HTTP fixture: a follower redirecting to the leader, and a dead port).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClusterModel } from '../../../electron/pegasus/cluster-model';
import { clusterOverview } from '../../../electron/pegasus/cluster-views';
import { compareFacts, fetchMetaHttpReport } from '../../../electron/pegasus/meta-facts';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';

let leader: MetaHttpFixture;
let follower: MetaHttpFixture;

beforeAll(async () => {
  leader = await startMetaHttpFixture();
  follower = await startMetaHttpFixture({ role: 'follower', leader: leader.address });
});
afterAll(async () => {
  await leader?.close();
  await follower?.close();
});

async function overviewOf() {
  const { zk, cluster } = await seedInMemoryCluster({
    root: '/pegasus/onebox/127.0.0.1',
    seed: 3,
    tables: 2,
    partitions: 4,
    droppedTables: 0,
  });
  return {
    overview: clusterOverview(await loadClusterModel(zk, '/pegasus/onebox/127.0.0.1')),
    expected: cluster.expected,
  };
}

describe('compareFacts', () => {
  it('marks facts only one side has as not comparable, and says which side each value came from', async () => {
    const { overview } = await overviewOf();
    const failed = { ok: false as const, error: 'down', code: 'UNREACHABLE', attemptedAt: 1 };
    const facts = compareFacts(overview, { cluster: failed, nodes: failed, apps: failed });
    expect(facts.map((f) => f.key)).toEqual([
      'meta-leader',
      'meta-servers',
      'zookeeper-root',
      'zookeeper-hosts',
      'function-level',
      'replica-servers',
      'available-tables',
      'unhealthy-tables',
      'primary-stddev',
      'total-stddev',
    ]);
    for (const fact of facts) {
      expect(fact.http).toBeNull();
      expect(fact.agree).toBeNull();
      if (fact.zookeeper)
        expect(fact.zookeeper).toMatchObject({ source: 'zookeeper', observedAt: overview.loadedAt });
    }
    expect(facts.find((f) => f.key === 'function-level')?.zookeeper).toBeNull();
    const noZk = compareFacts(null, { cluster: failed, nodes: failed, apps: failed });
    expect(noZk.every((f) => f.zookeeper === null && f.http === null)).toBe(true);
  });
});

describe('fetchMetaHttpReport', () => {
  it('follows the 307 to the leader and compares with ZooKeeper', async () => {
    const { overview } = await overviewOf();
    const before = Date.now();
    const report = await fetchMetaHttpReport(follower.address, overview, {
      placementFor: () => overview.placement,
    });
    expect(report.cluster.ok && report.cluster.server).toBe(leader.address);
    const fact = (key: string) => report.facts.find((f) => f.key === key);
    // The fixture's leader is itself; ZooKeeper says meta-1...: they disagree, and the view says so.
    expect(fact('meta-leader')).toMatchObject({
      agree: false,
      http: { source: 'http', value: leader.address },
    });
    expect(fact('meta-leader')?.http?.observedAt).toBeGreaterThanOrEqual(before);
    expect(fact('meta-leader')?.http?.origin).toBe(`http://${leader.address}/meta/cluster`);
    // The fixture's ZooKeeper root is the onebox one this cluster was seeded at.
    expect(fact('zookeeper-root')?.agree).toBe(true);
    expect(fact('available-tables')).toMatchObject({
      agree: true,
      zookeeper: { value: 2 },
      http: { value: 2 },
    });
    expect(fact('replica-servers')?.http?.value).toBe('2 alive, 1 unalive');
    expect(fact('primary-stddev')?.agree).toBe(false);
    expect(report.placementWithLiveness).toBe(overview.placement);
  });

  it('reports each endpoint that did not answer, without failing', async () => {
    const report = await fetchMetaHttpReport('127.0.0.1:1', null, { timeoutMs: 1000 });
    expect(report.cluster.ok || report.nodes.ok || report.apps.ok).toBe(false);
    expect(!report.cluster.ok && report.cluster.code).toBe('UNREACHABLE');
    expect(report.placementWithLiveness).toBeNull();
  });

  it('refuses a server list that is not host:port', async () => {
    await expect(fetchMetaHttpReport('nope', null)).rejects.toThrow(/host:port/);
  });
});
