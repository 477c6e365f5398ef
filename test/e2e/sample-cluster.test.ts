/**
 * The offline sample cluster in a real Chromium (issue 4, item 12): a fresh data folder, no
 * connection and no ZooKeeper for the app to reach, "Sample cluster (offline)" from the start screen
 * opens the bundled snapshot on the Pegasus overview; a table's detail, the other Pegasus views and
 * the Explorer all work, read-only. Expected facts come from the seeder options the sample was built
 * with. Screenshots land in test-artifacts/e2e/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CLUSTER_DATA } from '../../electron/engines/snapshots/sample-cluster-data';
import { planSeedCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { type BrowserHost, screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { expandChain, row, selectNode } from './explorer-helpers';
import type { HostApi } from './host-api';

const expected = planSeedCluster(SAMPLE_CLUSTER_DATA.seedOptions).expected;
const root = SAMPLE_CLUSTER_DATA.clusterRoot;
let host: BrowserHost;
let desk: E2eDesk | undefined;
let page: Page;
let api: HostApi;

beforeAll(async () => {
  // The first test opens the page itself, after checking the fresh data folder has no connection.
  desk = await openE2eDesk({ viewport: { width: 1500, height: 950 }, goto: false });
  ({ host, page, api } = desk);
});

afterAll(async () => {
  await desk?.close();
});

const rows = () => page.getByTestId('pegasus-table-row');

describe('the sample cluster, offline', () => {
  it('opens from the start screen on the Pegasus overview with no connection at all', async () => {
    expect(await api.connections.list.query()).toEqual([]);
    await page.goto(host.url);
    await page.getByTestId('empty-open-sample').click();
    await rows().first().waitFor({ timeout: 20_000 });

    expect(await page.getByTestId('connection-offline').textContent()).toMatch(
      /snapshot · offline · read-only/,
    );
    expect(await page.getByTestId('header-connection-name').textContent()).toBe('Sample cluster (offline)');
    expect(await page.getByTestId('pegasus-cluster-root').textContent()).toBe(root);
    expect(await page.getByTestId('pegasus-source').textContent()).toBe('Offline snapshot');
    expect(await page.getByTestId('pegasus-meta-leader').textContent()).toBe(expected.metaServers[0]);
    const available = expected.tables.filter((t) => t.status === 'available').length;
    expect(await page.getByTestId('pegasus-count-available').textContent()).toBe(String(available));
    expect(await page.getByTestId('pegasus-count-dropped').textContent()).toBe(
      String(expected.tables.length - available),
    );
    expect(await rows().count()).toBe(expected.tables.length);
    // Nothing but the snapshot was opened: no live session anywhere.
    const states = await api.sessions.states.query();
    expect(states.every((state) => state.connectionId.startsWith('snapshot:'))).toBe(true);
    await screenshot(page, 'sample-01-overview');
  });

  it('shows a table detail with its partition grid', async () => {
    const table = expected.tables.find((t) => t.status === 'available' && t.duplications.length > 0);
    await page.locator(`[data-testid="pegasus-table-row"][data-app-id="${table?.appId}"]`).click();
    await page.getByTestId('pegasus-table-detail').waitFor();
    expect(await page.getByTestId('pegasus-detail-name').textContent()).toContain(table?.name);
    expect(await page.getByTestId('pegasus-partition-cell').count()).toBe(table?.partitionCount);
    expect(await page.getByTestId('pegasus-table-duplication').count()).toBe(table?.duplications.length);
    await screenshot(page, 'sample-02-table-detail');
    await page.getByTestId('pegasus-table-back').click();
  });

  it('has placement, duplications and MetaProxy routes; meta HTTP says it needs the network', async () => {
    await page.getByTestId('pegasus-tab-placement').click();
    await page.getByTestId('pegasus-placement-chart').waitFor();
    expect(await page.getByTestId('pegasus-placement-row').count()).toBe(expected.nodes.length);
    await page.getByTestId('pegasus-tab-duplications').click();
    await page.getByTestId('pegasus-duplications').waitFor();
    expect(await page.getByTestId('pegasus-duplication-row').count()).toBe(
      expected.tables.flatMap((t) => t.duplications).length,
    );
    await page.getByTestId('pegasus-tab-metaproxy').click();
    // The sample remembers its MetaProxy root.
    expect(await page.getByTestId('pegasus-metaproxy-root').inputValue()).toBe(
      SAMPLE_CLUSTER_DATA.metaProxyRoot,
    );
    await page.getByTestId('pegasus-metaproxy-load').click();
    await page.getByTestId('pegasus-metaproxy-route').first().waitFor();
    expect(await page.getByTestId('pegasus-metaproxy-route').count()).toBe(expected.metaProxy?.routes.length);
    await screenshot(page, 'sample-03-metaproxy');
    await page.getByTestId('pegasus-tab-metahttp').click();
    await page.getByTestId('pegasus-metahttp-offline').waitFor();
  });

  it('browses the same snapshot in the Explorer, read-only', async () => {
    await page.getByTestId('view-tab-explorer').click();
    await page.getByTestId('snapshot-banner').waitFor();
    await expandChain(page, `${root}/apps`);
    const firstTable = expected.tables[0];
    await selectNode(page, `${root}/apps/${firstTable?.appId}`);
    const panel = page.locator('[data-testid="connection-workspace"]:visible [data-testid="node-panel"]');
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain(firstTable?.name ?? '?');
    expect(await row(page, `${root}/apps`).getAttribute('data-path')).toBe(`${root}/apps`);
    // Every write is disabled, with the snapshot's reason; export still works offline.
    expect(await page.getByTestId('node-edit').isDisabled()).toBe(true);
    expect(await page.getByTestId('node-delete').isDisabled()).toBe(true);
    expect(await page.getByTestId('node-import').isDisabled()).toBe(true);
    expect(await page.getByTestId('node-export').isDisabled()).toBe(false);
    await screenshot(page, 'sample-04-explorer');
  });
});
