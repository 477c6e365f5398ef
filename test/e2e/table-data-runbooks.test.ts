/**
 * The run views of the data-moving Pegasus runbooks in a real Chromium (issue 7, "the run views have
 * end-to-end tests"): table-copy-data, table-cold-backup (restore) and table-dual-write-bulkload.
 * Source and target clusters are seeded on the real primary ZooKeeper; the Pegasus side is the shell
 * and admin-cli fixtures, whose scenario the browser host gets in its environment. The operator goes
 * through the wizard and the run view by clicking and typing:
 *  - copy_data: the progress bar moves and the rows-per-second chart fills while the copy runs (read
 *    in the page every 40 ms, so the test sees what the operator saw), the chart stays after it
 *    finished, the counts verify; a copy that dies with "error occurred, terminating" shows the
 *    shell's cause and the retry guidance, and the chart up to where it stopped;
 *  - cold backup: the upload rate limited through the shell, backup, its wait, restore, the restored
 *    table healthy;
 *  - dual-write: the manual phases, the bulk load with --ingest_behind, then reconciliation passes
 *    entered as figures in their form (consistency shown before recording), one over the threshold
 *    (the step fails and is retried), one under it, on to the read flip and the end.
 * Every wait is bounded and waits for a state. Screenshots land in test-artifacts/e2e/.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { quietClusterOptions, type SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { scenarioTables } from '../setup/pegasus-shell-kit';
import { screenshot } from './browser-host';
import { registerDeskBench } from './runbook-desk-bench';
import {
  addFixtureProfile,
  addReadWriteConnection,
  choose,
  confirmManual,
  fill,
  openWizard,
  passGate,
  RUN_MS,
  runPrechecks,
  runState,
  setSwitch,
  shellTables,
  showStep,
  startFromWizard,
  startRunbookDesk,
  stepState,
  UI_MS,
} from './table-runbook-helpers';

const META_SERVERS = ['127.0.0.1:34601', '127.0.0.1:34602'];
/** copy_data's per-second lines, one every COPY_TICK_MS: long enough to watch the bar and chart move. */
const COPY_RATES = [900, 1200, 1500, 1100, 400, 1300, 1600, 1400, 1000, 1200, 800, 600];
const COPY_TICK_MS = 350;

let source: SeededCluster;
let target: SeededCluster;

const bench = registerDeskBench({
  label: 'e2e-tabledata',
  connectString: inject('zkPrimary'),
  async open(opened) {
    const seed = (name: string, tables: number, seedValue: number) =>
      opened.seed(
        quietClusterOptions({
          root: `${opened.base}/${name}`,
          clusterName: 'onebox',
          seed: seedValue,
          tables,
        }),
      );
    source = await seed('source', 2, 21);
    target = await seed('target', 3, 22);
    return startRunbookDesk({ scenario: { tables: shellTables(source) } });
  },
  async afterOpen(opened) {
    const zkId = await addReadWriteConnection(opened.desk.api, 'zk', opened.connectString);
    const profile = (name: string, cluster: SeededCluster) =>
      addFixtureProfile(opened.desk, {
        name,
        connectionId: zkId,
        clusterRoot: cluster.root,
        metaServers: META_SERVERS,
        adminCli: true,
      });
    await profile('copy-src', source);
    await profile('copy-dst', target);
  },
});

interface ViewSample {
  state: string;
  percent: number | null;
  counts: string;
  chartPoints: number;
  chartLive: string;
}

/**
 * Reads the copy step's detail (progress bar, chart) in the page itself every 40 ms while the copy
 * runs, so the test sees what the operator saw without racing the run; read back after it finished.
 */
async function recordCopyView(): Promise<void> {
  await bench.desk.page.evaluate(() => {
    const samples: ViewSample[] = [];
    const timer = setInterval(() => {
      const detail = document.querySelector('[data-testid="step-detail"][data-step="copy-data"]');
      if (!detail) return;
      const bar = detail.querySelector('[data-testid="step-progress-bar"]');
      const chart = detail.querySelector('[data-testid="step-rate-chart"]');
      const percent = bar?.getAttribute('data-percent');
      samples.push({
        state: detail.getAttribute('data-state') ?? '',
        percent: percent ? Number(percent) : null,
        counts: detail.querySelector('[data-testid="step-progress-counts"]')?.textContent ?? '',
        chartPoints: Number(chart?.getAttribute('data-points') ?? 0),
        chartLive: chart?.getAttribute('data-source') ?? '',
      });
    }, 40);
    Object.assign(window, { copyRecorder: { samples, timer } });
  });
}

