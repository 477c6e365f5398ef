/**
 * Runbook `table-cold-backup` end to end through the Runner (issue 7 item 2): source and target
 * clusters seeded on the real ZooKeeper (health, partition counts, the restored table as the target
 * meta holds it), the admin-cli fixture for backup / query-backup-status / restore and the shell
 * fixture for the bulk load. Faults: a backup that fails, a bulk load that ends BLS_FAILED.
 */
import { describe, expect, inject, it } from 'vitest';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { FAKE_ADMIN_CLI, scenarioTables } from '../../setup/pegasus-shell-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerSourceTargetBench } from './runbook-bench';

const bench = registerSourceTargetBench({
  label: 'coldbak',
  zk: inject('zkPrimary'),
  source: { profile: 'cold-src', seed: 9, tables: 2 },
  target: { profile: 'cold-dst', seed: 9, tables: 3 },
  profile: { metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'], adminCli: FAKE_ADMIN_CLI },
});

function fixtureTables(cluster: SeededCluster, only?: string) {
  return scenarioTables(cluster.expected.tables.filter((table) => only === undefined || table.name === only));
}

describe('table-cold-backup through the runner', () => {
  it('limits the rate for 2.4, backs up, waits for completion, restores and checks the restored table', async () => {
    const table = bench.source.expected.tables[0]!;
    // The restored table, as the target meta holds it once the restore created it.
    const restored = bench.target.expected.tables[2]!;
    bench.kit.setScenario({ tables: fixtureTables(bench.source), backupQueriesToFinish: 2 });
    const created = bench.runner.create('table-cold-backup', {
      profile: bench.sourceProfile,
      table: table.name,
      clusterVersion: '2.4.1',
      sendRateMb: '40',
      method: 'restore',
      targetProfile: bench.targetProfile,
      backupWaitMinutes: '1',
      newTable: restored.name,
    });
    bench.runner.start(created.id);
    const run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    const limit = stepOf(run, 'rate-limit');
    expect(limit.outcome!.summary).toMatch(
      /^nfs\.max_send_rate_megabytes_per_disk = 40 MB\/s on all \d+ replica servers$/,
    );
    expect(bench.logOf(created.id, limit.index)).toContain(
      'remote_command -t replica-server nfs.max_send_rate_megabytes_per_disk 40',
    );
    const backup = stepOf(run, 'backup').result as { backupId: number };
    expect(bench.logOf(created.id, stepOf(run, 'backup').index)).toContain(
      `backup ${table.appId} hdfs_service`,
    );
    expect(stepOf(run, 'wait-backup').outcome!.summary).toContain(`Backup ${backup.backupId} completed`);
    expect(bench.logOf(created.id, stepOf(run, 'wait-backup').index)).toContain(
      `backup ${backup.backupId} is in progress`,
    );
    expect(bench.logOf(created.id, stepOf(run, 'restore').index)).toContain(
      `restore -c onebox -a ${table.name} -i ${table.appId} -t ${backup.backupId} -b hdfs_service -n ${restored.name}`,
    );
    expect(stepOf(run, 'verify-restore').outcome!.summary).toContain(
      `${restored.name} is app ${restored.appId}`,
    );
    const actions = bench.kit.store.events.list({ actionPrefix: 'pegasus.' }).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['pegasus.backup-started', 'pegasus.restore-started']));
  }, 120_000);

  it('picks the pre-2.4 key, and fails the wait with the retry guidance when the backup fails', async () => {
    const table = bench.source.expected.tables[1]!;
    // Told 2.3, the cluster is newer: its servers do not know the old key, and the step says so.
    bench.kit.setScenario({
      tables: fixtureTables(bench.source),
      backupQueriesToFinish: 1,
      backupFails: true,
      unknownRemoteCommands: ['nfs.max_send_rate_megabytes'],
    });
    const created = bench.runner.create('table-cold-backup', {
      profile: bench.sourceProfile,
      table: table.name,
      clusterVersion: '2.3',
      targetProfile: bench.targetProfile,
      backupWaitMinutes: '1',
    });
    bench.runner.start(created.id);
    let run = await bench.settled(created.id, 'the rate-limit warning', waitsAt('rate-limit', 'acknowledge'));
    const limit = stepOf(run, 'rate-limit');
    expect(bench.logOf(created.id, limit.index)).toContain(
      'remote_command -t replica-server nfs.max_send_rate_megabytes 50',
    );
    expect(limit.outcome!.summary).toMatch(
      /^nfs\.max_send_rate_megabytes = 50 MB\/s took on 0 of \d+ replica servers; \d+ did not \(.*unknown command 'nfs\.max_send_rate_megabytes'/,
    );
    expect(limit.outcome!.summary).toContain('2.4 renamed it');
    bench.runner.acknowledge(created.id, 'limit set by hand in config.ini');
    run = await bench.settled(created.id, 'the failed backup', failedAt('wait-backup'));
    const outcome = stepOf(run, 'wait-backup').outcome as { summary: string; hint?: string };
    expect(outcome.summary).toMatch(/^Backup \d+ of .* failed$/);
    expect(outcome.hint).toContain('Delete the partial backup');
  }, 120_000);

  it('bulk-loads after the offline split, and fails with the status when the bulk load fails', async () => {
    const table = bench.source.expected.tables[0]!;
    const loaded = bench.target.expected.tables[2]!;
    bench.kit.setScenario({
      tables: [...fixtureTables(bench.source), ...fixtureTables(bench.target, loaded.name)],
      backupQueriesToFinish: 1,
      bulkLoad: {
        statusSequence: ['BLS_DOWNLOADING', 'BLS_INGESTING', 'BLS_FAILED'],
        progressSequence: [40, 100, 100],
      },
    });
    const created = bench.runner.create('table-cold-backup', {
      profile: bench.sourceProfile,
      table: table.name,
      clusterVersion: '2.5.0',
      method: 'bulk-load',
      targetProfile: bench.targetProfile,
      backupWaitMinutes: '1',
      newTable: loaded.name,
      bulkLoadCluster: 'onebox',
      bulkLoadRoot: '/user/pegasus/bulk_load',
    });
    bench.runner.start(created.id);
    let run = await bench.settled(created.id, 'the offline split', waitsAt('offline-split'));
    expect(stepOf(run, 'rate-limit').state).toBe('succeeded');
    expect(stepOf(run, 'offline-split').commands[0]!.text).toContain(
      `output: /user/pegasus/bulk_load/onebox/${loaded.name}`,
    );
    bench.runner.confirm(created.id, { note: 'spark job done' });
    run = await bench.settled(created.id, 'the failed bulk load', failedAt('wait-bulk-load'));
    expect(stepOf(run, 'usage-scenario-bulk-load').outcome!.summary).toContain(
      'rocksdb.usage_scenario=bulk_load',
    );
    expect(bench.logOf(created.id, stepOf(run, 'start-bulk-load').index)).toContain(
      `start_bulk_load -a ${loaded.name} -c onebox -p hdfs_service -r /user/pegasus/bulk_load`,
    );
    const wait = stepOf(run, 'wait-bulk-load');
    expect(wait.outcome!.summary).toBe(`Bulk load of ${loaded.name} ended BLS_FAILED`);
    expect(bench.logOf(created.id, wait.index)).toContain('bulk load is BLS_DOWNLOADING');
    expect(wait.progress).toMatchObject({ done: 40, total: 100, unit: '%' });
  }, 120_000);
});
