import { describe, expect, it } from 'vitest';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { InMemoryZk } from '../../fixtures/pegasus-cluster/in-memory-zk';
import { planSeedCluster, seedCluster } from '../../fixtures/pegasus-cluster/seed-cluster';

describe('the cluster seeder fixture', () => {
  it('is deterministic from its seed', () => {
    const a = planSeedCluster({ root: '/p/c', seed: 5 });
    const b = planSeedCluster({ root: '/p/c', seed: 5 });
    const c = planSeedCluster({ root: '/p/c', seed: 6 });
    const flat = (plan: typeof a) => plan.nodes.map((n) => `${n.path}=${n.data.toString('base64')}`);
    expect(flat(a)).toEqual(flat(b));
    expect(a.expected).toEqual(b.expected);
    expect(flat(a)).not.toEqual(flat(c));
  });

  it('writes N x P partitions plus the split children, in both payload versions', () => {
    const plan = planSeedCluster({ root: '/p/c', tables: 4, partitions: 8, droppedTables: 2 });
    const partitionNodes = plan.nodes.filter((n) => /^\/p\/c\/apps\/\d+\/\d+$/.test(n.path));
    // 6 tables x 8 partitions, plus 4 registered children of the one splitting table.
    expect(partitionNodes).toHaveLength(6 * 8 + 4);
    const withHp = partitionNodes.filter((n) => n.data.includes('"hp_primary"')).length;
    expect(withHp).toBeGreaterThan(0);
    expect(withHp).toBeLessThan(partitionNodes.length);
    expect(
      plan.expected.tables.filter((t) => t.splitting).map((t) => [t.partitionCount, t.partitionsFound]),
    ).toEqual([[16, 12]]);
    expect(plan.expected.znodeCount).toBe(plan.nodes.length);
  });

  it('creates parents first and holds the lock with live ephemeral sessions until closed', async () => {
    const zk = new InMemoryZk();
    const { cluster } = await seedInMemoryCluster({ root: '/a/b/c', tables: 2, partitions: 2 }, zk);
    expect(zk.has('/a/b')).toBe(true);
    expect(cluster.lockNodes).toEqual(
      [0, 1, 2].map((i) => `/a/b/c/lock/dsn.meta.server.leader/LOCKNODE${String(i).padStart(10, '0')}`),
    );
    const owner = (await zk.getData(cluster.lockNodes[0] as string)).stat.ephemeralOwner;
    expect(owner).not.toBe('0x0');
    await cluster.close();
    expect(cluster.lockNodes.some((path) => zk.has(path))).toBe(false);
  });

  it('tolerates existing ancestors but not an existing cluster', async () => {
    const zk = new InMemoryZk();
    zk.createSync('/shared', Buffer.alloc(0));
    await seedCluster(zk, { root: '/shared/c1', tables: 1, partitions: 1 });
    await expect(seedCluster(zk, { root: '/shared/c1', tables: 1, partitions: 1 })).rejects.toMatchObject({
      code: 'NODE_EXISTS',
    });
  });
});
