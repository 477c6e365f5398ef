/**
 * Cluster profiles in a real Chromium against the real browser host: from the Pegasus view of a
 * cluster seeded into a real ZooKeeper, open "Cluster profiles", add one prefilled with the
 * connection and the detected root, with the Pegasus shell fixture as its pegasus_shell; "Check
 * tools" shows the facts the fixture's cluster_info printed; a missing binary shows what to do;
 * bad input is refused on its field; removal needs the name typed. Screenshots in test-artifacts/e2e/.
 */
import { describe, expect, inject, it } from 'vitest';
import { type MetaHttpFixture, startMetaHttpFixture } from '../fixtures/meta-http-fixture';
import { createToolKit, FAKE_SHELL, type ToolKit } from '../setup/pegasus-shell-kit';
import { screenshot } from './browser-host';
import { openPegasusView, registerPegasusPageBench } from './pegasus-page-bench';

const zk = inject('zkPrimary');

let metaHttp: MetaHttpFixture;
let kit: ToolKit;

const bench = registerPegasusPageBench({
  label: 'e2e-profiles',
  connectString: zk,
  connectionName: 'profiles-zk',
  cluster: 'pegasus/onebox',
  seed: { seed: 5, tables: 4, partitions: 4, droppedTables: 0 },
  async prepare({ root, closeAtEnd }) {
    metaHttp = closeAtEnd(await startMetaHttpFixture());
    // The shell fixture's cluster_info and the meta HTTP fixture describe the same cluster, as the real
    // leader would over both.
    kit = closeAtEnd(
      createToolKit({
        clusterName: 'onebox',
        zookeeperHosts: zk,
        zookeeperRoot: root,
        metaServers: [metaHttp.address],
        metaLevel: 'lively',
      }),
    );
    metaHttp.setCluster({
      meta_servers: metaHttp.address,
      primary_meta_server: metaHttp.address,
      zookeeper_hosts: zk,
      zookeeper_root: root,
      meta_function_level: 'lively',
      balance_operation_count: '{"move_pri":"0","copy_pri":"0","copy_sec":"0","total":"0"}',
      primary_replica_count_stddev: '0.00',
      total_replica_count_stddev: '0.00',
    });
  },
  page: { width: 1500, height: 1000 },
});

const drawer = () => bench.page.getByTestId('profiles-drawer');
const form = () => bench.page.getByTestId('profile-form');

