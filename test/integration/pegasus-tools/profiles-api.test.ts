/**
 * The cluster profiles API over the real host (HTTP, token, SQLite): add, change, remove with the
 * name typed back, validation messages that name the field, and "Check tools" against the shell
 * fixture, the meta HTTP fixture (a leader; a follower whose leader is dead) and a cluster seeded
 * into the real ZooKeeper.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { connectTestZk, seedLiveCluster } from '../../setup/pegasus-live-cluster';
import { rejectionOf, startTestHost, type TestHost } from '../../setup/host-fixture';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import { createToolKit, FAKE_SHELL, type ToolKit } from '../../setup/pegasus-shell-kit';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('profiles-api');
const root = `${base}/pegasus/onebox`;

let test: TestHost;
let kit: ToolKit;
let session: ZkSession;
let seeded: SeededCluster;
let leader: MetaHttpFixture;
let follower: MetaHttpFixture;
let connectionId: string;
let deadPort: number;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const shellTool = () => ({
  kind: 'pegasus_shell' as const,
  binary: FAKE_SHELL,
  config: kit.configPath,
  clusterName: 'onebox',
});

beforeAll(async () => {
  session = await connectTestZk(zk);
  seeded = await seedLiveCluster(session, zk, {
    root,
    seed: 11,
    tables: 3,
    partitions: 4,
    droppedTables: 0,
  });
  leader = await startMetaHttpFixture();
  deadPort = await closedPort();
  follower = await startMetaHttpFixture({ role: 'follower', leader: `127.0.0.1:${deadPort}` });
  kit = createToolKit({ zookeeperHosts: zk, zookeeperRoot: root, metaServers: [leader.address] });
  // The leader's HTTP answer describes the same cluster as the shell fixture's cluster_info.
  leader.setCluster({
    meta_servers: leader.address,
    primary_meta_server: leader.address,
    zookeeper_hosts: zk,
    zookeeper_root: root,
    meta_function_level: 'steady',
    balance_operation_count: '{"move_pri":"0","copy_pri":"0","copy_sec":"0","total":"0"}',
    primary_replica_count_stddev: '0.00',
    total_replica_count_stddev: '0.00',
  });
  test = await startTestHost('profiles-api');
  connectionId = await test.addConnection('pegasus-zk', zk);
});

afterAll(async () => {
  await test?.stop();
  await leader?.close();
  await follower?.close();
  kit?.close();
  await seeded?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
});

describe('cluster profiles API', () => {
  it('adds, lists, changes and removes a profile, each audited', async () => {
    const created = await test.api.pegasusProfiles.create.mutate({
      name: 'onebox',
      connectionId,
      clusterRoot: root,
      metaServers: [leader.address],
      tools: { shell: shellTool(), adminCli: null },
    });
    expect((await test.api.pegasusProfiles.list.query()).map((p) => p.name)).toContain('onebox');
    const changed = await test.api.pegasusProfiles.update.mutate({
      id: created.id,
      input: { ...created, name: 'onebox-main' },
    });
    expect(changed.name).toBe('onebox-main');
    expect(await test.api.pegasusProfiles.get.query({ id: created.id })).toEqual(changed);

    const refused = await rejectionOf(
      test.api.pegasusProfiles.remove.mutate({ id: created.id, confirmName: 'onebox' }),
    );
    expect(refused.message).toMatch(/type its name exactly: nothing was removed/);
    expect(
      await test.api.pegasusProfiles.remove.mutate({ id: created.id, confirmName: 'onebox-main' }),
    ).toEqual({
      removed: true,
    });
    const missing = await rejectionOf(test.api.pegasusProfiles.get.query({ id: created.id }));
    expect(missing.data?.code).toBe('NOT_FOUND');
    const actions = (await test.api.audit.list.query({ target: created.id })).map((event) => event.action);
    expect(actions).toEqual(['pegasus-profile.removed', 'pegasus-profile.changed', 'pegasus-profile.added']);
  });

  it('refuses bad input with messages that name the field', async () => {
    const bad = await rejectionOf(
      test.api.pegasusProfiles.create.mutate({
        name: 'bad',
        metaServers: ['meta-without-port'],
        clusterRoot: 'relative/root',
        tools: { shell: { kind: 'run.sh', pegasusDir: 'opt/pegasus' }, adminCli: null },
      }),
    );
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.fieldErrors).toMatchObject({
      'metaServers.0': 'Meta server "meta-without-port" must be host:port, e.g. 10.0.0.1:34601',
      clusterRoot: "Cluster root: 'relative/root' must start with '/'",
      'tools.shell.pegasusDir': 'Pegasus directory must be an absolute path (starting with /)',
    });
    const unknownConnection = await rejectionOf(
      test.api.pegasusProfiles.create.mutate({ name: 'ghost', connectionId: 'no-such-connection' }),
    );
    expect(unknownConnection.message).toMatch(/there is no saved connection no-such-connection/);
    await test.api.pegasusProfiles.create.mutate({ name: 'twin' });
    const twin = await rejectionOf(test.api.pegasusProfiles.create.mutate({ name: 'TWIN' }));
    expect(twin.data?.code).toBe('CONFLICT');
  });

  it('checks the tools: shell facts, meta HTTP, ZooKeeper root, and where they disagree', async () => {
    const profile = await test.api.pegasusProfiles.create.mutate({
      name: 'checked',
      connectionId,
      clusterRoot: root,
      metaServers: [leader.address],
      tools: { shell: shellTool(), adminCli: join(kit.dir, 'no-admin-cli') },
    });
    const result = await test.api.pegasusProfiles.check.mutate({ id: profile.id });
    const status = Object.fromEntries(result.items.map((item) => [item.id, item.status]));
    expect(status).toMatchObject({
      'shell-binary': 'ok',
      'shell-config': 'ok',
      'shell-cluster': 'ok',
      'admin-cli': 'fail',
      'meta-http': 'ok',
      zookeeper: 'ok',
    });
    expect(result.facts).toMatchObject({
      clusterName: 'onebox',
      zookeeperRoot: root,
      metaFunctionLevel: 'steady',
    });
    expect(result.metaHttpFacts?.primaryMetaServer).toBe(leader.address);
    expect(result.items.find((item) => item.id === 'admin-cli')?.message).toMatch(
      /was not found: set the admin-cli path in the cluster profile, or run the steps manually/,
    );
    expect(result.items.find((item) => item.id === 'zookeeper')?.message).toContain('3 tables');
    // The cluster agrees with the profile: no warnings.
    expect(result.items.filter((item) => item.id.startsWith('fact-'))).toEqual([]);
    expect(result.shellArgv).toEqual([FAKE_SHELL, kit.configPath, 'onebox']);

    // A profile with another root: the meta servers say where the cluster really is.
    const stale = await test.api.pegasusProfiles.check.mutate({
      input: {
        name: 'stale',
        connectionId,
        clusterRoot: `${root}-old`,
        metaServers: [leader.address],
        tools: { shell: shellTool(), adminCli: null },
      },
    });
    const staleItems = Object.fromEntries(stale.items.map((item) => [item.id, item]));
    expect(staleItems['fact-root']).toMatchObject({ status: 'warn' });
    expect(staleItems['fact-root']?.message).toBe(
      `The meta servers use ${root}, the profile says ${root}-old: fix the profile's cluster root`,
    );
    expect(staleItems.zookeeper?.status).toBe('fail');
    expect(staleItems['fact-two-clusters']).toBeUndefined();

    // Meta servers whose HTTP answer names another root than the shell's cluster: two clusters.
    const other = await startMetaHttpFixture();
    try {
      const mixed = await test.api.pegasusProfiles.check.mutate({
        input: { name: 'mixed', metaServers: [other.address], tools: { shell: shellTool(), adminCli: null } },
      });
      expect(mixed.items.find((item) => item.id === 'fact-two-clusters')?.message).toBe(
        `The shell's cluster uses ${root}, the meta servers' HTTP answer /pegasus/onebox/127.0.0.1: the shell config and the profile's meta servers may name different clusters`,
      );
    } finally {
      await other.close();
    }
    expect(staleItems.zookeeper?.message).toContain(`There is no node at ${root}-old`);
  });

  it('warns when the meta servers use another ZooKeeper ensemble than the profile', async () => {
    kit.writeScenario({
      zookeeperHosts: 'zk-new-1:2181,zk-new-2:2181',
      zookeeperRoot: root,
      metaServers: [leader.address],
    });
    try {
      const result = await test.api.pegasusProfiles.check.mutate({
        input: {
          name: 'moved',
          connectionId,
          clusterRoot: root,
          tools: { shell: shellTool(), adminCli: null },
        },
      });
      expect(result.items.find((item) => item.id === 'fact-zookeeper')).toMatchObject({
        status: 'warn',
        message: expect.stringMatching(
          new RegExp(
            `^The meta servers use ZooKeeper zk-new-1:2181,zk-new-2:2181, the connection 'pegasus-zk' points at ${zk}`,
          ),
        ),
      });
    } finally {
      kit.writeScenario({ zookeeperHosts: zk, zookeeperRoot: root, metaServers: [leader.address] });
    }
  });

  it('says when a follower redirects to a leader that is dead', async () => {
    const result = await test.api.pegasusProfiles.check.mutate({
      input: {
        name: 'follower-only',
        metaServers: [follower.address],
        tools: { shell: null, adminCli: null },
      },
    });
    const http = result.items.find((item) => item.id === 'meta-http');
    expect(http?.status).toBe('fail');
    expect(http?.message).toContain(
      `${follower.address} is a follower and redirects to 127.0.0.1:${deadPort}`,
    );
    expect(http?.message).toMatch(/The leader these followers name does not answer/);
    expect(result.items.find((item) => item.id === 'shell-binary')?.status).toBe('skipped');
  });

  it('reports a missing shell binary and an unlisted cluster name with the fix', async () => {
    const missing = await test.api.pegasusProfiles.check.mutate({
      input: {
        name: 'missing-shell',
        metaServers: [leader.address],
        tools: {
          shell: {
            kind: 'pegasus_shell',
            binary: join(kit.dir, 'bin', 'pegasus_shell'),
            config: kit.configPath,
            clusterName: 'nowhere',
          },
          adminCli: null,
        },
      },
    });
    const items = Object.fromEntries(missing.items.map((item) => [item.id, item]));
    expect(items['shell-binary']?.message).toBe(
      `${join(kit.dir, 'bin', 'pegasus_shell')} was not found: set the shell path in the cluster profile, or run the steps manually`,
    );
    expect(items['shell-config']?.message).toMatch(
      /nowhere is not listed under \[pegasus.clusters\] .* \(it lists onebox, tjsrv\)/,
    );
    expect(items['shell-cluster']?.status).toBe('skipped');
  });

  it('shows what the shell printed when cluster_info fails', async () => {
    kit.writeScenario({ unreachable: true });
    const result = await test.api.pegasusProfiles.check.mutate({
      input: { name: 'down', tools: { shell: shellTool(), adminCli: null } },
    });
    const cluster = result.items.find((item) => item.id === 'shell-cluster');
    expect(cluster?.status).toBe('fail');
    expect(cluster?.message).toMatch(/ERR_NETWORK_FAILURE/);
    expect(result.shellOutput).toContain('get cluster info failed, error=ERR_NETWORK_FAILURE');
    kit.writeScenario({ zookeeperHosts: zk, zookeeperRoot: root, metaServers: [leader.address] });
  });
});
