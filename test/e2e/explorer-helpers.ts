/** Steps the explorer end-to-end tests share: adding a connection, expanding paths, reading the tree. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Adds a connection through the form and opens it. */
export async function addConnection(page: Page, name: string, connectString: string): Promise<void> {
  await page.getByTestId('add-connection').first().click();
  await page.getByTestId('connection-name').fill(name);
  await page.getByTestId('connection-connect-string').fill(connectString);
  await page.getByTestId('connection-save').click();
  await openConnection(page, name);
}

/** Opens a saved connection from the list and waits until it is connected. */
export async function openConnection(page: Page, name: string, timeoutMs = 15_000): Promise<void> {
  await page.getByTestId(`connection-item-${name}`).click();
  // Not expect.poll: this also runs in beforeAll hooks.
  await page
    .getByTestId('connection-state')
    .filter({ hasText: /^connected$/ })
    .first()
    .waitFor({ timeout: timeoutMs });
}

export function row(page: Page, path: string) {
  return page.locator(
    `[data-testid="connection-workspace"]:visible [data-testid="tree-row"][data-path="${path}"]`,
  );
}

/** Expands one node (its row must be rendered) and waits until it says so. */
export async function expandPath(page: Page, path: string): Promise<void> {
  const target = row(page, path);
  await target.waitFor({ timeout: 15_000 });
  if ((await target.getAttribute('data-expanded')) !== 'true') {
    await target.locator('[data-testid="tree-toggle"]').click();
  }
  await page
    .locator(
      `[data-testid="connection-workspace"]:visible [data-testid="tree-row"][data-path="${path}"][data-expanded="true"]`,
    )
    .waitFor({ timeout: 15_000 });
}

/** '/a/b/c' -> ['/', '/a', '/a/b', '/a/b/c'], each expanded in turn. */
export async function expandChain(page: Page, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  await expandPath(page, '/');
  for (let i = 1; i <= parts.length; i++) await expandPath(page, `/${parts.slice(0, i).join('/')}`);
}

/** How many tree rows the DOM holds right now (the virtualizer's window, not the list). */
export function domRowCount(page: Page): Promise<number> {
  return page.locator('[data-testid="connection-workspace"]:visible [data-testid="tree-row"]').count();
}

export async function selectNode(page: Page, path: string): Promise<void> {
  await row(page, path).click();
  await expect
    .poll(
      () =>
        page.locator('[data-testid="connection-workspace"]:visible [data-testid="node-path"]').textContent(),
      {
        timeout: 10_000,
      },
    )
    .toBe(path);
}
