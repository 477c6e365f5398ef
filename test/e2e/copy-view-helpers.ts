/**
 * What the Chromium tests of the Copy view share (zk-copy, zk-copy-snapshot, and the subtree-migration
 * runbook's): a page on the host with a connection open on its Copy tab, a report's counts as the view
 * shows them, the saved connections they copy between, and the cleanup of their trees.
 */
import type { Page } from 'playwright-core';
import type { ZkSession } from '../../electron/zk/zk-session';
import { removeTree } from '../setup/zk-test-helpers';
import { openConnection } from './explorer-helpers';
import { addReadWriteConnection, type HostApi } from './host-api';

/** The viewport the Copy view's tests open their desk with (openE2eDesk). */
export const COPY_VIEWPORT = { width: 1500, height: 1000 };

/** On a page already at the host's URL: connection `name` opened, its Copy view shown. */
export async function openCopyView(page: Page, name: string): Promise<void> {
  await openConnection(page, name);
  await page.getByTestId('view-tab-copy').click();
  await page.getByTestId('zk-copy-view').waitFor({ timeout: 15_000 });
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
  await addReadWriteConnection(api, 'target', dst);
  await api.connections.create.mutate({ name: 'locked-target', connectString: dst });
}

/** Removes the test's trees from a session that did open, then closes it. */
export async function removeTreesAndClose(session: ZkSession | undefined, roots: string[]): Promise<void> {
  if (!session) return;
  for (const root of roots) await removeTree(session, root);
  await session.close();
}
