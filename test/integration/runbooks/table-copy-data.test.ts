/**
 * Runbook `table-copy-data` end to end through the Runner (issue 7 item 1): the source and target
 * clusters are seeded on the real ZooKeeper (table health, whether the target table exists), the
 * shell fixture replays copy_data's per-second progress lines and count_data. Faults: a copy that
 * dies with "error occurred, terminating", a target table that does not exist (manual create with the
 * chosen partition count), a target cluster missing from [pegasus.clusters].
 */
import { describe, expect, inject, it } from 'vitest';
import { scenarioTables } from '../../setup/pegasus-shell-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerSourceTargetBench } from './runbook-bench';

const bench = registerSourceTargetBench({
  label: 'copydata',
  zk: inject('zkPrimary'),
  source: { profile: 'src', seed: 3, tables: 2 },
  target: { profile: 'dst', seed: 4, tables: 2 },
});

function scenario(copyData: Record<string, unknown>) {
  return {
    tables: scenarioTables(bench.source.expected.tables),
    copyData,
  };
}

describe('table-copy-data through the runner', () => {
  it('copies with every option given, records the per-second progress and verifies by counts', async () => {
    const table = bench.source.expected.tables[0]!;
    const targetTable = bench.target.expected.tables[0]!.name;
    bench.kit.setScenario(scenario({ splits: 4, rowsPerSecond: [1000, 1500, 500], intervalMs: 30 }));
    const created = bench.runner.create('table-copy-data', {
      profile: bench.sourceProfile,
      table: table.name,
      targetCluster: 'tjsrv',
      targetTable,
      targetProfile: bench.targetProfile,
      maxBatchCount: '200',
      timeoutMs: '3000',
      hashKeyFilter: 'prefix',
      hashKeyPattern: 'user_',
      useMultiSet: 'yes',
      maxMultiSetConcurrency: '10',
      scanBatchSize: '100',
      noTtl: 'true',
      geo: 'true',
      verifyCounts: 'true',
    });
    bench.runner.start(created.id);
    let run = await bench.settled(created.id, 'the copy gate', waitsAt('confirm-copy', 'confirm-text'));
    expect(stepOf(run, 'precheck-source').outcome!.summary).toContain('4/4 partitions fully healthy');
    expect(stepOf(run, 'precheck-target-cluster').outcome!.summary).toContain(
      'tjsrv is listed in [pegasus.clusters]',
    );
    expect(stepOf(run, 'target-table').outcome!.summary).toContain(`${targetTable} exists on 'dst'`);
    bench.runner.confirm(created.id, { text: targetTable });

    // Filtered copy: the whole-table counts do not compare, so the verification is by hand.
    run = await bench.settled(created.id, 'the manual verification', waitsAt('verify-counts'));
    const copy = stepOf(run, 'copy-data');
    expect(bench.logOf(created.id, copy.index)).toContain(
      `copy_data -c tjsrv -a ${targetTable} -b 200 -t 3000 -h prefix -x user_ -m 10 -o 100 -e -g -u`,
    );
    expect(copy.result).toMatchObject({
      totalRows: 3000,
      splitCount: 4,
      seconds: 3,
      samples: [
        { s: 1, rows: 1000, delta: 1000 },
        { s: 2, rows: 2500, delta: 1500 },
        { s: 3, rows: 3000, delta: 500 },
      ],
    });
    expect(copy.progress).toMatchObject({ done: 4, total: 4, unit: 'splits' });
    // The chart's series went with the progress and stays in the step's record.
    expect(copy.progress?.series).toEqual({
      label: 'rows per second',
      unit: 'rows/s',
      tUnit: 's',
      points: [
        { t: 1, v: 1000 },
        { t: 2, v: 1500 },
        { t: 3, v: 500 },
      ],
    });
    expect(copy.outcome!.summary).toContain('3000 rows copied');
    expect(
      stepOf(run, 'verify-counts')
        .commands.map((command) => command.text)
        .join('\n'),
    ).toContain('count_data -c');
    bench.runner.confirm(created.id, { note: 'counted with the same filter' });
    run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    expect(bench.kit.store.events.list({ actionPrefix: 'pegasus.copy-data' })[0]).toMatchObject({
      detail: { outcome: 'done', totalRows: 3000 },
    });
  }, 120_000);

  it('verifies a whole-table copy by counting both sides', async () => {
    const table = bench.source.expected.tables[1]!;
    const targetTable = bench.target.expected.tables[1]!.name;
    bench.kit.setScenario(scenario({ splits: 2, rowsPerSecond: [700, 300], intervalMs: 20 }));
    const created = bench.runner.create('table-copy-data', {
      profile: bench.sourceProfile,
      table: table.name,
      targetCluster: 'tjsrv',
      targetTable,
      targetProfile: bench.targetProfile,
    });
    bench.runner.start(created.id);
    await bench.settled(created.id, 'the copy gate', waitsAt('confirm-copy'));
    bench.runner.confirm(created.id, { text: targetTable });
    const run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    expect(stepOf(run, 'verify-counts')).toMatchObject({
      state: 'succeeded',
      result: { sourceRows: 1000, targetRows: 1000, copiedRows: 1000 },
    });
  }, 120_000);

  it('asks to create a missing target table with the chosen partition count, and fails with the cause when the copy dies', async () => {
    const table = bench.source.expected.tables[0]!;
    bench.kit.setScenario(
      scenario({
        splits: 4,
        rowsPerSecond: [800, 800, 800, 800],
        intervalMs: 20,
        failAtSecond: 2,
        errorMessage: 'async set failed, error = ERR_BUSY',
      }),
    );
    const created = bench.runner.create('table-copy-data', {
      profile: bench.sourceProfile,
      table: table.name,
      targetCluster: 'tjsrv',
      targetTable: 'new_copy',
      targetProfile: bench.targetProfile,
      partitionCount: '16',
    });
    bench.runner.start(created.id);
    let run = await bench.settled(created.id, 'the create step', waitsAt('target-table', 'confirm'));
    const target = stepOf(run, 'target-table');
    expect(JSON.stringify(target.outcome)).toContain("new_copy does not exist on 'dst'");
    expect(target.commands.map((command) => command.text)).toContain('create new_copy -p 16');
    bench.runner.confirm(created.id, { note: 'created on tjsrv' });
    await bench.settled(created.id, 'the copy gate', waitsAt('confirm-copy'));
    bench.runner.confirm(created.id, { text: 'new_copy' });
    run = await bench.settled(created.id, 'the failed copy', failedAt('copy-data'));
    const copy = stepOf(run, 'copy-data');
    expect(copy.outcome!.summary).toBe(
      'copy_data terminated after 2 s and 1600 rows: async set failed, error = ERR_BUSY',
    );
    expect((copy.outcome as { hint?: string }).hint).toContain('replica.write_throttling');
    expect(copy.result).toMatchObject({ totalRows: 1600, samples: [{ s: 1 }, { s: 2 }] });
  }, 120_000);

  it('refuses a target cluster the shell config does not list', async () => {
    bench.kit.setScenario(scenario({}));
    const created = bench.runner.create('table-copy-data', {
      profile: bench.sourceProfile,
      table: bench.source.expected.tables[0]!.name,
      targetCluster: 'nowhere',
    });
    bench.runner.start(created.id);
    const run = await bench.settled(created.id, 'the refusal', failedAt('precheck-target-cluster'));
    expect(stepOf(run, 'precheck-target-cluster').outcome!.summary).toContain(
      'nowhere is not in [pegasus.clusters] of',
    );
  }, 60_000);
});