async function stopRecording(): Promise<ViewSample[]> {
  return bench.desk.page.evaluate(() => {
    const recorder = (window as unknown as { copyRecorder: { samples: ViewSample[]; timer: number } })
      .copyRecorder;
    clearInterval(recorder.timer);
    return recorder.samples;
  });
}

/** The copy-data wizard filled for `table` into `targetTable` on tjsrv, prechecks passed, started. */
async function startCopyRun(table: string, targetTable: string, verifyCounts: boolean): Promise<string> {
  const page = bench.desk.page;
  await openWizard(page, 'table-copy-data');
  await choose(page, 'profile', 'copy-src');
  await fill(page, 'table', table);
  await fill(page, 'targetCluster', 'tjsrv');
  await fill(page, 'targetTable', targetTable);
  // The target profile is typed by name: the operator may have none for the target.
  await fill(page, 'targetProfile', 'copy-dst');
  await setSwitch(page, 'verifyCounts', verifyCounts);
  await runPrechecks(page);
  for (const row of await page.getByTestId('precheck-row').all()) {
    await expect(row.getAttribute('data-state')).resolves.toBe('succeeded');
  }
  return startFromWizard(page);
}

// A failed test leaves the page as it was, to see which step stood where.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await screenshot(bench.desk.page, `table-data-failed-${name}`).catch(() => undefined);
  }
});

describe('table-copy-data run view', () => {
  it('shows the progress bar moving and the rows-per-second chart filling, then verifies by counts', async () => {
    const page = bench.desk.page;
    const table = source.expected.tables[0]!.name;
    const targetTable = target.expected.tables[0]!.name;
    bench.desk.setScenario({
      tables: shellTables(source),
      copyData: { splits: 4, rowsPerSecond: COPY_RATES, intervalMs: COPY_TICK_MS },
    });
    const runId = await startCopyRun(table, targetTable, true);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const targetStep = await showStep(page, 'target-table');
    await expect(targetStep.getByTestId('step-outcome').textContent()).resolves.toContain(
      `${targetTable} exists on 'copy-dst'`,
    );

    // The gate wants the target table typed; then the copy starts and the detail follows it.
    await passGate(page, 'confirm-copy', targetTable);
    await recordCopyView();
    await showStep(page, 'copy-data');
    await page
      .locator('[data-testid="step-detail"][data-step="copy-data"] [data-testid="step-rate-chart"]')
      .waitFor({ timeout: RUN_MS });
    await screenshot(page, 'table-copy-data-running');
    await stepState(page, 'copy-data', 'succeeded');
    const seen = await stopRecording();

    const running = seen.filter((sample) => sample.state === 'running');
    const percents = [
      ...new Set(running.flatMap((sample) => (sample.percent === null ? [] : [sample.percent]))),
    ];
    // The bar moved through several values on the way (splits done of 4), never past 100 %.
    expect(percents.length).toBeGreaterThanOrEqual(2);
    for (const percent of percents) {
      expect(percent).toBeGreaterThanOrEqual(0);
      expect(percent).toBeLessThanOrEqual(100);
    }
    expect(running.some((sample) => /rows in the last second/.test(sample.counts))).toBe(true);
    // The chart grew while the copy ran, from the live series.
    const livePoints = running.filter((sample) => sample.chartLive === 'progress').map((s) => s.chartPoints);
    expect(livePoints.length).toBeGreaterThan(0);
    expect(Math.max(...livePoints)).toBeGreaterThan(Math.min(...livePoints));

    await runState(page, 'completed');
    const copy = await showStep(page, 'copy-data');
    const total = COPY_RATES.reduce((sum, rate) => sum + rate, 0);
    await expect(copy.getByTestId('step-outcome').textContent()).resolves.toContain(`${total} rows copied`);
    // The finished step keeps its chart: one point per second of the copy.
    const chart = copy.getByTestId('step-rate-chart');
    await expect(chart.getAttribute('data-points')).resolves.toBe(String(COPY_RATES.length));
    await expect(chart.getAttribute('data-last')).resolves.toBe(String(COPY_RATES.at(-1)));
    await expect(chart.locator('.recharts-area-curve').count()).resolves.toBe(1);
    await expect(copy.getByTestId('step-rate-chart-summary').textContent()).resolves.toContain(
      'peak 1,600 rows/s',
    );
    await screenshot(page, 'table-copy-data-done');
    const verify = await showStep(page, 'verify-counts');
    await expect(verify.getByTestId('step-result-sourceRows').getAttribute('data-value')).resolves.toBe(
      String(total),
    );
    await expect(verify.getByTestId('step-result-targetRows').getAttribute('data-value')).resolves.toBe(
      String(total),
    );
  });

  it('a copy that dies shows the shell’s cause, the retry guidance and the chart up to the failure', async () => {
    const page = bench.desk.page;
    const table = source.expected.tables[1]!.name;
    const targetTable = target.expected.tables[1]!.name;
    bench.desk.setScenario({
      tables: shellTables(source),
      copyData: {
        splits: 4,
        rowsPerSecond: [800, 800, 800, 800, 800, 800],
        intervalMs: 100,
        failAtSecond: 3,
        errorMessage: 'async set failed, error = ERR_BUSY',
      },
    });
    await startCopyRun(table, targetTable, false);
    await passGate(page, 'confirm-copy', targetTable);
    await stepState(page, 'copy-data', 'failed');
    await runState(page, 'failed');
    const copy = await showStep(page, 'copy-data');
    await expect(copy.getByTestId('step-outcome').getAttribute('data-status')).resolves.toBe('failed');
    await expect(copy.getByTestId('step-outcome').textContent()).resolves.toContain(
      'copy_data terminated after 3 s and 2400 rows: async set failed, error = ERR_BUSY',
    );
    const hint = (await copy.getByTestId('step-hint').textContent()) ?? '';
    expect(hint).toContain('What to do:');
    expect(hint).toContain('replica.write_throttling');
    expect(hint).toContain('retrying from the start is safe');
    await expect(copy.getByTestId('step-rate-chart').getAttribute('data-points')).resolves.toBe('3');
    // The run offers the retry the hint talks about.
    await page.getByTestId('run-retry').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain('error occurred');
    await screenshot(page, 'table-copy-data-failed');
  });
});

