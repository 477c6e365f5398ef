/**
 * Runbook `table-cold-backup` end to end through the Runner (issue 7 item 2): source and target
 * clusters seeded on the real ZooKeeper (health, partition counts, the restored table as the target
 * meta holds it), the admin-cli fixture for backup / query-backup-status / restore and the shell
 * fixture for the bulk load. Faults: a backup that fails, a bulk load that ends BLS_FAILED.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { quietClusterOptions, type SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { FAKE_ADMIN_CLI, FAKE_SHELL, scenarioTables } from '../../setup/pegasus-shell-kit';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connectZk,
  failedAt,
  makePegasusRunbookKit,
  type PegasusRunbookKit,
  seedLiveCluster,
  settled,
  stepOf,
  waitsAt,
} from './pegasus-runbook-kit';

const ZK = inject('zkPrimary');
const base = uniqueTestRoot('coldbak');

let zk: ZkSession;
let kit: PegasusRunbookKit;
let source: SeededCluster;
let target: SeededCluster;
let sourceProfile = '';
let targetProfile = '';

const seedOptions = (name: string, tables: number) =>
  quietClusterOptions({
    root: `${base}/${name}`,
    seed: 9,
    tables,
  });

function fixtureTables(cluster: SeededCluster, only?: string) {
  return scenarioTables(cluster.expected.tables.filter((table) => only === undefined || table.name === only));
}

function addProfile(name: string, cluster: SeededCluster, connectionId: string): string {
  return kit.store.pegasusProfiles.create(
    {
      name,
      connectionId,
      clusterRoot: cluster.root,
      metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'],
      tools: {
        shell: {
          kind: 'pegasus_shell',
          binary: FAKE_SHELL,
          config: kit.tools.configPath,
          clusterName: 'onebox',
        },
        adminCli: FAKE_ADMIN_CLI,
      },
    },
    'tester',
  ).id;
}

function logOf(runId: string, index: number): string {
  return kit.runner
    .output(runId, { index, limit: 5000 })
    .lines.map((line) => line.line)
    .join('\n');
}

beforeAll(async () => {
  zk = await connectZk(ZK);
  kit = makePegasusRunbookKit();
  const zkId = kit.addConnection('zk', ZK);
  source = await seedLiveCluster(zk, ZK, seedOptions('source', 2));
  target = await seedLiveCluster(zk, ZK, seedOptions('target', 3));
  sourceProfile = addProfile('cold-src', source, zkId);
  targetProfile = addProfile('cold-dst', target, zkId);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([source?.close(), target?.close()]);
  await kit?.close();
  await removeTree(zk, base).catch(() => undefined);
  await zk?.close();
}, 120_000);

describe('table-cold-backup through the runner', () => {
  it('limits the rate for 2.4, backs up, waits for completion, restores and checks the restored table', async () => {
    const table = source.expected.tables[0]!;
    // The restored table, as the target meta holds it once the restore created it.
    const restored = target.expected.tables[2]!;
    kit.setScenario({ tables: fixtureTables(source), backupQueriesToFinish: 2 });
    const created = kit.runner.create('table-cold-backup', {
      profile: sourceProfile,
      table: table.name,
      clusterVersion: '2.4.1',
      sendRateMb: '40',
      method: 'restore',
      targetProfile,
      backupWaitMinutes: '1',
      newTable: restored.name,
    });
    kit.runner.start(created.id);
    const run = await settled(kit.runner, created.id, 'the end', (view) => view.state === 'completed');
    const limit = stepOf(run, 'rate-limit');
    expect(limit.outcome!.summary).toMatch(
      /^nfs\.max_send_rate_megabytes_per_disk = 40 MB\/s on all \d+ replica servers$/,
    );
    expect(logOf(created.id, limit.index)).toContain(
      'remote_command -t replica-server nfs.max_send_rate_megabytes_per_disk 40',
    );
    const backup = stepOf(run, 'backup').result as { backupId: number };
    expect(logOf(created.id, stepOf(run, 'backup').index)).toContain(`backup ${table.appId} hdfs_service`);
    expect(stepOf(run, 'wait-backup').outcome!.summary).toContain(`Backup ${backup.backupId} completed`);
    expect(logOf(created.id, stepOf(run, 'wait-backup').index)).toContain(
      `backup ${backup.backupId} is in progress`,
    );
    expect(logOf(created.id, stepOf(run, 'restore').index)).toContain(
      `restore -c onebox -a ${table.name} -i ${table.appId} -t ${backup.backupId} -b hdfs_service -n ${restored.name}`,
    );
    expect(stepOf(run, 'verify-restore').outcome!.summary).toContain(
      `${restored.name} is app ${restored.appId}`,
    );
    const actions = kit.store.events.list({ actionPrefix: 'pegasus.' }).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['pegasus.backup-started', 'pegasus.restore-started']));
  }, 120_000);

  it('picks the pre-2.4 key, and fails the wait with the retry guidance when the backup fails', async () => {
    const table = source.expected.tables[1]!;
    // Told 2.3, the cluster is newer: its servers do not know the old key, and the step says so.
    kit.setScenario({
      tables: fixtureTables(source),
      backupQueriesToFinish: 1,
      backupFails: true,
      unknownRemoteCommands: ['nfs.max_send_rate_megabytes'],
    });
    const created = kit.runner.create('table-cold-backup', {
      profile: sourceProfile,
      table: table.name,
      clusterVersion: '2.3',
      targetProfile,
      backupWaitMinutes: '1',
    });
    kit.runner.start(created.id);
    let run = await settled(
      kit.runner,
      created.id,
      'the rate-limit warning',
      waitsAt('rate-limit', 'acknowledge'),
    );
    const limit = stepOf(run, 'rate-limit');
    expect(logOf(created.id, limit.index)).toContain(
      'remote_command -t replica-server nfs.max_send_rate_megabytes 50',
    );
    expect(limit.outcome!.summary).toMatch(
      /^nfs\.max_send_rate_megabytes = 50 MB\/s took on 0 of \d+ replica servers; \d+ did not \(.*unknown command 'nfs\.max_send_rate_megabytes'/,
    );
    expect(limit.outcome!.summary).toContain('2.4 renamed it');
    kit.runner.acknowledge(created.id, 'limit set by hand in config.ini');
    run = await settled(kit.runner, created.id, 'the failed backup', failedAt('wait-backup'));
    const outcome = stepOf(run, 'wait-backup').outcome as { summary: string; hint?: string };
    expect(outcome.summary).toMatch(/^Backup \d+ of .* failed$/);
    expect(outcome.hint).toContain('Delete the partial backup');
  }, 120_000);

  it('bulk-loads after the offline split, and fails with the status when the bulk load fails', async () => {
    const table = source.expected.tables[0]!;
    const loaded = target.expected.tables[2]!;
    kit.setScenario({
      tables: [...fixtureTables(source), ...fixtureTables(target, loaded.name)],
      backupQueriesToFinish: 1,
      bulkLoad: {
        statusSequence: ['BLS_DOWNLOADING', 'BLS_INGESTING', 'BLS_FAILED'],
        progressSequence: [40, 100, 100],
      },
    });
    const created = kit.runner.create('table-cold-backup', {
      profile: sourceProfile,
      table: table.name,
      clusterVersion: '2.5.0',
      method: 'bulk-load',
      targetProfile,
      backupWaitMinutes: '1',
      newTable: loaded.name,
      bulkLoadCluster: 'onebox',
      bulkLoadRoot: '/user/pegasus/bulk_load',
    });
    kit.runner.start(created.id);
    let run = await settled(kit.runner, created.id, 'the offline split', waitsAt('offline-split'));
    expect(stepOf(run, 'rate-limit').state).toBe('succeeded');
    expect(stepOf(run, 'offline-split').commands[0]!.text).toContain(
      `output: /user/pegasus/bulk_load/onebox/${loaded.name}`,
    );
    kit.runner.confirm(created.id, { note: 'spark job done' });
    run = await settled(kit.runner, created.id, 'the failed bulk load', failedAt('wait-bulk-load'));
    expect(stepOf(run, 'usage-scenario-bulk-load').outcome!.summary).toContain(
      'rocksdb.usage_scenario=bulk_load',
    );
    expect(logOf(created.id, stepOf(run, 'start-bulk-load').index)).toContain(
      `start_bulk_load -a ${loaded.name} -c onebox -p hdfs_service -r /user/pegasus/bulk_load`,
    );
    const wait = stepOf(run, 'wait-bulk-load');
    expect(wait.outcome!.summary).toBe(`Bulk load of ${loaded.name} ended BLS_FAILED`);
    expect(logOf(created.id, wait.index)).toContain('bulk load is BLS_DOWNLOADING');
    expect(wait.progress).toMatchObject({ done: 40, total: 100, unit: '%' });
  }, 120_000);
});
