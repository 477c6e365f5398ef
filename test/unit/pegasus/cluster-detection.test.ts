import { beforeAll, describe, expect, it } from 'vitest';
import { detectClusterRoots, validateClusterRoot } from '../../../electron/pegasus/cluster-detection';
import { seedInMemoryCluster } from '../../fixtures/pegasus-cluster/in-memory-cluster';
import { InMemoryZk } from '../../fixtures/pegasus-cluster/in-memory-zk';
import { bytes } from '../../fixtures/pegasus-cluster/payloads';

/** An ensemble with three Pegasus clusters in the known layouts and a few look-alikes. */
async function ensemble(): Promise<InMemoryZk> {
  const zk = new InMemoryZk();
  await seedInMemoryCluster({ root: '/pegasus/c1', tables: 2, partitions: 4, droppedTables: 1 }, zk);
  await seedInMemoryCluster(
    { root: '/pegasus/onebox/host-a', layout: 'onebox', tables: 1, partitions: 2, droppedTables: 0 },
    zk,
  );
  await seedInMemoryCluster(
    {
      root: '/pegasus/bjsrv-account/0.0.x.x',
      tables: 1,
      partitions: 2,
      droppedTables: 0,
      payloadVersion: '2.5',
    },
    zk,
  );
  // Look-alikes: an `apps` with other data, one without numeric children, one whose children are not app JSON.
  zk.createSync('/kafka', Buffer.alloc(0));
  zk.createSync('/kafka/apps', bytes('something'));
  zk.createSync('/kafka/apps/1', bytes('{"app_name":"x"}'));
  zk.createSync('/empty-cluster', Buffer.alloc(0));
  zk.createSync('/empty-cluster/apps', bytes('unlock'));
  zk.createSync('/other', Buffer.alloc(0));
  zk.createSync('/other/apps', Buffer.alloc(0));
  zk.createSync('/other/apps/1', bytes('{"name":"not a pegasus app"}'));
  zk.createSync('/zookeeper', Buffer.alloc(0));
  zk.createSync('/zookeeper/quota', Buffer.alloc(0));
  return zk;
}

describe('detectClusterRoots', () => {
  let zk: InMemoryZk;
  beforeAll(async () => {
    zk = await ensemble();
  });

  it('finds production, onebox and extra-level roots and nothing else', async () => {
    const result = await detectClusterRoots(zk);
    expect(result.roots.map((r) => [r.path, r.layout, r.clusterName, r.appsState, r.tableCount])).toEqual([
      ['/pegasus/bjsrv-account/0.0.x.x', 'production', '0.0.x.x', 'unlock', 1],
      ['/pegasus/c1', 'production', 'c1', 'unlock', 3],
      ['/pegasus/onebox/host-a', 'onebox', 'host-a', 'unlock', 1],
    ]);
    expect(result.roots.every((r) => r.loadable && r.sampleTable.name !== null)).toBe(true);
    expect(result.truncated).toBe(false);
    expect(result.limitsHit).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('never walks into a cluster root or into /zookeeper', async () => {
    const fresh = await ensemble();
    await detectClusterRoots(fresh);
    // Listing the apps of a found root, to count its tables, is all it does below the root.
    const listed = fresh.calls.getChildren;
    expect(listed).toBeLessThan(25);
    expect(fresh.emptyListings.some((p) => p.startsWith('/pegasus/c1/apps/'))).toBe(false);
    expect(fresh.emptyListings.includes('/zookeeper/quota')).toBe(false);
  });

  it('reports the node bound when it is hit', async () => {
    const result = await detectClusterRoots(zk, { maxNodesVisited: 4 });
    expect(result.truncated).toBe(true);
    expect(result.limitsHit).toContain('max-nodes');
    expect(result.unexploredNodes).toBeGreaterThan(0);
    expect(result.nodesVisited).toBe(4);
  });

  it('reports the depth bound when it is hit', async () => {
    const result = await detectClusterRoots(zk, { maxDepth: 1 });
    expect(result.roots).toEqual([]);
    expect(result.limitsHit).toEqual(['max-depth']);
    const deeper = await detectClusterRoots(zk, { maxDepth: 2 });
    expect(deeper.roots.map((r) => r.path)).toEqual(['/pegasus/c1']);
    expect(deeper.truncated).toBe(true);
  });

  it('flags a root whose apps is "lock" as not loadable', async () => {
    const locked = new InMemoryZk();
    locked.createSync('/pegasus', Buffer.alloc(0));
    locked.createSync('/pegasus/x', Buffer.alloc(0));
    locked.createSync('/pegasus/x/apps', bytes('lock'));
    locked.createSync(
      '/pegasus/x/apps/1',
      bytes('{"status":"app_status::AS_AVAILABLE","app_name":"t","app_id":1}'),
    );
    const result = await detectClusterRoots(locked);
    expect(result.roots.map((r) => [r.path, r.appsState, r.loadable])).toEqual([
      ['/pegasus/x', 'lock', false],
    ]);
  });

  it('searches below a start path, and refuses an invalid one', async () => {
    const result = await detectClusterRoots(zk, { startPath: '/pegasus/onebox' });
    expect(result.roots.map((r) => r.path)).toEqual(['/pegasus/onebox/host-a']);
    await expect(detectClusterRoots(zk, { startPath: 'pegasus' })).rejects.toThrow(/must start with/);
  });
});

describe('validateClusterRoot', () => {
  let zk: InMemoryZk;
  beforeAll(async () => {
    zk = await ensemble();
  });

  it('accepts a real root', async () => {
    const result = await validateClusterRoot(zk, '/pegasus/c1');
    expect(result.ok).toBe(true);
    expect(result.ok && [result.root.layout, result.root.tableCount]).toEqual(['production', 3]);
  });

  it('suggests the root when given its apps node or an app node', async () => {
    for (const path of ['/pegasus/c1/apps', '/pegasus/c1/apps/1']) {
      const result = await validateClusterRoot(zk, path);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.suggestions).toContain('/pegasus/c1');
    }
  });

  it('suggests roots below a parent path', async () => {
    const result = await validateClusterRoot(zk, '/pegasus');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(["/pegasus has no 'apps' child"]);
    expect(result.suggestions).toEqual([
      '/pegasus/bjsrv-account/0.0.x.x',
      '/pegasus/c1',
      '/pegasus/onebox/host-a',
    ]);
  });

  it('explains each look-alike', async () => {
    const cases: [string, RegExp][] = [
      ['/kafka', /apps data should be 'lock', 'unlock' or empty/],
      ['/empty-cluster', /has no numeric children/],
      ['/other', /does not hold app JSON/],
      ['/missing', /There is no node at \/missing/],
      ['relative', /must start with/],
    ];
    for (const [path, problem] of cases) {
      const result = await validateClusterRoot(zk, path);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.join('\n')).toMatch(problem);
    }
  });
});
