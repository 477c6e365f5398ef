/**
 * The duplication runbook's wizard and run view in a real Chromium (issue 7 item 5, "the run views
 * have end-to-end tests"): a cluster with duplications seeded on the real primary ZooKeeper, the shell
 * fixture answering add_dup, query_dup and set_dup_fail_mode from the same state. Through the UI: an
 * add with a full checkpoint (the config warning acknowledged first); a pause the new duplication's
 * status does not allow, refused at the precheck with the reason and what to do, nothing sent; the
 * skip fail mode's data-loss warning shown before its gate is confirmed by typing the dupid.
 */
import { describe, expect, inject, it } from 'vitest';
import { duplicationInfoJson } from '../fixtures/pegasus-cluster/payloads';
import { quietClusterOptions, type SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { scenarioDuplications } from '../setup/pegasus-shell-kit';
import { screenshot } from './browser-host';
import { registerDeskBench } from './runbook-desk-bench';
import {
  acknowledge,
  addFixtureProfile,
  choose,
  fill,
  openWizard,
  passGate,
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

const ZK = inject('zkPrimary');
const REMOTE = 'tjsrv';

let cluster: SeededCluster;
/** The duplication the add test created (the shell fixture's dupid). */
let addedDupid = 0;

/** The seeded tables and their live duplications, as the shell fixture's state. */
function scenario() {
  const tables = cluster.expected.tables.filter((table) => table.status === 'available');
  return {
    tables: shellTables(cluster),
    remoteClusters: ['target-cluster', REMOTE],
    duplications: scenarioDuplications(tables),
  };
}

/** The table with no duplication: the one the add creates one for. */
function plainTable() {
  return cluster.expected.tables.find(
    (table) => table.status === 'available' && table.duplications.length === 0,
  )!;
}

async function fillDupRun(table: string, action: string, extra: { dupid?: number; failMode?: string } = {}) {
  const page = bench.desk.page;
  await openWizard(page, 'duplication');
  await choose(page, 'profile', 'dup-src');
  await fill(page, 'table', table);
  await choose(page, 'action', new RegExp(`^${action}$`));
  if (extra.dupid !== undefined) await fill(page, 'dupid', String(extra.dupid));
  if (extra.failMode) await choose(page, 'failMode', new RegExp(`^${extra.failMode}$`));
}

let zkId = '';
const bench = registerDeskBench({
  label: 'e2e-duprb',
  connectString: ZK,
  async open(opened) {
    cluster = await opened.seed(
      quietClusterOptions({ root: `${opened.base}/cluster`, seed: 5, tables: 3, duplicatedTables: 2 }),
    );
    return startRunbookDesk(scenario(), {
      setup: async (api) => {
        zkId = (await api.connections.create.mutate({ name: 'zk', connectString: ZK })).id;
      },
    });
  },
  // The wizard reads the cluster profiles when it opens: this one can come after the page.
  async afterOpen(opened) {
    await addFixtureProfile(opened.desk, { name: 'dup-src', connectionId: zkId, clusterRoot: cluster.root });
  },
});

describe('duplication run view', () => {
  it('adds a duplication with a full checkpoint once the config warning is acknowledged', async () => {
    const page = bench.desk.page;
    const table = plainTable();
    await fillDupRun(table.name, 'add');
    await fill(page, 'remoteCluster', REMOTE);
    await expect(page.getByTestId('param-checkpoint').isChecked()).resolves.toBe(true);
    await runPrechecks(page);
    // The meta servers' config cannot be read from here: a warning to acknowledge, with what to check.
    const config = page.locator('[data-testid="precheck-row"][data-step="precheck-config"]');
    await expect(config.textContent()).resolves.toContain(`${REMOTE} is listed in [pegasus.clusters]`);
    await expect(config.textContent()).resolves.toContain('[duplication-group]');
    await screenshot(page, 'duplication-add-config-warning');
    await acknowledge(page, 'meta servers list tjsrv and the duplication group');
    await startFromWizard(page);
    await runState(page, 'completed');

    await expect(stepRow(page, 'apply-action').textContent()).resolves.toContain(
      `of ${table.name} to ${REMOTE} added (checkpoint first`,
    );
    const apply = await showStep(page, 'apply-action');
    addedDupid = Number(await apply.getByTestId('step-result-dupid').getAttribute('data-value'));
    expect(addedDupid).toBeGreaterThan(0);
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain(
      `add_dup ${table.name} ${REMOTE} -s`,
    );
    await expect(stepRow(page, 'duplication-status').textContent()).resolves.toContain(
      `${addedDupid} DS_PREPARE`,
    );
    const added = bench.desk.fixtureState().duplications.find((dup) => dup.dupid === addedDupid);
    expect(added).toMatchObject({ table: table.name, remote: REMOTE, status: 'DS_PREPARE' });
    await screenshot(page, 'duplication-added');
  }, 90_000);

  it('refuses to pause a duplication that is still preparing its checkpoint, with the reason, sending nothing', async () => {
    const page = bench.desk.page;
    const table = plainTable();
    expect(addedDupid).toBeGreaterThan(0);
    // The meta writes the new duplication's node: DS_PREPARE while the replicas prepare the checkpoint.
    const dupDir = `${cluster.root}/apps/${table.appId}/duplication`;
    await bench.zk.create(dupDir, Buffer.alloc(0)).catch((error: { code?: string }) => {
      if (error.code !== 'NODE_EXISTS') throw error;
    });
    const info = duplicationInfoJson({
      remote: REMOTE,
      status: 'DS_PREPARE',
      createTimestampMs: addedDupid * 1000,
    });
    await bench.zk.create(`${dupDir}/${addedDupid}`, Buffer.from(info));

    await fillDupRun(table.name, 'pause', { dupid: addedDupid });
    await runPrechecks(page, 'failed');
    const row = page.locator('[data-testid="precheck-row"][data-step="precheck-duplication"]');
    await expect(row.getAttribute('data-state')).resolves.toBe('failed');
    await expect(row.textContent()).resolves.toContain(
      'Cannot pause: the replicas are still preparing the checkpoint for the full copy (DS_PREPARE)',
    );
    await expect(row.getByTestId('precheck-hint').textContent()).resolves.toContain(
      'Wait until the status is DS_LOG',
    );
    await page.getByTestId('precheck-blocked').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('wizard-start').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'duplication-pause-refused');
    // Nothing reached the meta: the duplication is still preparing.
    const dup = bench.desk.fixtureState().duplications.find((candidate) => candidate.dupid === addedDupid);
    expect(dup?.status).toBe('DS_PREPARE');
  }, 60_000);

  it('shows the skip fail mode’s data-loss warning before its gate takes the dupid typed back', async () => {
    const page = bench.desk.page;
    // The running duplication (DS_LOG, FAIL_SLOW): a stuck one is where an operator reaches for skip.
    const table = cluster.expected.tables.find((candidate) =>
      candidate.duplications.some((dup) => dup.statusRaw === 'DS_LOG'),
    )!;
    const dup = table.duplications.find((candidate) => candidate.statusRaw === 'DS_LOG')!;
    expect(dup.failMode).toBe('FAIL_SLOW');
    await fillDupRun(table.name, 'set-fail-mode', { dupid: dup.dupid, failMode: 'skip' });
    await runPrechecks(page);
    const row = page.locator('[data-testid="precheck-row"][data-step="precheck-duplication"]');
    await expect(row.textContent()).resolves.toContain('FAIL_SKIP loses data on the follower');
    await startFromWizard(page);

    await stepState(page, 'confirm-action', 'waiting-for-operator');
    // While the gate waits, the warning is on screen and the fail mode is unchanged.
    await expect(stepRow(page, 'precheck-duplication').textContent()).resolves.toContain(
      'the follower silently diverges',
    );
    const before = bench.desk.fixtureState().duplications.find((candidate) => candidate.dupid === dup.dupid);
    expect(before?.failMode).toBe('FAIL_SLOW');
    const gate = await showStep(page, 'confirm-action');
    await expect(gate.textContent()).resolves.toContain(`Type ${dup.dupid} to confirm`);
    // The gate itself says which danger applies: this one loses data on the follower.
    await expect(gate.getByTestId('awaiting-form').textContent()).resolves.toContain(
      `set duplication ${dup.dupid} of ${table.name} to FAIL_SKIP`,
    );
    await expect(gate.getByTestId('awaiting-form').textContent()).resolves.toContain('(data loss)');
    await screenshot(page, 'duplication-skip-gate');
    await passGate(page, 'confirm-action', String(dup.dupid), 'stuck on a poisoned mutation, loss accepted');
    await runState(page, 'completed');
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain(
      `set_dup_fail_mode ${table.name} ${dup.dupid} skip`,
    );
    const after = bench.desk.fixtureState().duplications.find((candidate) => candidate.dupid === dup.dupid);
    expect(after?.failMode).toBe('FAIL_SKIP');
  }, 90_000);
});
