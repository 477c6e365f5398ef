/**
 * What the Chromium tests of the Copy view share (zk-copy, zk-copy-snapshot): a page on the host with
 * a connection open on its Copy tab, and a report's counts as the view shows them.
 */
import type { Browser, Page } from 'playwright-core';
import { type BrowserHost, launchChromium } from './browser-host';
import { openConnection } from './explorer-helpers';

/** Chromium on the host's page, connection `name` opened, its Copy view shown. */
export async function openCopyView(
  host: BrowserHost,
  name: string,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(host.url);
  await openConnection(page, name);
  await page.getByTestId('view-tab-copy').click();
  await page.getByTestId('zk-copy-view').waitFor({ timeout: 15_000 });
  return { browser, page };
}

/** The count `key` of a report (`scope`: plan-report, copy-report, verify-report) as the view shows it. */
export async function countOf(page: Page, scope: string, key: string): Promise<number> {
  return Number(await page.getByTestId(scope).getByTestId(`count-${key}`).getAttribute('data-value'));
}
