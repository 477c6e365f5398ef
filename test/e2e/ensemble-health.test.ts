/**
 * The Health tab in Chromium against the browser host and a real three-member ensemble started
 * here (member 3 whitelists only srvr and ruok), plus a port where nothing listens: servers side by
 * side, the dead one marked, the whitelist explained, and a leader failover seen by the refresh.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../scripts/local-zookeeper';
import { type LocalEnsemble, startLocalEnsemble } from '../setup/local-ensemble';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addConnection } from './explorer-helpers';

let desk: E2eDesk | undefined;
let page: Page;
let ensemble: LocalEnsemble;
let dir: string;
let dead: string;

const view = () => page.locator('[data-testid="connection-workspace"]:visible [data-testid="health-view"]');
const serverHeader = (address: string) =>
  view().locator(`[data-testid="health-server"][data-address="${address}"]`);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdesk-e2e-ensemble-'));
  ensemble = await startLocalEnsemble({ dir, whitelist: { 3: 'srvr,ruok' } });
  dead = `127.0.0.1:${await findFreePort()}`;
  desk = await openE2eDesk({ viewport: { width: 1500, height: 1000 } });
  ({ page } = desk);
  await addConnection(page, 'ensemble', `${ensemble.connectString},${dead}`);
}, 150_000);

afterAll(async () => {
  await desk?.close();
  await ensemble?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ensemble health', () => {
  it('shows every server side by side with its mode, zxid and counts, and marks the dead one', async () => {
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-health"]')
      .click();
    await view().locator('[data-testid="health-table"]').waitFor({ timeout: 30_000 });
    expect(await view().getByTestId('health-reachable').textContent()).toBe('3 of 4 answering');
    const modes = await view()
      .locator('[data-testid="health-server"]')
      .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-mode')));
    expect(modes.slice(0, 3).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(modes[3]).toBe('unknown');
    expect(await serverHeader(dead).getByTestId('health-mode').textContent()).toBe('unreachable');
    expect(await view().getByTestId('health-unreachable').textContent()).toMatch(/ECONNREFUSED/);
    const zxids = await view().getByTestId('health-row-zxid').textContent();
    expect(zxids).toMatch(/0x[0-9a-f]+/);
    const warning = view().locator('[data-testid="health-warning"][data-code="unreachable"]');
    expect(await warning.textContent()).toContain(dead);
    await screenshot(page, 'health-01-ensemble-side-by-side');
  });

  it('explains the 4lw whitelist of the member that refuses mntr, conf and cons', async () => {
    const narrow = ensemble.members[2]!.address;
    const help = view().getByTestId('health-whitelist-help');
    await help.waitFor();
    expect(await help.textContent()).toContain(narrow);
    expect(await view().getByTestId('health-whitelist-line').textContent()).toBe(
      '4lw.commands.whitelist=srvr,mntr,conf,cons,ruok',
    );
    expect(await view().getByTestId('health-cell-refused').count()).toBeGreaterThan(0);
    await help.scrollIntoViewIfNeeded();
    await screenshot(page, 'health-02-whitelist-explained');
  });

  it('sees the leader go down on refresh, and the new leader taking over', async () => {
    const leaderAddress = await view()
      .locator('[data-testid="health-server"][data-mode="leader"]')
      .getAttribute('data-address');
    const leader = ensemble.members.find((m) => m.address === leaderAddress);
    expect(leader).toBeDefined();
    // Faster refresh, then stop the leader: the view must notice on its own.
    await view().getByTestId('health-interval').click();
    await page.getByRole('option', { name: 'Every 5 s' }).click();
    await leader!.stop();
    await expect
      .poll(async () => serverHeader(leaderAddress as string).getAttribute('data-mode'), { timeout: 60_000 })
      .toBe('unknown');
    await expect
      .poll(async () => view().locator('[data-testid="health-server"][data-mode="leader"]').count(), {
        timeout: 60_000,
      })
      .toBe(1);
    expect(await view().getByTestId('health-reachable').textContent()).toBe('2 of 4 answering');
    await screenshot(page, 'health-03-after-leader-failover');
  }, 150_000);
});