describe('table-cold-backup run view', () => {
  it('limits the upload rate, backs up, waits, restores and checks the restored table', async () => {
    const page = bench.desk.page;
    const table = source.expected.tables[0]!;
    const restored = target.expected.tables[2]!;
    bench.desk.setScenario({ tables: shellTables(source), backupQueriesToFinish: 1 });
    await openWizard(page, 'table-cold-backup');
    await choose(page, 'profile', 'copy-src');
    await fill(page, 'table', table.name);
    await fill(page, 'clusterVersion', '2.4.1');
    await fill(page, 'sendRateMb', '40');
    await choose(page, 'method', 'restore');
    await choose(page, 'targetProfile', 'copy-dst');
    await fill(page, 'newTable', restored.name);
    await fill(page, 'backupWaitMinutes', '2');
    await runPrechecks(page);
    await startFromWizard(page);

    // The shell sets the limit on every replica server (remote_command) before the backup starts.
    await stepState(page, 'rate-limit', 'succeeded');
    const limit = await showStep(page, 'rate-limit');
    await expect(limit.getByTestId('step-outcome').textContent()).resolves.toContain(
      'nfs.max_send_rate_megabytes_per_disk = 40 MB/s',
    );
    for (const step of ['backup', 'wait-backup', 'restore', 'verify-restore']) {
      await stepState(page, step, 'succeeded');
    }
    await runState(page, 'completed');
    const backup = await showStep(page, 'backup');
    const backupId = await backup.getByTestId('step-result-backupId').getAttribute('data-value');
    expect(backupId).toMatch(/^\d+$/);
    const wait = await showStep(page, 'wait-backup');
    await expect(wait.getByTestId('step-outcome').textContent()).resolves.toContain(
      `Backup ${backupId} completed`,
    );
    await showStep(page, 'restore');
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain(
      `restore -c onebox -a ${table.name} -i ${table.appId} -t ${backupId} -b hdfs_service -n ${restored.name}`,
    );
    const verify = await showStep(page, 'verify-restore');
    await expect(verify.getByTestId('step-outcome').textContent()).resolves.toContain(
      `${restored.name} is app ${restored.appId}`,
    );
    await screenshot(page, 'table-cold-backup-restored');
  });
});

