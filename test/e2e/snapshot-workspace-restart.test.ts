/**
 * Snapshot workspaces come back after a restart of the app like live connections (the workspace
 * memory keeps their ids; the renderer reopens each one from the snapshot store): the tab, its
 * expanded tree and open node, the one in front. A snapshot deleted while the app was closed is
 * dropped with a notice in the sidebar, not an error.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SnapshotView } from '../../shared/api/snapshots';
import type { ZkSession } from '../../electron/zk/zk-session';
import { connectTestSession, deleteTree, ensurePath } from '../setup/zk-tree-builder';
import { uniqueTestRoot } from '../setup/zk-test-helpers';
import { type BrowserHost, screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { expandChain, row, selectNode } from './explorer-helpers';
import { hostApi } from './host-api';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('e2e-snapshot-restart');
let session: ZkSession;
let host: BrowserHost;
/** Its data dir outlives a host: the test restarts the app on it. */
let desk: E2eDesk;
let page: Page;
/** Kept across the restart; deleted while the app is closed. */
let kept: SnapshotView;
let deleted: SnapshotView;

/** A snapshot's tab: its title starts with the connection's name and the root (then the time). */
function tabOf(view: SnapshotView) {
  return page.locator(`[data-testid^="open-connection-snap ${view.root} @"]`);
}

async function shownPath(): Promise<string | null> {
  return page.locator('[data-testid="connection-workspace"]:visible [data-testid="node-path"]').textContent();
}

async function capture(path: string): Promise<SnapshotView> {
  const api = hostApi(host);
  const connections = await api.connections.list.query();
  const connectionId = connections.find((profile) => profile.name === 'snap')?.id;
  if (!connectionId) throw new Error('the connection snap is missing');
  await api.snapshots.capture.mutate({ connectionId, path });
  // Not expect.poll: this runs in beforeAll.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await api.snapshots.list.query({ connectionId });
    const found = list.find((item) => item.root === path);
    if (found?.state === 'complete') return found;
    if (found?.state === 'failed') throw new Error(`the snapshot of ${path} failed: ${found.error}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the snapshot of ${path} was not complete within 15 s`);
}

async function openFromLibrary(view: SnapshotView): Promise<void> {
  await page.getByTestId('open-snapshot-library').click();
  const table = page.getByTestId('snapshot-table');
  await table
    .locator(`[data-testid="snapshot-row"][data-snapshot-id="${view.id}"] [data-testid="snapshot-open"]`)
    .click();
  await tabOf(view).waitFor({ timeout: 10_000 });
  // The library stays open behind the new tab: close it.
  if (await table.isVisible()) await page.keyboard.press('Escape');
  await table.waitFor({ state: 'detached', timeout: 10_000 });
}

beforeAll(async () => {
  session = await connectTestSession(zk);
  await ensurePath(session, `${root}/kept/inner/leaf`);
  await ensurePath(session, `${root}/gone/x`);
  desk = await openE2eDesk({
    viewport: { width: 1400, height: 900 },
    setup: async (api, started) => {
      host = started;
      await api.connections.create.mutate({ name: 'snap', connectString: zk });
      kept = await capture(`${root}/kept`);
      deleted = await capture(`${root}/gone`);
    },
  });
  ({ page } = desk);
}, 90_000);

afterAll(async () => {
  await desk?.close();
  if (session) await deleteTree(session, root).catch(() => undefined);
  await session?.close();
});

describe('snapshot workspaces after a restart', () => {
  it('reopens the snapshot tabs with their trees, and drops a deleted one with a notice', async () => {
    await openFromLibrary(deleted);
    await openFromLibrary(kept);
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="snapshot-banner"]')
      .waitFor({ timeout: 10_000 });
    await expandChain(page, `${root}/kept/inner`);
    await selectNode(page, `${root}/kept/inner/leaf`);
    // The workspace is saved shortly after each change.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await page.close();

    // While the app is closed, one of the two snapshots is deleted.
    await hostApi(host).snapshots.remove.mutate({
      snapshotId: deleted.id,
      confirmNodeCount: deleted.nodeCount,
    });
    host = await desk.restartHost();
    // A fresh browser profile: the workspace comes back from the host, not from the page's storage.
    page = await desk.newPage({ ownProfile: true });
    await tabOf(kept).waitFor({ timeout: 15_000 });
    await page.getByTestId('snapshot-reopen-notice').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('snapshot-reopen-notice').textContent()).toMatch(/deleted since/);
    expect(await tabOf(deleted).count()).toBe(0);
    // The one in front, offline, with its tree and open node as they were.
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="snapshot-banner"]')
      .waitFor({ timeout: 15_000 });
    await expect.poll(shownPath, { timeout: 15_000 }).toBe(`${root}/kept/inner/leaf`);
    await row(page, `${root}/kept/inner/leaf`).waitFor({ timeout: 15_000 });
    expect(await row(page, `${root}/kept/inner`).getAttribute('data-expanded')).toBe('true');
    await screenshot(page, 'snapshot-restart-01-reopened');

    // The notice is dismissed by the operator, and the dropped tab is not remembered any more.
    await page.getByTestId('snapshot-reopen-notice').getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByTestId('snapshot-reopen-notice').count()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const remembered = await hostApi(host).workspace.get.query();
    expect(remembered.openConnectionIds).toEqual([kept.workspaceId]);
  });
});
