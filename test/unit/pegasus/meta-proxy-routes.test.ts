import { describe, expect, it } from 'vitest';
import { loadMetaProxyRoutes } from '../../../electron/pegasus/meta-proxy-routes';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { InMemoryZk } from '../../fixtures/pegasus-cluster/in-memory-zk';
import { bytes, REFERENCE_PAYLOADS } from '../../fixtures/pegasus-cluster/payloads';

describe('loadMetaProxyRoutes', () => {
  it('lists every table with the cluster it routes to and flags the bad entries', async () => {
    const { zk, cluster } = await seedInMemoryCluster({
      root: '/pegasus/c1',
      tables: 3,
      partitions: 2,
      metaProxyRoot: '/meta-proxy/region1',
    });
    const routes = await loadMetaProxyRoutes(zk, '/meta-proxy/region1');
    expect(routes.routes.map((r) => ({ table: r.table, verdict: r.verdict }))).toEqual(
      cluster.expected.metaProxy?.routes,
    );
    const ok = routes.routes.filter((r) => r.verdict === 'ok');
    expect(
      ok.every((r) => r.clusterName === 'c1' && r.metaAddrs.length === cluster.expected.metaServers.length),
    ).toBe(true);
    expect(routes.clusters).toEqual([{ clusterName: 'c1', tables: 3 }]);
    expect(routes.warnings.map((w) => w.path)).toEqual([
      '/meta-proxy/region1/broken_json_table',
      '/meta-proxy/region1/single_meta_table',
    ]);
    expect(routes.routes.find((r) => r.verdict === 'crash')?.problem).toMatch(/invalid JSON/);
    expect(routes.routes.find((r) => r.verdict === 'rejected')?.problem).toMatch(/fewer than 2/);
    await cluster.close();
  });

  it('reads the reference entry, warns about a root meta-proxy cannot use, and refuses a missing root', async () => {
    const zk = new InMemoryZk();
    zk.createSync('/ad_table', bytes(REFERENCE_PAYLOADS.metaProxyEntry));
    const routes = await loadMetaProxyRoutes(zk, '/');
    expect(routes.routes).toEqual([
      {
        table: 'ad_table',
        path: '/ad_table',
        verdict: 'ok',
        clusterName: 'c3srv-ad',
        metaAddrs: ['10.0.0.1:34601', '10.0.0.2:34601', '10.0.0.3:34601'],
        problem: null,
        notes: [],
      },
    ]);
    expect(routes.warnings[0]).toMatchObject({
      path: '/',
      message: expect.stringMatching(/root below '\/'/),
    });
    await expect(loadMetaProxyRoutes(zk, '/nope')).rejects.toThrow(/no node/);
  });
});
