/**
 * The table-hot-migration run view in a real Chromium (issue 7, "the run views have end-to-end
 * tests"): the source cluster and its MetaProxy root are seeded on the real primary ZooKeeper, the
 * duplication and its progress nodes are written there as the meta and the replicas would, the
 * Pegasus side is the shell fixture. The operator goes through the wizard and the run view by
 * clicking and typing: prechecks, dup add, the lag wait showing what it waits for, the deny gate,
 * the switch gate that needs the target typed, then Rollback, checked in ZooKeeper (the entry byte
 * for byte) and in the fixture's state (the deny env cleared). A second run meets a MetaProxy entry
 * someone else changed: the switch fails with the reason in the view and nothing is written.
 *
 * The wait steps poll every 10 s (production's interval, not a parameter): the test writes the
 * caught-up progress nodes as soon as the first poll shows the lag, so each run takes one poll.
 */
import { describe, expect, inject, it } from 'vitest';
import { metaProxyEntryJson } from '../fixtures/pegasus-cluster/payloads';
import type { SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import {
  FIRST_DUPID,
  HOT_TARGET as TARGET,
  HOT_TARGET_METAS as TARGET_METAS,
  seedHotMigrationCluster,
  writeDuplication,
} from '../setup/pegasus-live-cluster';
import { screenshot } from './browser-host';
import { registerDeskBench } from './runbook-desk-bench';
import {
  acknowledge,
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
  shellTables,
  showStep,
  startFromWizard,
  startRunbookDesk,
  stepRow,
  stepState,
  UI_MS,
} from './table-runbook-helpers';

const DENY_ENV = 'replica.deny_client_request';

let zkId = '';
const bench = registerDeskBench({
  label: 'e2e-hotmig',
  connectString: inject('zkPrimary'),
  open: (opened) =>
    startRunbookDesk(
      {},
      {
        setup: async (api) => {
          zkId = await addReadWriteConnection(api, 'zk', opened.connectString);
        },
      },
    ),
});

async function seed(name: string): Promise<SeededCluster> {
  const { zk, base, connectString } = bench;
  return bench.closeAtEnd(
    await seedHotMigrationCluster(zk, connectString, { base, name }, { seed: 7, tables: 2 }),
  );
}

function envsOf(table: string): Record<string, string> {
  return bench.desk.fixtureState().tables.find((candidate) => candidate.name === table)?.envs ?? {};
}

/** The wizard filled for `cluster`'s table, prechecks passed, the run started: returns its id. */
async function startHotRun(profile: string, table: string, proxyRoot: string): Promise<string> {
  const page = bench.desk.page;
  await openWizard(page, 'table-hot-migration');
  await choose(page, 'profile', profile);
  await fill(page, 'table', table);
  await fill(page, 'targetCluster', TARGET);
  await fill(page, 'targetMetas', TARGET_METAS);
  await choose(page, 'metaProxy', /^zk \(/);
  await fill(page, 'metaProxyRoot', proxyRoot);
  await fill(page, 'pendingThreshold', '100');
  // Bounded: a wait that never comes true fails its step after two minutes instead of hanging the test.
  await fill(page, 'waitMinutes', '2');
  await runPrechecks(page);
  // These profiles name no meta servers, so no replica server can be asked for the data version:
  // the precheck warns instead of passing, and the operator acknowledges it (checked by hand later).
  await expect(page.getByTestId('precheck-results').textContent()).resolves.toContain('Not checked here');
  await acknowledge(page, 'data_version checked by hand with curl');
  await page.locator('[data-testid="precheck-results"][data-state="paused"]').waitFor({ timeout: 60_000 });
  for (const row of await page.getByTestId('precheck-row').all()) {
    await expect(row.getAttribute('data-state')).resolves.toBe('succeeded');
  }
  return startFromWizard(page);
}

describe('table-hot-migration run view', () => {
  it('goes from the wizard through the lag wait, the deny and switch gates, then rolls back', async () => {
    const page = bench.desk.page;
    const cluster = await seed('c1');
    const table = cluster.expected.tables[0]!;
    const proxyPath = `${bench.base}/c1/proxy/${table.name}`;
    const before = await bench.zk.getData(proxyPath);
    bench.desk.setScenario({ tables: shellTables(cluster) });
    await addFixtureProfile(bench.desk, { name: 'hot-c1', connectionId: zkId, clusterRoot: cluster.root });

    const runId = await startHotRun('hot-c1', table.name, `${bench.base}/c1/proxy`);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(stepRow(page, 'precheck-source').textContent()).resolves.toContain(
      `${table.name} is app ${table.appId} with 4 partitions`,
    );
    await expect(stepRow(page, 'precheck-metaproxy').textContent()).resolves.toContain('onebox');
    // The data version was not checked here: its row says the warning was accepted, not a green pass.
    await expect(
      stepRow(page, 'precheck-data-version').getByTestId('step-state').textContent(),
    ).resolves.toBe('warning accepted');

    // The meta creates the duplication and the replicas confirm decrees 500 behind: over the threshold.
    await writeDuplication(bench.zk, cluster, 500);
    await confirmManual(page, 'check-clients', 'Java clients only, data_version 1 everywhere');
    await stepState(page, 'dup-add', 'succeeded');
    await expect(stepRow(page, 'dup-add').textContent()).resolves.toContain(
      `Duplication ${FIRST_DUPID} of ${table.name} to ${TARGET} added`,
    );
    const waiting = stepRow(page, 'wait-pending').getByTestId('step-waiting-for');
    await waiting.filter({ hasText: 'trail by more than 100 decrees' }).waitFor({ timeout: RUN_MS });
    const detail = await showStep(page, 'wait-pending');
    await expect(detail.getByTestId('step-waiting-for').textContent()).resolves.toContain('Waiting for:');
    await screenshot(page, 'hot-migration-lag-wait');

    // The target catches up: the next poll (10 s) lets the run on to the deny gate.
    await writeDuplication(bench.zk, cluster, 0);
    await stepState(page, 'wait-pending', 'succeeded');
    await expect(stepRow(page, 'wait-pending').textContent()).resolves.toContain(
      'all 4 partitions within 100 decrees',
    );
    await passGate(page, 'confirm-deny-writes', table.name, 'owners ready for the write stop');
    await stepState(page, 'deny-writes', 'succeeded');
    expect(envsOf(table.name)[DENY_ENV]).toBe('timeout*write');
    await stepState(page, 'wait-shipped', 'succeeded');
    await expect(stepRow(page, 'wait-shipped').textContent()).resolves.toContain(
      'all 4 partitions within 0 decrees',
    );

    // The switch gate: the target's name typed back; the entry is untouched until then.
    await stepState(page, 'confirm-switch', 'waiting-for-operator');
    const gate = await showStep(page, 'confirm-switch');
    await expect(gate.textContent()).resolves.toContain(`Type ${TARGET} to confirm`);
    expect((await bench.zk.getData(proxyPath)).data.equals(before.data)).toBe(true);
    await screenshot(page, 'hot-migration-switch-gate');
    await passGate(page, 'confirm-switch', TARGET);

    await stepState(page, 'switch-metaproxy', 'succeeded');
    await stepState(page, 'verify-cutover', 'waiting-for-operator');
    const after = await bench.zk.getData(proxyPath);
    expect(after.data.toString()).toBe(metaProxyEntryJson(TARGET, TARGET_METAS.split(',')));
    expect(after.stat.version).toBe(before.stat.version + 1);
    expect(envsOf(table.name)[DENY_ENV]).toBe('reconfig*all');
    await expect(stepRow(page, 'switch-metaproxy').textContent()).resolves.toContain(
      `now routes ${table.name} to`,
    );

    // Clients fail on the target: the operator rolls back from the run view.
    const rollback = page.getByTestId('run-rollback');
    await rollback.waitFor({ timeout: UI_MS });
    await expect(rollback.textContent()).resolves.toContain(
      'Route the table back to the source and allow writes there again',
    );
    await screenshot(page, 'hot-migration-rollback-offered');
    await rollback.click();
    const rollbacks = page.getByTestId('run-rollbacks');
    await rollbacks.filter({ hasText: '— succeeded' }).waitFor({ timeout: RUN_MS });
    await expect(rollbacks.textContent()).resolves.toContain('writes are accepted again');
    const restored = await bench.zk.getData(proxyPath);
    expect(restored.data.equals(before.data)).toBe(true);
    expect(envsOf(table.name)[DENY_ENV]).toBeUndefined();
    await screenshot(page, 'hot-migration-rolled-back');
  }, 180_000);

  it('refuses the switch when someone else changed the entry, shows why, and writes nothing', async () => {
    const page = bench.desk.page;
    const cluster = await seed('c2');
    const table = cluster.expected.tables[1]!;
    const proxyPath = `${bench.base}/c2/proxy/${table.name}`;
    const sourceValue = (await bench.zk.getData(proxyPath)).data;
    bench.desk.setScenario({ tables: shellTables(cluster) });
    await addFixtureProfile(bench.desk, { name: 'hot-c2', connectionId: zkId, clusterRoot: cluster.root });

    await startHotRun('hot-c2', table.name, `${bench.base}/c2/proxy`);
    // Already caught up: both waits pass at their first poll.
    await writeDuplication(bench.zk, cluster, 0, 1);
    await confirmManual(page, 'check-clients', 'checked the clients');
    await passGate(page, 'confirm-deny-writes', table.name);
    await stepState(page, 'confirm-switch', 'waiting-for-operator');

    // A colleague points the table elsewhere meanwhile.
    const theirs = Buffer.from(metaProxyEntryJson('c9srv', ['10.9.0.1:34601', '10.9.0.2:34601']));
    await bench.zk.setData(proxyPath, theirs, -1);
    const theirVersion = (await bench.zk.getData(proxyPath)).stat.version;
    await passGate(page, 'confirm-switch', TARGET);
    await runState(page, 'failed');
    await stepState(page, 'switch-metaproxy', 'failed');
    const detail = await showStep(page, 'switch-metaproxy');
    const outcome = detail.getByTestId('step-outcome');
    await expect(outcome.getAttribute('data-status')).resolves.toBe('failed');
    await expect(outcome.textContent()).resolves.toContain("not to 'onebox' as expected");
    await expect(detail.getByTestId('step-hint').textContent()).resolves.toContain('Nothing was written');
    await screenshot(page, 'hot-migration-switch-refused');

    const now = await bench.zk.getData(proxyPath);
    expect(now.data.equals(theirs)).toBe(true);
    expect(now.stat.version).toBe(theirVersion);
    expect(envsOf(table.name)[DENY_ENV]).toBe('timeout*write');

    // Rolling back now would route nobody: the route is not ours, so writes stay denied and it says why.
    await page.getByTestId('run-rollback').click();
    const rollbacks = page.getByTestId('run-rollbacks');
    await rollbacks.filter({ hasText: '— failed' }).waitFor({ timeout: RUN_MS });
    await expect(rollbacks.textContent()).resolves.toContain('writes on the source stay denied');
    expect((await bench.zk.getData(proxyPath)).data.equals(theirs)).toBe(true);
    expect(envsOf(table.name)[DENY_ENV]).toBe('timeout*write');
    expect(sourceValue.equals(theirs)).toBe(false);
  }, 180_000);
});
