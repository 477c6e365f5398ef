import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchMetaApps,
  fetchMetaCluster,
  fetchMetaNodes,
  MetaHttpError,
  metaHttpGet,
  parseMetaApps,
  parseMetaCluster,
  parseMetaServers,
} from '../../../electron/pegasus/meta-http';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';

const started: MetaHttpFixture[] = [];
async function fixture(options: Parameters<typeof startMetaHttpFixture>[0] = {}): Promise<MetaHttpFixture> {
  const server = await startMetaHttpFixture(options);
  started.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

async function failure(promise: Promise<unknown>): Promise<MetaHttpError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MetaHttpError);
  return error as MetaHttpError;
}

describe('meta HTTP client against the fixture server', () => {
  it('reads /meta/cluster from the leader, with the time and the server it came from', async () => {
    const leader = await fixture();
    const before = Date.now();
    const response = await fetchMetaCluster(leader.address);
    expect(response.server).toBe(leader.address);
    expect(response.redirects).toEqual([]);
    expect(response.fetchedAt).toBeGreaterThanOrEqual(before);
    expect(response.data).toEqual({
      metaServers: [leader.address, '127.0.0.1:34602'],
      primaryMetaServer: leader.address,
      zookeeperHosts: ['127.0.0.1:22181'],
      zookeeperRoot: '/pegasus/onebox/127.0.0.1',
      metaFunctionLevel: 'steady',
      balanceOperationCount: '{"move_pri":"0","copy_pri":"0","copy_sec":"0","total":"0"}',
      primaryReplicaCountStddev: 0.47,
      totalReplicaCountStddev: 0,
      extra: {},
    });
  });

  it('follows 307 from a follower to the leader, keeping the query', async () => {
    const leader = await fixture();
    const follower = await fixture({ role: 'follower', leader: leader.address });
    const response = await fetchMetaNodes([follower.address, leader.address], { detail: true });
    expect(response.server).toBe(leader.address);
    expect(response.redirects).toEqual([`http://${follower.address}/meta/nodes?detail`]);
    expect(follower.requests).toEqual(['GET /meta/nodes?detail']);
    expect(leader.requests).toEqual(['GET /meta/nodes?detail=']);
    expect(response.data.nodes.map((n) => [n.address, n.status, n.primaryCount])).toEqual([
      ['rs-1.example.com:34801', 'ALIVE', 4],
      ['rs-2.example.com:34801', 'ALIVE', 5],
      ['rs-3.example.com:34801', 'UNALIVE', 0],
    ]);
    expect([
      response.data.totalNodeCount,
      response.data.aliveNodeCount,
      response.data.unaliveNodeCount,
    ]).toEqual([3, 2, 1]);
  });

  it('reads /meta/apps with and without the health detail', async () => {
    const leader = await fixture();
    const plain = await fetchMetaApps(leader.address);
    expect(
      plain.data.apps.map((a) => [a.appId, a.appName, a.partitionCount, a.isStateful, a.health]),
    ).toEqual([
      [2, 'temp', 8, true, null],
      [12, 'user_profile', 64, true, null],
    ]);
    expect(plain.data.healthSummary).toBeNull();
    const detailed = await fetchMetaApps(leader.address, { detail: true });
    expect(detailed.data.apps[1]?.health).toEqual({
      fullyHealthy: 62,
      unhealthy: 2,
      writeUnhealthy: 1,
      readUnhealthy: 1,
    });
    expect(detailed.data.healthSummary).toEqual({
      fullyHealthyAppCount: 1,
      unhealthyAppCount: 1,
      writeUnhealthyAppCount: 1,
      readUnhealthyAppCount: 1,
    });
  });

  it('skips an unreachable server and says so', async () => {
    const leader = await fixture();
    const dead = await closedPort();
    const response = await fetchMetaCluster(`${dead},${leader.address}`);
    expect(response.server).toBe(leader.address);
    expect(response.skipped).toEqual([
      { server: dead, error: expect.stringMatching(/cannot connect \(ECONNREFUSED\)/) },
    ]);
  });

  it('fails with UNREACHABLE, listing each attempt, when no server answers', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const error = await failure(fetchMetaCluster([a, b]));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.details.attempts?.map((attempt) => attempt.server)).toEqual([a, b]);
    expect(error.message).toMatch(/No meta server answered \/meta\/cluster/);
  });

  it('times out on a server that does not answer in time', async () => {
    const slow = await fixture({ delayMs: 2_000 });
    const started = Date.now();
    const error = await failure(fetchMetaCluster(slow.address, { timeoutMs: 150 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/no answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('gives up on a redirect loop after the hop limit', async () => {
    const a = await fixture({ role: 'follower' });
    const b = await fixture({ role: 'follower', leader: a.address });
    a.setRole('follower', b.address);
    const error = await failure(fetchMetaCluster(a.address, { maxRedirects: 2 }));
    expect(error.code).toBe('TOO_MANY_REDIRECTS');
    expect(a.requests.length + b.requests.length).toBe(3);
  });

  it('explains a redirect to a leader the follower does not know', async () => {
    const follower = await fixture({ role: 'follower', leader: 'invalid host_port' });
    const error = await failure(fetchMetaCluster(follower.address));
    expect(error.code).toBe('BAD_REDIRECT');
    expect(error.message).toMatch(/may not know the leader/);
  });

  it('reports HTTP errors as final, and checks its arguments', async () => {
    const leader = await fixture();
    const error = await failure(metaHttpGet(leader.address, '/meta/nothing'));
    expect([error.code, error.details.status]).toEqual(['HTTP_STATUS', 404]);
    const badArgs = await failure(metaHttpGet(leader.address, '/meta/apps', 'verbose'));
    expect(badArgs.details.status).toBe(400);
    expect(() => parseMetaServers('')).toThrow(/No meta server/);
    expect(() => parseMetaServers('meta-1,meta-2:34601')).toThrow(/host:port/);
    expect(parseMetaServers(' a:1 , b:2 ')).toEqual(['a:1', 'b:2']);
  });
});

describe('meta HTTP payload parsers', () => {
  it('parse string-valued tables, keeping keys beyond the documented ones', () => {
    const cluster = parseMetaCluster({
      meta_servers: 'a:1,b:1',
      primary_replica_count_stddev: '1.25',
      cluster_name: 'c1',
    });
    expect([
      cluster.metaServers,
      cluster.primaryReplicaCountStddev,
      cluster.totalReplicaCountStddev,
      cluster.extra,
    ]).toEqual([['a:1', 'b:1'], 1.25, null, { cluster_name: 'c1' }]);
    expect(parseMetaApps({ summary: { total_app_count: '0' } })).toEqual({
      apps: [],
      totalAppCount: 0,
      healthSummary: null,
    });
    expect(() => parseMetaApps([])).toThrow(/should be a JSON object/);
  });
});