describe('table-dual-write-bulkload run view', () => {
  it('enters reconciliation passes as figures until under the threshold, then flips reads', async () => {
    const page = bench.desk.page;
    const table = source.expected.tables[1]!;
    bench.desk.setScenario({
      tables: scenarioTables([{ appId: 7, name: 'moved', partitionCount: 8, maxReplicaCount: 3 }]),
      bulkLoad: { statusSequence: ['BLS_SUCCEED'], progressSequence: [100] },
    });
    await openWizard(page, 'table-dual-write-bulkload');
    await choose(page, 'profile', 'copy-src');
    await fill(page, 'table', table.name);
    await choose(page, 'targetProfile', 'copy-dst');
    await fill(page, 'targetTable', 'moved');
    await fill(page, 'partitionCount', '8');
    await fill(page, 'bulkLoadCluster', 'onebox');
    await fill(page, 'bulkLoadRoot', '/user/pegasus/bl');
    await fill(page, 'maxMismatchPpm', '10');
    await fill(page, 'waitMinutes', '2');
    await runPrechecks(page);
    await startFromWizard(page);

    await stepState(page, 'create-target', 'waiting-for-operator');
    const create = await showStep(page, 'create-target');
    await expect(create.textContent()).resolves.toContain(
      'create moved -p 8 -e rocksdb.allow_ingest_behind=true',
    );
    await confirmManual(page, 'create-target', 'created on the target');
    await confirmManual(page, 'dual-write-async', 'all writers double-write');
    await confirmManual(page, 'backup-and-split', 'backup 1, split done');
    await stepState(page, 'reconcile', 'waiting-for-operator');
    const bulk = await showStep(page, 'wait-bulk-load');
    await expect(bulk.getByTestId('step-outcome').textContent()).resolves.toContain(
      'Bulk load of moved succeeded',
    );

    // Pass 1: the form shows the consistency and that it is over the threshold before recording.
    let reconcile = await showStep(page, 'reconcile');
    const record = reconcile.getByTestId('reconcile-record');
    await expect(record.isDisabled()).resolves.toBe(true);
    await reconcile.getByTestId('reconcile-compared').fill('1,000,000');
    await reconcile.getByTestId('reconcile-mismatched').fill('1000001');
    await reconcile.getByTestId('reconcile-repaired').fill('0');
    await expect(reconcile.getByTestId('reconcile-problem').textContent()).resolves.toBe(
      'Mismatched (1000001) is more than compared (1000000)',
    );
    await expect(record.isDisabled()).resolves.toBe(true);
    await reconcile.getByTestId('reconcile-mismatched').fill('120');
    await reconcile.getByTestId('reconcile-repaired').fill('120');
    const consistency = reconcile.getByTestId('reconcile-consistency');
    await expect(consistency.getAttribute('data-under')).resolves.toBe('no');
    await expect(consistency.textContent()).resolves.toContain('99.988 %');
    await screenshot(page, 'table-dual-write-pass-form');
    await record.click();

    await stepState(page, 'reconcile', 'failed');
    reconcile = await showStep(page, 'reconcile');
    await expect(reconcile.getByTestId('step-outcome').textContent()).resolves.toContain(
      'pass 1: 120 of 1000000 rows mismatched (99.988 % consistent), 120 repaired: over the threshold of 10 per million',
    );
    await expect(reconcile.getByTestId('step-hint').textContent()).resolves.toContain(
      'Run another reconciliation pass',
    );
    await expect(reconcile.getByTestId('reconcile-passes').getAttribute('data-count')).resolves.toBe('1');

    // Pass 2 after another reconciliation run: retry the step, enter it, under the threshold.
    await page.getByTestId('run-retry').click();
    await stepState(page, 'reconcile', 'waiting-for-operator');
    reconcile = await showStep(page, 'reconcile');
    await reconcile.getByTestId('reconcile-compared').fill('1000000');
    await reconcile.getByTestId('reconcile-mismatched').fill('5');
    await reconcile.getByTestId('reconcile-repaired').fill('5');
    await expect(reconcile.getByTestId('reconcile-consistency').getAttribute('data-under')).resolves.toBe(
      'yes',
    );
    await expect(reconcile.getByTestId('reconcile-consistency').textContent()).resolves.toContain(
      '99.9995 %',
    );
    await reconcile.getByTestId('confirm-note').fill('second pass, job 42');
    await reconcile.getByTestId('reconcile-record').click();
    await stepState(page, 'reconcile', 'succeeded');
    reconcile = await showStep(page, 'reconcile');
    await expect(reconcile.getByTestId('step-outcome').textContent()).resolves.toContain(
      'pass 2: 5 of 1000000 rows mismatched (99.9995 % consistent), 5 repaired: under the threshold after 2 passes',
    );
    await expect(reconcile.getByTestId('reconcile-passes').getAttribute('data-count')).resolves.toBe('2');
    const rows = reconcile.getByTestId('reconcile-pass-row');
    await expect(rows.nth(0).textContent()).resolves.toContain('99.988 %');
    await expect(rows.nth(1).textContent()).resolves.toContain('99.9995 %');
    await screenshot(page, 'table-dual-write-passes');

    await confirmManual(page, 'dual-write-sync', 'sync double writes everywhere');
    await passGate(page, 'flip-reads', 'moved');
    await confirmManual(page, 'stop-source-writes', 'a week of reads on the target');
    await runState(page, 'completed');
  });
});
