/**
 * An operator's first minutes, in a real Chromium against the real browser host and a real
 * ZooKeeper: add a connection, browse the tree, open a node, read its data and stat.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { uniqueTestRoot, writeWithKazoo } from '../setup/zk-test-helpers';
import { type BrowserHost, screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';

const zk = inject('zkPrimary');
const root = uniqueTestRoot('e2e');
const appJson =
  '{"status":"app_status::AS_AVAILABLE","app_type":"pegasus","app_name":"user_profile","app_id":12,"partition_count":8,"envs":{},"is_stateful":1,"max_replica_count":3}';
const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0xc3, 0x28, 0x00, 0x41]);

let host: BrowserHost;
let desk: E2eDesk | undefined;
let page: Page;
let setDataVersion = 0;

beforeAll(async () => {
  // Seed with an independent client (kazoo), then bump one version with ours.
  await writeWithKazoo(zk, `${root}/cluster/apps/12`, Buffer.from(appJson));
  await writeWithKazoo(zk, `${root}/cluster/apps/12/0`, Buffer.from('{"pid":"12.0","ballot":3}'));
  await writeWithKazoo(zk, `${root}/cluster/blob`, binary);
  const session = await ZkSession.connect({
    connectString: zk,
    sessionTimeoutMs: 10_000,
    connectTimeoutMs: 5000,
  });
  const stat = await session.setData(`${root}/cluster/apps/12`, Buffer.from(appJson), -1);
  setDataVersion = stat.version;
  await session.close();

  // The first test opens the page itself (it checks what a URL without the token gets).
  desk = await openE2eDesk({ viewport: { width: 1400, height: 900 }, goto: false });
  ({ host, page } = desk);
});

afterAll(async () => {
  await desk?.close();
});

async function expandPath(path: string): Promise<void> {
  const row = page.locator(`[data-testid="tree-row"][data-path="${path}"]`);
  await row.waitFor({ timeout: 15_000 });
  if ((await row.getAttribute('data-expanded')) !== 'true') {
    await row.locator('[data-testid="tree-toggle"]').click();
  }
  await page.waitForFunction(
    (p) =>
      document.querySelector(`[data-testid="tree-row"][data-path="${p}"]`)?.getAttribute('data-expanded') ===
      'true',
    path,
  );
}

describe('explorer in Chromium', () => {
  it('prints exactly one line, with the URL and token', () => {
    expect(host.stdoutLines).toHaveLength(1);
    expect(host.stdoutLines[0]).toMatch(
      new RegExp(
        `^Migration Desk listening on http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{20,}$`,
      ),
    );
  });

  it('refuses the page without the token', async () => {
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(401);
  });

  it('shows the empty state, then validates the connect string as the operator types', async () => {
    await page.goto(host.url);
    await page.getByTestId('empty-state').first().waitFor();
    await page.getByTestId('add-connection').first().click();
    await page.getByTestId('connection-name').fill('local');
    await page.getByTestId('connection-connect-string').fill('a:1,,b:2');
    await expect
      .poll(() => page.getByTestId('form-error').first().textContent())
      .toMatch(/empty server entry at position 2/);
    await page.getByTestId('connection-connect-string').fill('localhost');
    await expect.poll(() => page.getByTestId('form-error').first().textContent()).toMatch(/no port/);
    await screenshot(page, '01-connection-form-validation');
  });

  it('adds a connection, tests it and connects', async () => {
    await page.getByTestId('connection-connect-string').fill(zk);
    await page.getByTestId('connection-test').click();
    await expect
      .poll(() => page.getByTestId('connection-test-result').textContent(), { timeout: 15_000 })
      .toMatch(/Connected/);
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection-item-local').click();
    await expect
      .poll(() => page.getByTestId('connection-state').first().textContent(), { timeout: 15_000 })
      .toMatch(/connected/i);
    await screenshot(page, '02-connected');
  });

  it('expands the tree lazily and opens a JSON node with its stat', async () => {
    await page.locator('[data-testid="tree-row"][data-path="/"]').waitFor();
    await expandPath('/');
    for (const path of pathsBelow(`${root}/cluster/apps`)) await expandPath(path);
    await page.locator(`[data-testid="tree-row"][data-path="${root}/cluster/apps/12"]`).click();
    const panel = page.getByTestId('node-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('node-path').textContent()).toContain(`${root}/cluster/apps/12`);
    await expect
      .poll(() => page.getByTestId('node-json').textContent())
      .toContain('"app_name": "user_profile"');
    expect(await page.getByTestId('node-stat-version').textContent()).toContain(String(setDataVersion));
    expect(await page.getByTestId('node-stat-dataLength').textContent()).toContain(
      String(Buffer.byteLength(appJson)),
    );
    expect(await page.getByTestId('node-stat-numChildren').textContent()).toContain('1');
    expect(await page.getByTestId('node-stat-mzxid').textContent()).toMatch(/0x[0-9a-f]+/);
    await screenshot(page, '03-json-node');
  });

  it('shows binary data as hex, byte for byte', async () => {
    await page.locator(`[data-testid="tree-row"][data-path="${root}/cluster/blob"]`).click();
    await expect.poll(() => page.getByTestId('node-path').textContent()).toContain(`${root}/cluster/blob`);
    await page.getByTestId('tab-hex').click();
    const hex = (await page.getByTestId('node-hex').textContent()) ?? '';
    expect(hex.replace(/\s+/g, ' ')).toMatch(/00 01 fe ff c3 28 00 41/i);
    await screenshot(page, '04-binary-node-hex');
  });

  it('keeps the view usable when the node is deleted while open', async () => {
    // The node is open (previous test); the live view sees it deleted by another client.
    const session = await ZkSession.connect({
      connectString: zk,
      sessionTimeoutMs: 10_000,
      connectTimeoutMs: 5000,
    });
    await session.remove(`${root}/cluster/blob`, -1);
    await session.close();
    await expect
      .poll(() => page.getByTestId('node-change-banner').getAttribute('data-kind'), { timeout: 10_000 })
      .toBe('deleted');
    // Its parent is expanded, so the tree drops the row; the panel keeps the last version read.
    await expect
      .poll(() => page.locator(`[data-testid="tree-row"][data-path="${root}/cluster/blob"]`).count(), {
        timeout: 10_000,
      })
      .toBe(0);
    // Re-reading the deleted node gives a clear message and a way back, not a broken panel.
    await page.getByTestId('node-refresh').click();
    await expect
      .poll(() => page.getByTestId('error-state').first().textContent(), { timeout: 10_000 })
      .toMatch(/no longer exists|does not exist/);
    await screenshot(page, '05-deleted-node');
    await page.getByTestId('node-go-parent').click();
    await expect.poll(() => page.getByTestId('node-path').textContent()).toBe(`${root}/cluster`);
  });

  it('reports an unreachable ensemble within the connect timeout', async () => {
    await page.getByTestId('add-connection').first().click();
    await page.getByTestId('connection-name').fill('nowhere');
    await page.getByTestId('connection-connect-string').fill('127.0.0.1:1');
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection-item-nowhere').click();
    await expect
      .poll(() => page.getByTestId('error-state').first().textContent(), { timeout: 15_000 })
      .toMatch(/Could not reach/);
    await screenshot(page, '06-unreachable');
    // The badges say the ensemble was not reached, in red, not "closed" as if the operator closed it;
    // the host's reason is one hover away.
    const header = page.getByTestId('connection-state');
    const sidebar = page.getByTestId('connection-item-state-nowhere');
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toBe('unreachable');
    expect(await sidebar.textContent()).toBe('unreachable');
    expect(await header.locator('xpath=ancestor::*[@data-state][1]').getAttribute('data-color')).toBe('red');
    await header.hover();
    await expect
      .poll(() => page.locator('.mantine-Tooltip-tooltip').textContent(), { timeout: 5000 })
      .toMatch(/Could not reach 127\.0\.0\.1:1/);
    // Retry goes through the normal states: connecting, then (still nothing there) unreachable again.
    await page.evaluate(() => {
      const badge = () => document.querySelector('[data-testid="connection-state"]')?.textContent;
      const seen: string[] = [badge() ?? ''];
      const observer = new MutationObserver(() => {
        const text = badge();
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      Object.assign(window, { badgeStates: { seen, observer } });
    });
    await page.getByTestId('error-retry').click();
    await expect
      .poll(
        () =>
          page.evaluate(() => (window as unknown as { badgeStates: { seen: string[] } }).badgeStates.seen),
        {
          timeout: 20_000,
        },
      )
      .toEqual(['unreachable', 'connecting', 'unreachable']);
    // Pointed at a live ensemble, it connects: the badge is back to the session's own state.
    await page.getByTestId('connection-menu-nowhere').click();
    await page.getByTestId('connection-edit').click();
    await page.getByTestId('connection-connect-string').fill(zk);
    await page.getByTestId('connection-save').click();
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toBe('connected');
    expect(await sidebar.textContent()).toBe('connected');
    expect(existsSync(`${process.env.MDESK_TEST_ARTIFACTS ?? 'test-artifacts'}/e2e/03-json-node.png`)).toBe(
      true,
    );
  });
});

/** '/a/b/c' -> ['/a', '/a/b', '/a/b/c'] */
function pathsBelow(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}