describe('cluster profiles in Chromium', () => {
  it('opens the profiles from the Pegasus view of a cluster, empty at first', async () => {
    await openPegasusView(bench, 'profiles-zk');
    await bench.page.getByTestId('pegasus-cluster-profiles').click();
    await drawer().getByTestId('empty-state').waitFor();
    expect(await drawer().getByTestId('empty-state').textContent()).toContain('No cluster profiles yet');
    await screenshot(bench.page, 'profiles-01-empty');
  });

  it('adds a profile prefilled with the connection and root, checking the tools before saving', async () => {
    await bench.page.getByTestId('profile-add-empty').click();
    await bench.page.getByTestId('profile-name').waitFor();
    expect(await bench.page.getByTestId('profile-name').inputValue()).toBe('onebox');
    expect(await bench.page.getByTestId('profile-clusterRoot').inputValue()).toBe(bench.root);
    expect(await bench.page.getByTestId('profile-connectionId').inputValue()).toBe('profiles-zk');

    // Bad input is refused on the field, with what to type.
    await bench.page.getByTestId('profile-metaServers').fill('meta-without-port');
    await bench.page.getByTestId('profile-save').click();
    const metaError = form().getByTestId('form-error').first();
    await metaError.waitFor();
    expect(await metaError.textContent()).toBe(
      'Meta server "meta-without-port" must be host:port, e.g. 10.0.0.1:34601',
    );

    await bench.page.getByTestId('profile-metaServers').fill(metaHttp.address);
    await form().getByText('pegasus_shell + config').click();
    await bench.page.getByTestId('profile-shellBinary').fill(FAKE_SHELL);
    await bench.page.getByTestId('profile-shellConfig').fill(kit.configPath);
    await bench.page.getByTestId('profile-shellClusterName').fill('onebox');
    await bench.page.getByTestId('profile-form-check').click();
    const result = form().getByTestId('profile-check-result');
    await result.waitFor({ timeout: 45_000 });
    expect(
      await form()
        .locator('[data-testid="profile-check-item"][data-item="shell-cluster"]')
        .getAttribute('data-status'),
    ).toBe('ok');
    expect(
      await form()
        .locator('[data-testid="profile-check-fact"][data-fact="meta_function_level"]')
        .textContent(),
    ).toBe('lively');
    await result.scrollIntoViewIfNeeded();
    await screenshot(bench.page, 'profiles-02-form-checked');
    await bench.page.getByTestId('profile-save').click();
    await bench.page.getByTestId('profile-name').waitFor({ state: 'detached' });
    await bench.page.locator('[data-testid="profile-item"][data-name="onebox"]').waitFor();
  });

  it('checks the saved profile: shell facts, meta HTTP and ZooKeeper', async () => {
    const card = bench.page.locator('[data-testid="profile-item"][data-name="onebox"]');
    await card.getByTestId('profile-check').click();
    await card.getByTestId('profile-check-result').waitFor({ timeout: 45_000 });
    for (const [id, status] of [
      ['shell-binary', 'ok'],
      ['shell-config', 'ok'],
      ['shell-cluster', 'ok'],
      ['meta-http', 'ok'],
      ['zookeeper', 'ok'],
      ['admin-cli', 'skipped'],
    ]) {
      expect(
        await card
          .locator(`[data-testid="profile-check-item"][data-item="${id}"]`)
          .getAttribute('data-status'),
      ).toBe(status);
    }
    const fact = (name: string) =>
      card.locator(`[data-testid="profile-check-fact"][data-fact="${name}"]`).textContent();
    expect(await fact('cluster_name')).toBe('onebox');
    expect(await fact('zookeeper_root')).toBe(bench.root);
    expect(await fact('meta_servers')).toBe(metaHttp.address);
    expect(
      await card.locator('[data-testid="profile-check-item"][data-item="zookeeper"]').textContent(),
    ).toContain('4 tables');
    // Shell and HTTP describe the same cluster as the profile: nothing to warn about.
    expect(await card.getByTestId('profile-check-result').getAttribute('data-worst')).toBe('ok');
    await screenshot(bench.page, 'profiles-03-checked');
  });

  it('shows what to do when the shell binary is missing', async () => {
    const card = bench.page.locator('[data-testid="profile-item"][data-name="onebox"]');
    await card.getByTestId('profile-edit').click();
    await bench.page.getByTestId('profile-name').waitFor();
    const missing = `${kit.dir}/bin/pegasus_shell`;
    await bench.page.getByTestId('profile-shellBinary').fill(missing);
    await bench.page.getByTestId('profile-save').click();
    await bench.page.getByTestId('profile-name').waitFor({ state: 'detached' });
    await card.getByTestId('profile-check').click();
    const binary = card.locator('[data-testid="profile-check-item"][data-item="shell-binary"]');
    await card.getByTestId('profile-check-result').waitFor({ timeout: 45_000 });
    expect(await binary.getAttribute('data-status')).toBe('fail');
    expect(await binary.getByTestId('profile-check-message').textContent()).toBe(
      `${missing} was not found: set the shell path in the cluster profile, or run the steps manually`,
    );
    expect(
      await card
        .locator('[data-testid="profile-check-item"][data-item="shell-cluster"]')
        .getAttribute('data-status'),
    ).toBe('skipped');
    expect(await card.getByTestId('profile-check-result').getAttribute('data-worst')).toBe('fail');
    await screenshot(bench.page, 'profiles-04-missing-binary');
  });

  it('removes the profile only once its name is typed', async () => {
    const card = bench.page.locator('[data-testid="profile-item"][data-name="onebox"]');
    await card.getByTestId('profile-remove').click();
    const confirm = bench.page.getByTestId('profile-remove-confirm');
    await confirm.waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    await bench.page.getByTestId('profile-remove-confirm-input').fill('onebo');
    expect(await confirm.isDisabled()).toBe(true);
    await bench.page.getByTestId('profile-remove-confirm-input').fill('onebox');
    await confirm.click();
    await drawer().getByTestId('empty-state').waitFor();
    await screenshot(bench.page, 'profiles-05-removed');
  });
});
