/**
 * A connection through an SSH jump host, set up in the connection form in Chromium: a real sshd on
 * 127.0.0.1 (started here) in front of the real test ZooKeeper. The host key is checked and
 * confirmed on first use, the test goes through the tunnel, the tree and the health view work
 * through it, and a key the server does not accept is refused with a message that says why.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalSshd, PASSPHRASE, startLocalSshd } from '../setup/local-sshd';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { row } from './explorer-helpers';

const zk = inject('zkPrimary');
let sshd: LocalSshd;
let dir: string;
let desk: E2eDesk | undefined;
let page: Page;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-e2e-sshd-'));
  sshd = await startLocalSshd({ dir });
  desk = await openE2eDesk({ viewport: { width: 1400, height: 1000 } });
  ({ page } = desk);
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await sshd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fillTunnel(name: string, keyPath: string, passphrase: string): Promise<void> {
  await page.getByTestId('add-connection').first().click();
  await page.getByTestId('connection-name').fill(name);
  await page.getByTestId('connection-connect-string').fill(zk);
  // The switch's input lies over its label: a plain click on the text would land on it anyway.
  await page.getByTestId('ssh-enabled').check({ force: true });
  await page.getByTestId('ssh-host').fill('127.0.0.1');
  await page.getByTestId('ssh-port').fill(String(sshd.port));
  await page.getByTestId('ssh-user').fill(sshd.user);
  await page.getByTestId('ssh-key-path').fill(keyPath);
  if (passphrase) await page.getByTestId('ssh-secret').fill(passphrase);
}

describe('SSH jump host', () => {
  it('shows the host key on first use and trusts it only when the operator confirms', async () => {
    await fillTunnel('via-bastion', sshd.encryptedClientKey.privateKeyPath, PASSPHRASE);
    await page.getByTestId('ssh-check-host-key').click();
    const verdict = page.getByTestId('ssh-host-key');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('unknown');
    expect(await page.getByTestId('ssh-host-key-fingerprint').textContent()).toBe(sshd.hostKey.fingerprint);
    await screenshot(page, 'ssh-01-first-use-fingerprint');
    await page.getByTestId('ssh-trust-host-key').click();
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('trusted');
    expect(await verdict.textContent()).toContain(sshd.hostKey.fingerprint);
  });

  it('tests the connection through the tunnel, then browses the tree through it', async () => {
    await page.getByTestId('connection-test').click();
    const result = page.getByTestId('connection-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 30_000 }).toBe('true');
    expect(await result.textContent()).toContain(`through the SSH jump host 127.0.0.1:${sshd.port}`);
    expect(await page.getByTestId('connection-test-tunnel').textContent()).toContain(`${zk} reachable`);
    await screenshot(page, 'ssh-02-test-through-tunnel');
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection-item-via-bastion').click();
    await page
      .getByTestId('connection-state')
      .filter({ hasText: /^connected$/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await row(page, '/zookeeper').waitFor({ timeout: 20_000 });
    await screenshot(page, 'ssh-03-tree-through-tunnel');

    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-health"]')
      .click();
    const via = page.locator('[data-testid="connection-workspace"]:visible [data-testid="health-via"]');
    await via.waitFor({ timeout: 30_000 });
    expect(await via.textContent()).toContain(`127.0.0.1:${sshd.port}`);
    await screenshot(page, 'ssh-04-health-through-tunnel');
  });

  it('says which key the jump host refused', async () => {
    await fillTunnel('wrong-key', sshd.strangerKey.privateKeyPath, '');
    await page.getByTestId('connection-test').click();
    const result = page.getByTestId('connection-test-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 30_000 }).toBe('false');
    const text = await result.textContent();
    expect(text).toContain(`refused user '${sshd.user}'`);
    expect(text).toContain(sshd.strangerKey.privateKeyPath);
    await screenshot(page, 'ssh-05-wrong-key-refused');
  });
});
