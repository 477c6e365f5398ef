/**
 * Cluster profiles in a real Chromium against the real browser host: from the Pegasus view of a
 * cluster seeded into a real ZooKeeper, open "Cluster profiles", add one prefilled with the
 * connection and the detected root, with the Pegasus shell fixture as its pegasus_shell; "Check
 * tools" shows the facts the fixture's cluster_info printed; a missing binary shows what to do;
 * bad input is refused on its field; removal needs the name typed. Screenshots in test-artifacts/e2e/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { type MetaHttpFixture, startMetaHttpFixture } from '../fixtures/meta-http-fixture';
import { type SeededCluster, seedCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { createToolKit, FAKE_SHELL, type ToolKit } from '../setup/pegasus-shell-kit';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { type BrowserHost, launchChromium, screenshot, startBrowserHost } from './browser-host';
import { hostApi } from './host-api';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('e2e-profiles');
const root = `${base}/pegasus/onebox`;
const connect = () =>
  ZkSession.connect({ connectString: zk, sessionTimeoutMs: 10_000, connectTimeoutMs: 5_000 });

let session: ZkSession;
let seeded: SeededCluster;
let metaHttp: MetaHttpFixture;
let kit: ToolKit;
let host: BrowserHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  session = await connect();
  seeded = await seedCluster(session, {
    root,
    seed: 5,
    tables: 4,
    partitions: 4,
    droppedTables: 0,
    openLockSession: async () => {
      const holder = await connect();
      return { writer: holder, close: () => holder.close() };
    },
  });
  metaHttp = await startMetaHttpFixture();
  // The shell fixture's cluster_info and the meta HTTP fixture describe the same cluster, as the real
  // leader would over both.
  kit = createToolKit({
    clusterName: 'onebox',
    zookeeperHosts: zk,
    zookeeperRoot: root,
    metaServers: [metaHttp.address],
    metaLevel: 'lively',
  });
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
  host = await startBrowserHost();
  const api = hostApi(host);
  await api.connections.create.mutate({ name: 'profiles-zk', connectString: zk });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await metaHttp?.close();
  kit?.close();
  await seeded?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
});

const drawer = () => page.getByTestId('profiles-drawer');
const form = () => page.getByTestId('profile-form');

describe('cluster profiles in Chromium', () => {
  it('opens the profiles from the Pegasus view of a cluster, empty at first', async () => {
    await page.goto(host.url);
    await page.getByTestId('connection-item-profiles-zk').click();
    await page.getByTestId('view-tab-pegasus').click();
    const option = page.locator(`[data-testid="pegasus-root-option"][data-path="${root}"]`);
    await option.waitFor({ timeout: 20_000 });
    await option.click();
    await page.getByTestId('pegasus-table-row').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('pegasus-cluster-profiles').click();
    await drawer().getByTestId('empty-state').waitFor();
    expect(await drawer().getByTestId('empty-state').textContent()).toContain('No cluster profiles yet');
    await screenshot(page, 'profiles-01-empty');
  });

  it('adds a profile prefilled with the connection and root, checking the tools before saving', async () => {
    await page.getByTestId('profile-add-empty').click();
    await page.getByTestId('profile-name').waitFor();
    expect(await page.getByTestId('profile-name').inputValue()).toBe('onebox');
    expect(await page.getByTestId('profile-clusterRoot').inputValue()).toBe(root);
    expect(await page.getByTestId('profile-connectionId').inputValue()).toBe('profiles-zk');

    // Bad input is refused on the field, with what to type.
    await page.getByTestId('profile-metaServers').fill('meta-without-port');
    await page.getByTestId('profile-save').click();
    const metaError = form().getByTestId('form-error').first();
    await metaError.waitFor();
    expect(await metaError.textContent()).toBe(
      'Meta server "meta-without-port" must be host:port, e.g. 10.0.0.1:34601',
    );

    await page.getByTestId('profile-metaServers').fill(metaHttp.address);
    await form().getByText('pegasus_shell + config').click();
    await page.getByTestId('profile-shellBinary').fill(FAKE_SHELL);
    await page.getByTestId('profile-shellConfig').fill(kit.configPath);
    await page.getByTestId('profile-shellClusterName').fill('onebox');
    await page.getByTestId('profile-form-check').click();
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
    await screenshot(page, 'profiles-02-form-checked');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-name').waitFor({ state: 'detached' });
    await page.locator('[data-testid="profile-item"][data-name="onebox"]').waitFor();
  });

  it('checks the saved profile: shell facts, meta HTTP and ZooKeeper', async () => {
    const card = page.locator('[data-testid="profile-item"][data-name="onebox"]');
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
    expect(await fact('zookeeper_root')).toBe(root);
    expect(await fact('meta_servers')).toBe(metaHttp.address);
    expect(
      await card.locator('[data-testid="profile-check-item"][data-item="zookeeper"]').textContent(),
    ).toContain('4 table(s)');
    // Shell and HTTP describe the same cluster as the profile: nothing to warn about.
    expect(await card.getByTestId('profile-check-result').getAttribute('data-worst')).toBe('ok');
    await screenshot(page, 'profiles-03-checked');
  });

  it('shows what to do when the shell binary is missing', async () => {
    const card = page.locator('[data-testid="profile-item"][data-name="onebox"]');
    await card.getByTestId('profile-edit').click();
    await page.getByTestId('profile-name').waitFor();
    const missing = `${kit.dir}/bin/pegasus_shell`;
    await page.getByTestId('profile-shellBinary').fill(missing);
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-name').waitFor({ state: 'detached' });
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
    await screenshot(page, 'profiles-04-missing-binary');
  });

  it('removes the profile only once its name is typed', async () => {
    const card = page.locator('[data-testid="profile-item"][data-name="onebox"]');
    await card.getByTestId('profile-remove').click();
    const confirm = page.getByTestId('profile-remove-confirm');
    await confirm.waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('profile-remove-confirm-input').fill('onebo');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('profile-remove-confirm-input').fill('onebox');
    await confirm.click();
    await drawer().getByTestId('empty-state').waitFor();
    await screenshot(page, 'profiles-05-removed');
  });
});
