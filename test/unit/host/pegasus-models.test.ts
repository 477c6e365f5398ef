/** The host's cache of loaded cluster models: one load shared, Refresh reloads, failures not kept, LRU bound. */
import { describe, expect, it } from 'vitest';
import { PegasusModelCache } from '../../../electron/host/services/pegasus-models';
import type { LoadedCluster } from '../../../electron/pegasus/cluster-loader';
import { loadClusterModel } from '../../../electron/pegasus/cluster-model';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';

async function loader() {
  const { zk } = await seedInMemoryCluster({
    root: '/pegasus/m',
    seed: 1,
    tables: 2,
    partitions: 2,
    droppedTables: 0,
  });
  let loads = 0;
  const load = async (): Promise<LoadedCluster> => {
    loads += 1;
    const model = await loadClusterModel(zk, '/pegasus/m');
    return {
      model,
      loadMs: 1,
      cpuMs: 1,
      source: { reader: 'session', sessions: 1, requests: 1, reads: 1, fallbackReason: null },
    };
  };
  return { load, loads: () => loads };
}

describe('PegasusModelCache', () => {
  it('shares one load between concurrent callers and serves it cached afterwards', async () => {
    const cache = new PegasusModelCache();
    const { load, loads } = await loader();
    const key = PegasusModelCache.key('c1', 1, '/pegasus/m');
    const [a, b] = await Promise.all([cache.get(key, load), cache.get(key, load)]);
    expect(loads()).toBe(1);
    expect(a.cluster).toBe(b.cluster);
    expect(a.cached).toBe(false);
    const again = await cache.get(key, load);
    expect(again).toMatchObject({ cached: true });
    expect(again.cluster.overview.tables).toHaveLength(2);
    expect(cache.peek(key)).toBe(a.cluster);
  });

  it('reloads on refresh, and a new connection version is a new key', async () => {
    const cache = new PegasusModelCache();
    const { load, loads } = await loader();
    const key = PegasusModelCache.key('c1', 1, '/pegasus/m');
    const first = await cache.get(key, load);
    const refreshed = await cache.get(key, load, { refresh: true });
    expect(loads()).toBe(2);
    expect(refreshed.cluster).not.toBe(first.cluster);
    expect(cache.peek(PegasusModelCache.key('c1', 2, '/pegasus/m'))).toBeNull();
  });

  it('does not keep a failed load, and keeps at most the configured number of models', async () => {
    const cache = new PegasusModelCache(2);
    const { load } = await loader();
    const failing = () => Promise.reject(new Error('unreachable'));
    await expect(cache.get('k-fail', failing)).rejects.toThrow('unreachable');
    expect((await cache.get('k-fail', load)).cached).toBe(false);
    await cache.get('k2', load);
    await cache.get('k3', load);
    const kept = ['k-fail', 'k2', 'k3'].filter((key) => cache.peek(key) !== null);
    expect(kept).toEqual(['k2', 'k3']);
  });
});
