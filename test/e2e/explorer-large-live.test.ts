/**
 * The explorer on a node with 12,000 children, the live view, and the node panel, in Chromium
 * against the browser host and a real ZooKeeper.
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZkSession } from '../../electron/zk/zk-session';
import {
  childNodes,
  connectTestSession,
  createNodes,
  deleteTree,
  ensurePath,
} from '../setup/zk-tree-builder';
import { uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addConnection, domRowCount, expandChain, row, selectNode } from './explorer-helpers';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('e2e-large');
const wide = `${root}/wide`;
const COUNT = 12_000;
const configJson = '{"replicas":3,"zones":["a","b"]}';
const packedJson = JSON.stringify({ tables: Array.from({ length: 20 }, (_, i) => `table_${i}`) });

let desk: E2eDesk | undefined;
let page: Page;
let session: ZkSession;

const scroller = () => page.locator('[data-testid="connection-workspace"]:visible [data-testid="tree"]');

beforeAll(async () => {
  session = await connectTestSession(zk);
  await ensurePath(session, wide);
  await createNodes(
    session,
    childNodes(wide, COUNT, (i) => Buffer.from(`value-${i}`)),
  );
  await session.create(`${root}/config.json`, Buffer.from(configJson));
  await session.create(`${root}/packed`, gzipSync(Buffer.from(packedJson)));
  // Owned by this test's session: the panel must name it, and it is not the app's own session.
  await session.create(`${root}/lease`, Buffer.from('holder-1'), { mode: 'ephemeral' });
  desk = await openE2eDesk({
    viewport: { width: 1400, height: 900 },
    context: { permissions: ['clipboard-read', 'clipboard-write'] },
  });
  ({ page } = desk);
  await addConnection(page, 'large', zk);
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await deleteTree(session, root).catch(() => undefined);
  await session?.close();
});

describe('a node with 12,000 children', () => {
  it('opens with its count, sorted, and a DOM that holds only the rows in view', async () => {
    const started = Date.now();
    await expandChain(page, wide);
    await row(page, `${wide}/child-000000`).waitFor({ timeout: 15_000 });
    const openMs = Date.now() - started;
    expect(openMs).toBeLessThan(15_000);
    expect(await page.getByTestId('tree-filter-count').first().textContent()).toBe('12,000 children');
    expect(await row(page, wide).getByTestId('tree-child-count').textContent()).toBe('12,000');
    const rows = await domRowCount(page);
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(80);
    expect(Number(await scroller().getAttribute('data-row-count'))).toBeGreaterThan(COUNT);
    const names = await page
      .locator(`[data-testid="tree-row"][data-path^="${wide}/"]`)
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-path')));
    expect(names.slice(0, 3)).toEqual([
      `${wide}/child-000000`,
      `${wide}/child-000001`,
      `${wide}/child-000002`,
    ]);
    await screenshot(page, 'large-01-12000-children');
  });

  it('scrolls to the end with the DOM still bounded, reading details only for the rows in view', async () => {
    await scroller().evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    const last = row(page, `${wide}/child-011999`);
    await last.waitFor({ timeout: 10_000 });
    expect(await domRowCount(page)).toBeLessThan(80);
    // A leaf shows as a leaf once its row's details were read (no expand arrow).
    await expect.poll(() => last.getAttribute('aria-expanded'), { timeout: 10_000 }).toBeNull();
    // The first rows, far out of view, were never asked for: their rows are not in the DOM at all.
    expect(await row(page, `${wide}/child-000500`).count()).toBe(0);
    await screenshot(page, 'large-02-scrolled-to-end');
  });

  it('filters the children as the operator types, by substring and by glob', async () => {
    await scroller().evaluate((element) => {
      element.scrollTop = 0;
    });
    const filter = page.getByTestId('tree-filter').first();
    await filter.fill('child-0119');
    await expect
      .poll(() => page.getByTestId('tree-filter-count').first().textContent())
      .toBe('100 of 12,000');
    const shown = await page
      .locator(`[data-testid="tree-row"][data-path^="${wide}/"]`)
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-path') ?? ''));
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.every((path) => path.startsWith(`${wide}/child-0119`))).toBe(true);
    await screenshot(page, 'large-03-filter-substring');
    await filter.fill('*-00000?');
    await expect.poll(() => page.getByTestId('tree-filter-count').first().textContent()).toBe('10 of 12,000');
    expect(await domRowCount(page)).toBeLessThan(80);
    await filter.fill('');
    await expect
      .poll(() => page.getByTestId('tree-filter-count').first().textContent())
      .toBe('12,000 children');
  });
});

describe('the live view', () => {
  it('marks and refreshes changes without losing the selection or the scroll position', async () => {
    // Scroll to the middle and open a node there.
    await scroller().evaluate((element) => {
      element.scrollTop = 6000 * 28;
    });
    const target = `${wide}/child-006010`;
    await row(page, target).waitFor({ timeout: 10_000 });
    await selectNode(page, target);
    // The panel must show the node as it was before someone changes it: a change that lands while
    // the panel is still loading is simply what it first shows, with nothing to mark.
    await expect
      .poll(() => page.getByTestId('node-text').first().textContent(), { timeout: 10_000 })
      .toBe('value-6010');
    const scrollBefore = await scroller().evaluate((element) => element.scrollTop);
    const rowsBefore = Number(await scroller().getAttribute('data-row-count'));

    // Someone else changes the open node's data: the panel shows the new data, marked.
    await session.setData(target, Buffer.from('changed elsewhere'), -1);
    await expect
      .poll(() => page.getByTestId('node-text').first().textContent(), { timeout: 10_000 })
      .toBe('changed elsewhere');
    expect(await page.getByTestId('node-change-banner').getAttribute('data-kind')).toBe('data-changed');

    // Someone else adds a child to the big node far below: the list refreshes.
    await session.create(`${wide}/child-zz-new`, Buffer.alloc(0));
    await expect
      .poll(async () => Number(await scroller().getAttribute('data-row-count')), { timeout: 10_000 })
      .toBe(rowsBefore + 1);

    // A deleted sibling in view disappears.
    await session.remove(`${wide}/child-006011`, -1);
    await expect.poll(() => row(page, `${wide}/child-006011`).count(), { timeout: 10_000 }).toBe(0);

    // The selection and the scroll position stayed where they were.
    expect(await page.getByTestId('node-path').first().textContent()).toBe(target);
    expect(await row(page, target).getAttribute('aria-selected')).toBe('true');
    expect(Math.abs((await scroller().evaluate((element) => element.scrollTop)) - scrollBefore)).toBeLessThan(
      2,
    );
    await screenshot(page, 'live-01-changes-in-view');

    // Back at the top: the big node is marked, and its count is current.
    await scroller().evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect
      .poll(() => row(page, wide).getAttribute('data-mark'), { timeout: 10_000 })
      .toBe('children-changed');
    expect(await page.getByTestId('tree-filter-count').first().textContent()).toBe('12,000 children');
    await screenshot(page, 'live-02-node-marked');
  });

  it('re-reads everything on screen on a manual refresh', async () => {
    await page.getByTestId('node-change-banner').locator('button').click();
    await page.locator('[data-testid="connection-workspace"]:visible [data-testid="tree-refresh"]').click();
    await expect
      .poll(() => page.getByTestId('node-panel').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('loaded');
    expect(await page.getByTestId('node-text').first().textContent()).toBe('changed elsewhere');
    expect(await page.getByTestId('node-change-banner').count()).toBe(0);
  });
});

describe('the node panel', () => {
  it('shows gzip data decompressed, with a note and the stored bytes one click away', async () => {
    await scroller().evaluate((element) => {
      element.scrollTop = 0;
    });
    await page
      .locator(
        '[data-testid="connection-workspace"]:visible [data-testid="tree-toggle"][aria-label="Collapse ' +
          wide +
          '"]',
      )
      .click();
    await selectNode(page, `${root}/packed`);
    await expect
      .poll(() => page.getByTestId('node-gzip-note').textContent())
      .toMatch(/Gzip-compressed: \d+ stored bytes, shown decompressed \(\d+ bytes\)/);
    await expect.poll(() => page.getByTestId('node-json').textContent()).toContain('"table_19"');
    await screenshot(page, 'panel-01-gzip-decompressed');
    await page.getByTestId('node-gzip-toggle').click();
    await page.getByTestId('tab-hex').click();
    expect(((await page.getByTestId('node-hex').textContent()) ?? '').replace(/\s+/g, ' ')).toMatch(
      /1f 8b 08/,
    );
  });

  it('shows the data as base64 and copies the path and the value', async () => {
    await selectNode(page, `${root}/config.json`);
    await page.getByTestId('tab-base64').click();
    const base64 = Buffer.from(configJson).toString('base64');
    expect(await page.getByTestId('node-base64').textContent()).toBe(base64);
    await page.getByTestId('node-copy-value').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(base64);
    await page.getByTestId('node-copy-path').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${root}/config.json`);
    await page.getByTestId('tab-json').click();
    await page.getByTestId('node-copy-value').click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(JSON.stringify(JSON.parse(configJson), null, 2));
    await screenshot(page, 'panel-02-base64-copy');
  });

  it('names the session that owns an ephemeral node, and shows times and zxids readably', async () => {
    await selectNode(page, `${root}/lease`);
    const owner = session.sessionId ?? '';
    expect(owner).toMatch(/^0x[0-9a-f]+$/);
    await expect
      .poll(() => page.getByTestId('node-ephemeral-owner').textContent())
      .toContain(`owned by session ${owner}`);
    expect(await page.getByTestId('node-stat-ephemeralOwner').textContent()).toBe(owner);
    expect(await page.getByTestId('node-stat-mzxid').textContent()).toMatch(/^0x[0-9a-f]+$/);
    expect(await page.getByTestId('node-stat-mtime').textContent()).toMatch(/\d{4}/);
    await screenshot(page, 'panel-03-ephemeral-owner');
  });
});
