/**
 * Several connections at once, each with its own tree, and the workspace remembered across a
 * restart of the app (the host keeps it, so the desktop window and the browser agree).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZkSession } from '../../electron/zk/zk-session';
import { connectTestSession, deleteTree, ensurePath } from '../setup/zk-tree-builder';
import { uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addConnection, expandChain, openConnection, row, selectNode } from './explorer-helpers';

const primary = inject('zkPrimary');
const secondary = inject('zkSecondary');
const root = uniqueTestRoot('e2e-workspace');
/** Its data dir outlives a host: the restart test starts the app again on it. */
let desk: E2eDesk;
let page: Page;
let alphaZk: ZkSession;
let betaZk: ZkSession;

beforeAll(async () => {
  alphaZk = await connectTestSession(primary);
  betaZk = await connectTestSession(secondary);
  await ensurePath(alphaZk, `${root}/alpha/deep/leaf`);
  await ensurePath(betaZk, `${root}/beta/only-on-beta`);
  desk = await openE2eDesk({ viewport: { width: 1400, height: 900 } });
  ({ page } = desk);
}, 90_000);

afterAll(async () => {
  await desk?.close();
  await deleteTree(alphaZk, root).catch(() => undefined);
  await deleteTree(betaZk, root).catch(() => undefined);
  await alphaZk?.close();
  await betaZk?.close();
});

async function shownPath(): Promise<string | null> {
  return page.locator('[data-testid="connection-workspace"]:visible [data-testid="node-path"]').textContent();
}

describe('several connections at once', () => {
  it('keeps a tree per connection, switching between them without losing either', async () => {
    await addConnection(page, 'alpha', primary);
    await expandChain(page, `${root}/alpha/deep`);
    await selectNode(page, `${root}/alpha/deep/leaf`);

    await addConnection(page, 'beta', secondary);
    await expandChain(page, `${root}/beta`);
    await selectNode(page, `${root}/beta/only-on-beta`);
    // beta's ensemble does not have alpha's nodes.
    expect(await row(page, `${root}/alpha`).count()).toBe(0);

    await page.getByTestId('switch-connection-alpha').click();
    await expect.poll(shownPath).toBe(`${root}/alpha/deep/leaf`);
    expect(await row(page, `${root}/alpha/deep`).getAttribute('data-expanded')).toBe('true');
    expect(await page.getByTestId('header-connection-name').textContent()).toBe('alpha');
    await screenshot(page, 'workspace-01-two-connections');
  });
});

describe('after a restart', () => {
  it('reopens the same connections, the selected one in front, with their trees and open nodes', async () => {
    // Leave beta in front, then restart the app on the same data dir.
    await page.getByTestId('switch-connection-beta').click();
    await expect.poll(shownPath).toBe(`${root}/beta/only-on-beta`);
    // The workspace is saved shortly after each change.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await page.close();
    await desk.restartHost();
    // A fresh browser profile: the workspace comes back from the host, not from the page's storage.
    page = await desk.newPage({ ownProfile: true });
    await page.getByTestId('open-connection-alpha').waitFor({ timeout: 15_000 });
    await page.getByTestId('open-connection-beta').waitFor();
    expect(await page.getByTestId('header-connection-name').textContent()).toBe('beta');
    await expect.poll(shownPath, { timeout: 15_000 }).toBe(`${root}/beta/only-on-beta`);
    await row(page, `${root}/beta/only-on-beta`).waitFor({ timeout: 15_000 });
    expect(await row(page, `${root}/beta`).getAttribute('data-expanded')).toBe('true');
    await screenshot(page, 'workspace-02-restored-after-restart');

    await page.getByTestId('switch-connection-alpha').click();
    await expect.poll(shownPath, { timeout: 15_000 }).toBe(`${root}/alpha/deep/leaf`);
    await row(page, `${root}/alpha/deep/leaf`).waitFor({ timeout: 15_000 });
  });

  it('forgets a closed connection, and closes its session', async () => {
    await page.getByTestId('close-connection-beta').click();
    await expect.poll(() => page.getByTestId('open-connection-beta').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('connection-item-beta').locator('text=closed').count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const remembered = await page.evaluate(
      async () => (await (await fetch('/trpc/workspace.get')).json()).result.data,
    );
    expect(remembered.openConnectionIds).toHaveLength(1);
    expect(Object.keys(remembered.explorers)).toHaveLength(1);
  });
});

describe('deleting a saved connection', () => {
  it('asks first, then drops it from the list, closes its tab and audits it', async () => {
    // beta is saved but closed (above): open it again, so there is a tab to close.
    await openConnection(page, 'beta');
    await page.getByTestId('open-connection-beta').waitFor({ timeout: 15_000 });
    const beta = (await desk.api.connections.list.query()).find((profile) => profile.name === 'beta');
    if (!beta) throw new Error('beta is not among the saved connections');
    const removals = () => desk.api.audit.list.query({ target: beta.id, actionPrefix: 'connection.removed' });

    // The modal's testid sits on Mantine's zero-size root; its content is the dialog the operator reads.
    const dialog = page.getByRole('dialog', { name: 'Delete connection' });
    const askToDelete = async () => {
      await page.getByTestId('connection-menu-beta').click();
      await page.getByTestId('connection-delete').click();
      await page.getByTestId('connection-delete-confirm').waitFor();
    };
    // Cancelled: nothing goes.
    await askToDelete();
    expect(await dialog.textContent()).toContain('Delete beta (');
    expect(await dialog.textContent()).toContain('Nothing on the ensemble changes');
    await screenshot(page, 'workspace-03-delete-connection');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('connection-delete-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('connection-item-beta').count()).toBe(1);
    expect(await page.getByTestId('open-connection-beta').count()).toBe(1);
    expect(await removals()).toHaveLength(0);

    // Confirmed: gone from the list and the open tabs; alpha stays, in front.
    await askToDelete();
    await page.getByTestId('connection-delete-confirm').click();
    await page.getByTestId('connection-delete-dialog').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => page.getByTestId('connection-item-beta').count()).toBe(0);
    await expect.poll(() => page.getByTestId('open-connection-beta').count()).toBe(0);
    expect(await page.getByTestId('connection-item-alpha').count()).toBe(1);
    expect(await page.getByTestId('header-connection-name').textContent()).toBe('alpha');
    expect((await desk.api.connections.list.query()).map((profile) => profile.name)).toEqual(['alpha']);

    const audit = await removals();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'connection.removed',
      target: beta.id,
      detail: { name: 'beta' },
    });
  });
});
