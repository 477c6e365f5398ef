/**
 * Export, import and snapshots in a real Chromium against the browser host and a real ZooKeeper
 * (issue 3, items 7 and 8): "Export subtree…" downloads a file that holds the exact bytes; "Import…"
 * uploads it, shows the dry run (creates, conflicts), then applies it into another path; a snapshot
 * taken from a node's actions opens as an offline workspace, browses like the live tree, and its
 * comparison with the live tree finds what changed since. Screenshots land in test-artifacts/e2e/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addReadWriteConnection } from './host-api';
import { expandChain, row, selectNode } from './explorer-helpers';

const zk = inject('zkPrimary');
const base = uniqueTestRoot('e2e-xfer');
const app = `${base}/app`;
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0xc3, 0x28]);
const CHILDREN = 20;
const NODES = 4 + CHILDREN; // app, bin, empty, cfg + children

let session: ZkSession;
let desk: E2eDesk | undefined;
let page: Page;
let downloadDir: string;
let exportedFile: string;

const visible = (testId: string) =>
  page.locator(`[data-testid="connection-workspace"]:visible [data-testid="${testId}"]`);

beforeAll(async () => {
  session = await ZkSession.connect({ connectString: zk, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });
  for (const path of base
    .split('/')
    .filter(Boolean)
    .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`)) {
    if (!(await session.exists(path))) await session.create(path, Buffer.alloc(0));
  }
  await session.create(app, Buffer.from('app'));
  await session.create(`${app}/bin`, BINARY);
  await session.create(`${app}/empty`, Buffer.alloc(0));
  await session.create(`${app}/cfg`, Buffer.from('{"replicas":3}'));
  for (let i = 0; i < CHILDREN; i += 1)
    await session.create(`${app}/cfg/k${String(i).padStart(2, '0')}`, Buffer.from(`v${i}`));

  downloadDir = mkdtempSync(join(tmpdir(), 'mdesk-e2e-downloads-'));
  desk = await openE2eDesk({
    viewport: { width: 1500, height: 950 },
    context: { acceptDownloads: true },
    setup: (api) => addReadWriteConnection(api, 'xfer', zk),
  });
  ({ page } = desk);
  await page.getByTestId('connection-item-xfer').click();
  await page
    .getByTestId('connection-state')
    .filter({ hasText: /^connected$/ })
    .first()
    .waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await desk?.close();
  if (session) {
    await removeTree(session, base);
    await session.close();
  }
  if (downloadDir) rmSync(downloadDir, { recursive: true, force: true });
});

describe('export and import in Chromium', () => {
  it('exports a subtree with progress and downloads the file, byte for byte', async () => {
    await expandChain(page, base);
    await selectNode(page, app);
    await visible('node-export').click();
    await page.getByTestId('export-start').waitFor();
    const downloading = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByTestId('export-start').click();
    const download = await downloading;
    exportedFile = join(downloadDir, download.suggestedFilename());
    await download.saveAs(exportedFile);
    expect(download.suggestedFilename()).toMatch(/^xfer-.*\.json\.gz$/);
    await page.getByTestId('export-done').waitFor();
    expect(await page.getByTestId('export-done').textContent()).toContain(`${NODES} nodes`);
    await screenshot(page, 'transfer-01-export-done');

    const document = JSON.parse(gunzipSync(readFileSync(exportedFile)).toString('utf8'));
    expect(document).toMatchObject({
      format: 'migration-desk.zk-export',
      root: app,
      nodeCount: NODES,
      complete: true,
    });
    const bin = document.nodes.find((node: { path: string }) => node.path === `${app}/bin`);
    expect(Buffer.from(bin.data, 'base64').equals(BINARY)).toBe(true);
    await page.getByTestId('export-close').click();
  });

  it('imports the file: dry-run preview with counts and samples, then apply', async () => {
    await selectNode(page, base);
    await visible('node-import').click();
    await page.getByTestId('import-file').waitFor();
    const choosing = page.waitForEvent('filechooser');
    await page.getByTestId('import-file').click();
    await (await choosing).setFiles(exportedFile);
    const target = `${base}/restored`;
    await page.getByTestId('import-target').fill(target);
    await page.getByTestId('import-preview-run').click();
    await page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-count-creates').getAttribute('data-count')).toBe(String(NODES));
    expect(await page.getByTestId('import-count-conflicts').getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('import-samples-creates').count()).toBe(1);
    // A dry run: nothing there yet.
    expect(await session.exists(target)).toBeNull();
    await screenshot(page, 'transfer-02-import-preview');

    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-done').textContent()).toMatch(new RegExp(`${NODES} created`));
    await screenshot(page, 'transfer-03-import-done');
    expect((await session.getData(`${target}/bin`)).data.equals(BINARY)).toBe(true);
    expect((await session.getChildren(`${target}/cfg`)).children.length).toBe(CHILDREN);
    await page.getByTestId('import-close').click();
    // The tree shows the new subtree.
    await row(page, target).waitFor({ timeout: 10_000 });
  });
});

describe('snapshots in Chromium', () => {
  it('takes a snapshot, opens it offline, browses it and compares it with the live tree', async () => {
    await selectNode(page, app);
    await visible('node-snapshot').click();
    await page.getByTestId('capture-start').waitFor();
    await page.getByTestId('capture-label').fill('before the change');
    await page.getByTestId('capture-start').click();
    await page.getByTestId('capture-done').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('capture-done').textContent()).toContain(`${NODES} nodes`);

    // The live tree moves on.
    await session.setData(`${app}/cfg`, Buffer.from('{"replicas":5}'), -1);
    await session.create(`${app}/added`, Buffer.from('new'));

    await page.getByTestId('capture-open').click();
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="snapshot-banner"]')
      .waitFor();
    expect(await page.getByTestId('connection-offline').textContent()).toMatch(/snapshot/);
    await expandChain(page, app);
    await selectNode(page, `${app}/cfg`);
    const panel = visible('node-panel');
    // The snapshot still holds the old bytes, whatever the live tree says now.
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('"replicas": 3');
    expect(await row(page, `${app}/added`).count()).toBe(0);
    expect(await visible('node-edit').isDisabled()).toBe(true);
    await screenshot(page, 'snapshots-01-offline-explorer');

    await visible('view-tab-snapshots').click();
    await page.getByTestId('snapshot-compare-live').click();
    const counts = page.locator('[data-testid="compare-counts"][data-final="true"]');
    await counts.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('compare-count-updated').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('compare-count-created').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('compare-count-deleted').getAttribute('data-count')).toBe('0');
    await page.getByTestId('compare-samples-updated').click();
    expect(await page.getByTestId('compare-modal').textContent()).toContain(`${app}/cfg`);
    await screenshot(page, 'snapshots-02-compare');
    await page.getByTestId('compare-close').click();
  });

  it("lists the connection's snapshots and deletes one with its node count typed", async () => {
    await page.getByTestId('switch-connection-xfer').click();
    await visible('view-tab-snapshots').click();
    const snapshotRows = page.locator(
      '[data-testid="connection-workspace"]:visible [data-testid="snapshot-row"]',
    );
    await snapshotRows.first().waitFor({ timeout: 10_000 });
    const before = await snapshotRows.count();
    await screenshot(page, 'snapshots-03-list');
    await snapshotRows.first().getByTestId('snapshot-delete').click();
    await page.getByTestId('delete-snapshot-confirm').waitFor();
    expect(await page.getByTestId('delete-snapshot-submit').isDisabled()).toBe(true);
    await page.getByTestId('delete-snapshot-confirm').fill(String(NODES));
    await page.getByTestId('delete-snapshot-submit').click();
    await expect.poll(() => snapshotRows.count(), { timeout: 10_000 }).toBe(before - 1);
  });
});
