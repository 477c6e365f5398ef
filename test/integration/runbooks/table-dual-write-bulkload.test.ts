/**
 * Runbook `table-dual-write-bulkload` end to end through the Runner (issue 7 item 3): the source and
 * target clusters seeded on the real ZooKeeper, the shell fixture for the table envs and the bulk load
 * (--ingest_behind). Reconciliation passes are entered by the operator, recorded pass by pass, and
 * repeated while over the threshold. Fault: a target table created without ingest behind.
 */
import { describe, expect, inject, it } from 'vitest';
import { scenarioTables } from '../../setup/pegasus-shell-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerSourceTargetBench } from './runbook-bench';

const bench = registerSourceTargetBench({
  label: 'dualwrite',
  zk: inject('zkPrimary'),
  source: { profile: 'dw-src', seed: 2, tables: 2 },
  target: { profile: 'dw-dst', seed: 2, tables: 2 },
});

describe('table-dual-write-bulkload through the runner', () => {
  it('creates with ingest behind, loads behind the double writes, repeats reconciliation until under the threshold, flips reads', async () => {
    const table = bench.source.expected.tables[0]!;
    bench.kit.setScenario({
      tables: scenarioTables([{ appId: 7, name: 'moved', partitionCount: 8, maxReplicaCount: 3 }]),
    });
    const created = bench.runner.create('table-dual-write-bulkload', {
      profile: bench.sourceProfile,
      table: table.name,
      targetProfile: bench.targetProfile,
      waitMinutes: '1',
      targetTable: 'moved',
      partitionCount: '8',
      bulkLoadCluster: 'onebox',
      bulkLoadRoot: '/user/pegasus/bl',
    });
    bench.runner.start(created.id);
    let run = await bench.settled(created.id, 'the create step', waitsAt('create-target', 'confirm'));
    expect(stepOf(run, 'create-target').commands.map((command) => command.text)).toContain(
      'create moved -p 8 -e rocksdb.allow_ingest_behind=true',
    );
    bench.runner.confirm(created.id, { note: 'created on the target' });
    await bench.settled(created.id, 'async writes', waitsAt('dual-write-async'));
    bench.runner.confirm(created.id, { note: 'all writers double-write' });
    run = await bench.settled(created.id, 'backup and split', waitsAt('backup-and-split'));
    expect(stepOf(run, 'backup-and-split').commands.map((command) => command.text)).toEqual([
      `backup ${table.appId} hdfs_service`,
      `query-backup-status ${table.appId}`,
      '/user/pegasus/bl/onebox/moved',
    ]);
    bench.runner.confirm(created.id, { note: 'backup 1 split' });

    run = await bench.settled(created.id, 'the reconciliation', waitsAt('reconcile'));
    expect(bench.logOf(created.id, stepOf(run, 'start-bulk-load').index)).toContain(
      'start_bulk_load -a moved -c onebox -p hdfs_service -r /user/pegasus/bl -i',
    );
    expect(stepOf(run, 'wait-bulk-load').outcome!.summary).toBe('Bulk load of moved succeeded');
    expect(stepOf(run, 'usage-scenario-normal').outcome!.summary).toContain('rocksdb.usage_scenario=normal');

    bench.runner.confirm(created.id, { note: 'compared=1,000,000 mismatched=120 repaired=120' });
    run = await bench.settled(created.id, 'the first pass', failedAt('reconcile'));
    expect(stepOf(run, 'reconcile').outcome!.summary).toBe(
      'pass 1: 120 of 1000000 rows mismatched (99.988 % consistent), 120 repaired: over the threshold of 10 per million',
    );
    bench.runner.retry(created.id);
    await bench.settled(created.id, 'the second pass', waitsAt('reconcile'));
    expect(() => bench.runner.confirm(created.id, { note: 'about 5 left' })).not.toThrow();
    run = await bench.settled(created.id, 'the refused note', failedAt('reconcile'));
    expect(stepOf(run, 'reconcile').outcome!.summary).toContain('enter the pass in the note as: compared=');
    bench.runner.retry(created.id);
    await bench.settled(created.id, 'the second pass', waitsAt('reconcile'));
    bench.runner.confirm(created.id, { note: 'compared: 1000000 mismatched: 5 repaired: 5' });

    run = await bench.settled(created.id, 'sync writes', waitsAt('dual-write-sync'));
    const reconcile = stepOf(run, 'reconcile');
    expect(reconcile.outcome!.summary).toBe(
      'pass 2: 5 of 1000000 rows mismatched (99.9995 % consistent), 5 repaired: under the threshold after 2 passes',
    );
    expect((reconcile.result as { passes: unknown[] }).passes).toEqual([
      {
        pass: 1,
        compared: 1_000_000,
        mismatched: 120,
        repaired: 120,
        consistencyPercent: 99.988,
      },
      {
        pass: 2,
        compared: 1_000_000,
        mismatched: 5,
        repaired: 5,
        consistencyPercent: 99.9995,
      },
    ]);
    bench.runner.confirm(created.id, {});
    await bench.settled(created.id, 'the read flip', waitsAt('flip-reads', 'confirm-text'));
    bench.runner.confirm(created.id, { text: 'moved' });
    await bench.settled(created.id, 'the source stop', waitsAt('stop-source-writes'));
    bench.runner.confirm(created.id, { note: 'a week on the target' });
    run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    const report = bench.runner.report(created.id, 'markdown').content;
    expect(report).toContain('pass 1: 120 of 1000000 rows mismatched');
    expect(report).toContain('pass 2: 5 of 1000000 rows mismatched');
  }, 120_000);

  it('refuses a target table that exists without ingest behind', async () => {
    bench.kit.setScenario({});
    const created = bench.runner.create('table-dual-write-bulkload', {
      profile: bench.sourceProfile,
      table: bench.source.expected.tables[1]!.name,
      targetProfile: bench.targetProfile,
      waitMinutes: '1',
      targetTable: bench.target.expected.tables[1]!.name,
      bulkLoadRoot: '/user/pegasus/bl',
    });
    bench.runner.start(created.id);
    const run = await bench.settled(created.id, 'the refusal', failedAt('create-target'));
    expect(stepOf(run, 'create-target').outcome!.summary).toContain(
      'without rocksdb.allow_ingest_behind=true: a bulk load behind new writes is impossible',
    );
  }, 60_000);
});
