/**
 * What the Chromium tests of the Copy view share (zk-copy, zk-copy-snapshot, and the subtree-migration
 * runbook's): a page on the host with a connection open on its Copy tab, a report's counts as the view
 * shows them, the saved connections they copy between, and the cleanup of their trees.
 */
import type { Browser, Page } from 'playwright-core';
import type { ZkSession } from '../../electron/zk/zk-session';
import { removeTree } from '../setup/zk-test-helpers';
import { type BrowserHost, launchChromium } from './browser-host';
import { openConnection } from './explorer-helpers';
import type { HostApi } from './host-api';

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

/**
 * The connections the copy tests pick from: `source` on `src`, `target` on `dst` switched to
 * read-write, and `locked-target` on `dst` left read-only (a copy into it must be refused).
 */
export async function addCopyConnections(api: HostApi, src: string, dst: string): Promise<void> {
  await api.connections.create.mutate({ name: 'source', connectString: src });
  const target = await api.connections.create.mutate({ name: 'target', connectString: dst });
  await api.connections.setMode.mutate({ id: target.id, readOnly: false, confirmName: 'target' });
  await api.connections.create.mutate({ name: 'locked-target', connectString: dst });
}

/** Removes the test's trees from a session that did open, then closes it. */
export async function removeTreesAndClose(session: ZkSession | undefined, roots: string[]): Promise<void> {
  if (!session) return;
  for (const root of roots) await removeTree(session, root);
  await session.close();
}
