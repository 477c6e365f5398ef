/**
 * The Pegasus views in a real Chromium against the real browser host and a cluster seeded into a
 * real ZooKeeper (lock nodes held by live sessions, a MetaProxy root, one corrupted partition
 * payload), plus a meta HTTP fixture: pick the root, read the overview, open tables, placement,
 * duplications, MetaProxy routes, meta HTTP facts, export. Screenshots land in test-artifacts/e2e/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { type MetaHttpFixture, startMetaHttpFixture } from '../fixtures/meta-http-fixture';
import { screenshot } from './browser-host';
import { openPegasusView, registerPegasusPageBench } from './pegasus-page-bench';

const zk = inject('zkPrimary');

let metaHttp: MetaHttpFixture;
let corruptedPath: string;

const bench = registerPegasusPageBench({
  label: 'e2e-pegasus',
  connectString: zk,
  connectionName: 'pegasus-zk',
  cluster: 'pegasus/c1',
  seed: { seed: 3, tables: 12, partitions: 16, droppedTables: 3, metaProxyRoot: 'meta-proxy' },
  async prepare({ root, session, seeded, closeAtEnd }) {
    // A payload that does not parse must become a warning naming its node, never a broken view.
    const victim = seeded.expected.tables.find(
      (t) => t.status === 'available' && !t.splitting && t.unhealthy === 0,
    );
    corruptedPath = `${root}/apps/${victim?.appId}/5`;
    await session.setData(corruptedPath, Buffer.from('{"pid":"oops", not json'), -1);

    metaHttp = closeAtEnd(
      await startMetaHttpFixture({
        cluster: {
          meta_servers: seeded.expected.metaServers.join(','),
          primary_meta_server: seeded.expected.metaLeader ?? '',
          zookeeper_hosts: zk,
          zookeeper_root: root,
          meta_function_level: 'lively',
          balance_operation_count: '{"move_pri":"0","copy_pri":"0","copy_sec":"0","total":"0"}',
          primary_replica_count_stddev: '0.00',
          total_replica_count_stddev: '0.00',
        },
      }),
    );
  },
  page: { width: 1500, height: 950, acceptDownloads: true },
});
const { root } = bench;
const proxyRoot = `${bench.base}/meta-proxy`;

const rows = () => bench.page.getByTestId('pegasus-table-row');

describe('Pegasus views in Chromium', () => {
  it('finds the cluster root and opens its overview, unhealthy tables first', async () => {
    await openPegasusView(bench, 'pegasus-zk', () => screenshot(bench.page, 'pegasus-01-root-picker'));

    expect(await bench.page.getByTestId('pegasus-meta-leader').textContent()).toBe(
      bench.seeded.expected.metaLeader,
    );
    expect(await bench.page.getByTestId('pegasus-meta-candidate').count()).toBe(3);
    expect(await bench.page.getByTestId('pegasus-count-available').textContent()).toBe('12');
    expect(await bench.page.getByTestId('pegasus-count-dropped').textContent()).toBe('3');
    expect(await bench.page.getByTestId('pegasus-source').textContent()).toMatch(/multi-read/);
    // Sorted by health, worst first: the read-unhealthy table leads, dropped tables come last.
    const first = bench.seeded.expected.tables.find((t) => t.status === 'available' && t.readUnhealthy > 0);
    expect(await rows().first().getAttribute('data-app-id')).toBe(String(first?.appId));
    expect(await rows().first().getAttribute('data-health')).toBe('read-unhealthy');
    expect(await rows().last().getAttribute('data-health')).toBe('n/a');
    expect(await bench.page.getByTestId('pegasus-table-count').textContent()).toBe('15 tables');
    // The corrupted partition is a warning naming its node; the view still renders every table.
    expect(await bench.page.getByTestId('pegasus-warnings').textContent()).toContain(corruptedPath);
    await screenshot(bench.page, 'pegasus-02-overview');
  });

  it('filters and sorts the tables', async () => {
    await bench.page.getByTestId('pegasus-filter-duplicating').click();
    const duplicating = bench.seeded.expected.tables.filter((t) => t.duplicating);
    await expect.poll(() => rows().count()).toBe(duplicating.length);
    await bench.page.getByTestId('pegasus-filter-duplicating').click();
    await bench.page.getByTestId('pegasus-filter-text').fill('old_');
    await expect.poll(() => rows().count()).toBe(3);
    await expect.poll(() => bench.page.getByTestId('pegasus-drop-expiry').count()).toBe(3);
    await bench.page.getByTestId('pegasus-filter-text').fill('');
    await bench.page.getByTestId('pegasus-sort-appId').click();
    await expect.poll(() => rows().first().getAttribute('data-app-id')).toBe('1');
    await bench.page.getByTestId('pegasus-sort-appId').click();
    await expect.poll(() => rows().first().getAttribute('data-app-id')).toBe('15');
    await bench.page.getByTestId('pegasus-sort-health').click();
  });

  it('opens a table: partition grid by health, decrees, and missing split children', async () => {
    const split = bench.seeded.expected.tables.find((t) => t.splitting);
    await bench.page.locator(`[data-testid="pegasus-table-row"][data-app-id="${split?.appId}"]`).click();
    await bench.page.getByTestId('pegasus-table-detail').waitFor();
    expect(await bench.page.getByTestId('pegasus-detail-partitions').textContent()).toBe(
      `${split?.partitionsFound} / ${split?.partitionCount}`,
    );
    expect(await bench.page.getByTestId('pegasus-partition-cell').count()).toBe(split?.partitionCount);
    expect(
      await bench.page.locator('[data-testid="pegasus-partition-cell"][data-health="missing"]').count(),
    ).toBe((split?.partitionCount ?? 0) - (split?.partitionsFound ?? 0));
    const decree = bench.page.locator(
      '[data-testid="pegasus-partition-row"][data-index="0"] [data-testid="pegasus-partition-decree"]',
    );
    expect(await decree.textContent()).toBe((split?.lastCommittedDecrees[0] ?? 0).toLocaleString('en-US'));
    await screenshot(bench.page, 'pegasus-03-table-split');
    await bench.page.getByTestId('pegasus-table-back').click();

    const unhealthy = bench.seeded.expected.tables.find(
      (t) => t.status === 'available' && t.readUnhealthy > 0,
    );
    await bench.page.locator(`[data-testid="pegasus-table-row"][data-app-id="${unhealthy?.appId}"]`).click();
    await bench.page.getByTestId('pegasus-partition-grid').waitFor();
    for (const level of ['unhealthy', 'write-unhealthy', 'read-unhealthy']) {
      expect(
        await bench.page.locator(`[data-testid="pegasus-partition-cell"][data-health="${level}"]`).count(),
      ).toBe(1);
    }
    await screenshot(bench.page, 'pegasus-04-table-unhealthy');
    await bench.page.getByTestId('pegasus-table-back').click();
  });

  it('shows a duplicated table with per-partition lag', async () => {
    const duplicated = bench.seeded.expected.tables.find((t) =>
      t.duplications.some((d) => d.status === 'DS_LOG'),
    );
    const dup = duplicated?.duplications.find((d) => d.status === 'DS_LOG');
    await bench.page.locator(`[data-testid="pegasus-table-row"][data-app-id="${duplicated?.appId}"]`).click();
    const card = bench.page.locator(`[data-testid="pegasus-table-duplication"][data-dupid="${dup?.dupid}"]`);
    await card.waitFor();
    const lag0 = card.locator(
      '[data-testid="pegasus-dup-progress-row"][data-index="0"] [data-testid="pegasus-dup-lag"]',
    );
    const expectedLag = (duplicated?.lastCommittedDecrees[0] ?? 0) - (dup?.confirmed[0] ?? 0);
    expect(await lag0.textContent()).toBe(expectedLag.toLocaleString('en-US'));
    await card.scrollIntoViewIfNeeded();
    await screenshot(bench.page, 'pegasus-05-table-duplication');
    await bench.page.getByTestId('pegasus-table-back').click();
  });

  it('charts replica placement with the shell stddev', async () => {
    await bench.page.getByTestId('pegasus-tab-placement').click();
    await bench.page.getByTestId('pegasus-placement-chart').waitFor();
    expect(await bench.page.getByTestId('pegasus-placement-row').count()).toBe(
      bench.seeded.expected.nodes.length,
    );
    expect(
      await bench.page.locator('[data-testid="pegasus-placement-chart"] .recharts-bar-rectangle').count(),
    ).toBeGreaterThan(0);
    expect(await bench.page.getByTestId('pegasus-primary-stddev').textContent()).toMatch(/^\d+\.\d\d$/);
    await screenshot(bench.page, 'pegasus-06-placement');
  });

  it('lists every duplication, the legacy DS_START one read as removed', async () => {
    await bench.page.getByTestId('pegasus-tab-duplications').click();
    await bench.page.getByTestId('pegasus-duplications').waitFor();
    const expected = bench.seeded.expected.tables.flatMap((t) => t.duplications);
    expect(await bench.page.getByTestId('pegasus-duplication-row').count()).toBe(expected.length);
    const legacy = expected.find((d) => d.statusRaw === 'DS_START');
    const legacyRow = bench.page.locator(
      `[data-testid="pegasus-duplication-row"][data-dupid="${legacy?.dupid}"]`,
    );
    expect(await legacyRow.getByTestId('pegasus-duplication-status').textContent()).toMatch(
      /DS_REMOVED \(was DS_START\)/,
    );
    await screenshot(bench.page, 'pegasus-07-duplications');
  });

  it('reads MetaProxy routes and flags the bad entries', async () => {
    await bench.page.getByTestId('pegasus-tab-metaproxy').click();
    await bench.page.getByTestId('pegasus-metaproxy-root').fill(proxyRoot);
    await bench.page.getByTestId('pegasus-metaproxy-load').click();
    await bench.page.getByTestId('pegasus-metaproxy-route').first().waitFor();
    const routes = bench.seeded.expected.metaProxy?.routes ?? [];
    expect(await bench.page.getByTestId('pegasus-metaproxy-route').count()).toBe(routes.length);
    // Flagged entries first.
    expect(await bench.page.getByTestId('pegasus-metaproxy-route').first().getAttribute('data-verdict')).toBe(
      'crash',
    );
    expect(
      await bench.page
        .locator('[data-testid="pegasus-metaproxy-route"][data-table="single_meta_table"]')
        .getAttribute('data-verdict'),
    ).toBe('rejected');
    await screenshot(bench.page, 'pegasus-08-metaproxy');
  });

  it('puts meta HTTP facts next to ZooKeeper facts with sources and ages', async () => {
    await bench.page.getByTestId('pegasus-tab-metahttp').click();
    await bench.page.getByTestId('pegasus-meta-servers-input').fill(metaHttp.address);
    await bench.page.getByTestId('pegasus-meta-http-fetch').click();
    const leader = bench.page.locator('[data-testid="pegasus-fact"][data-fact="meta-leader"]');
    await leader.waitFor();
    expect(await leader.getAttribute('data-agree')).toBe('true');
    expect(await leader.getByTestId('pegasus-fact-zookeeper').getAttribute('data-source')).toBe('zookeeper');
    expect(await leader.getByTestId('pegasus-fact-http').getAttribute('data-source')).toBe('http');
    expect(await leader.getByTestId('pegasus-fact-age').count()).toBe(2);
    const level = bench.page.locator('[data-testid="pegasus-fact"][data-fact="function-level"]');
    expect(await level.getByTestId('pegasus-fact-http').textContent()).toContain('lively');
    expect(
      await bench.page
        .locator('[data-testid="pegasus-fact"][data-fact="available-tables"]')
        .getAttribute('data-agree'),
    ).toBe('false');
    await screenshot(bench.page, 'pegasus-09-meta-http');
  });

  it('exports the overview as CSV', async () => {
    await bench.page.getByTestId('pegasus-tab-overview').click();
    await bench.page.getByTestId('pegasus-export').click();
    const [download] = await Promise.all([
      bench.page.waitForEvent('download'),
      bench.page.getByTestId('pegasus-export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pegasus-c1-overview-\d{8}-\d{6}\.csv$/);
    const text = readFileSync((await download.path()) as string, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^app_id,name,status,health,/);
    expect(lines).toHaveLength(1 + 15);
  });

  it('refreshes from ZooKeeper on demand', async () => {
    const before = Number(
      await bench.page.getByTestId('pegasus-loaded-at').locator('[data-at]').getAttribute('data-at'),
    );
    await bench.page.getByTestId('pegasus-refresh').click();
    await expect
      .poll(async () =>
        Number(
          await bench.page.getByTestId('pegasus-loaded-at').locator('[data-at]').getAttribute('data-at'),
        ),
      )
      .toBeGreaterThan(before);
    expect(await rows().count()).toBeGreaterThan(0);
  });

  it('checks a root typed by hand and suggests the real one', async () => {
    await bench.page.getByTestId('pegasus-change-root').click();
    await bench.page.getByTestId('pegasus-root-input').fill(`${root}/apps`);
    await bench.page.getByTestId('pegasus-root-open').click();
    const error = bench.page.getByTestId('pegasus-root-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('is not a Pegasus cluster root');
    await screenshot(bench.page, 'pegasus-10-manual-root');
    await bench.page.getByTestId('pegasus-root-suggestion').filter({ hasText: root }).click();
    await rows().first().waitFor();
    expect(await bench.page.getByTestId('pegasus-cluster-root').textContent()).toBe(root);
  });
});
