/**
 * The run view across a host restart, in a real Chromium against the browser host and the two test
 * ZooKeeper servers: a subtree-migration in mirror mode waits at its gate; the host process is
 * stopped (the page says it lost live updates and is reconnecting), then started again on the same
 * data dir and the same port. The browser host's token is per launch, so the open page's cookie no
 * longer opens the new host: the page says so, with what to do (open the new address) and a reload
 * action, instead of retrying forever. Once the operator opens the new address in another tab, the
 * first page reconnects by itself, shows the run still at its gate, and a confirm typed there after
 * the restart is applied by the new host. Every wait is bounded and waits for a state.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { type BrowserHost, screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addReadWriteConnection } from './host-api';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('e2e-restart-src');
const mirrorTarget = uniqueTestRoot('e2e-restart-dst');
const UI_MS = 20_000;
const RUN_MS = 120_000;

let src: ZkSession;
let dst: ZkSession;
let host: BrowserHost | undefined;
/** One data dir across the restart; one browser profile whose tabs share the host's cookie. */
let desk: E2eDesk;
let page: Page;

const connect = (connectString: string) =>
  ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });

function stepRow(stepId: string) {
  return page.locator(`[data-testid="step-row"][data-step="${stepId}"]`);
}

async function choose(param: string, optionName: RegExp): Promise<void> {
  await page.getByTestId(`param-${param}`).click();
  await page.getByRole('option', { name: optionName }).first().click();
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(source, Buffer.from('root'));
  await src.create(`${source}/a`, Buffer.from([0x00, 0xff, 0x0a]));
  // Mirror mode deletes what the source lacks, but only once the gate is confirmed.
  await dst.create(mirrorTarget, Buffer.from('old'));
  await dst.create(`${mirrorTarget}/stale`, Buffer.from('not in the source'));

  desk = await openE2eDesk({
    viewport: { width: 1500, height: 1100 },
    setup: async (api) => {
      await api.connections.create.mutate({ name: 'source', connectString: SRC });
      await addReadWriteConnection(api, 'target', DST);
    },
  });
  ({ host, page } = desk);
  await page.getByTestId('area-nav').waitFor({ timeout: UI_MS });
}, 120_000);

afterAll(async () => {
  await desk?.close();
  if (src) {
    await removeTree(src, source);
    await src.close();
  }
  if (dst) {
    await removeTree(dst, mirrorTarget);
    await dst.close();
  }
});

describe('run view across a host restart', () => {
  it('says the stream is down, then that access ended, and reconnects once the new address is opened', async () => {
    // A run waiting at its gate.
    await page.getByTestId('area-migrations').click();
    await page.getByTestId('new-run-subtree-migration').click();
    await page.getByTestId('new-run-wizard').waitFor({ timeout: UI_MS });
    await choose('source', /^source \(/);
    await page.getByTestId('param-sourcePath').fill(source);
    await choose('target', /^target \(/);
    await page.getByTestId('param-targetPath').fill(mirrorTarget);
    await choose('mode', /mirror/);
    await page.getByTestId('wizard-create-start').click();
    await page.getByTestId('run-view').waitFor({ timeout: UI_MS });
    await stepRow('confirm-mirror').and(page.locator('[data-state="waiting-for-operator"]')).waitFor({
      timeout: RUN_MS,
    });
    await page.getByTestId('gate-confirm').waitFor({ timeout: UI_MS });
    const runId = await page.getByTestId('run-view').getAttribute('data-run');
    expect(runId).toBeTruthy();
    await expect(page.getByTestId('runs-stream-lost').count()).resolves.toBe(0);

    // The host goes away: the page says live updates are lost and it is reconnecting.
    const port = host?.port as number;
    const oldUrl = host?.url as string;
    await desk.stopHost();
    host = undefined;
    await page.getByTestId('runs-stream-lost').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('runs-stream-lost').textContent()).resolves.toContain('reconnecting');
    await screenshot(page, 'run-stream-host-down');

    // Same data dir, same port, a new launch (and so a new token).
    host = await desk.restartHost({ port });
    expect(host.port).toBe(port);
    expect(host.url).not.toBe(oldUrl);

    // The old cookie no longer opens the host: the page says so and what to do, and stops retrying.
    const lost = page.getByTestId('runs-access-lost');
    await lost.waitFor({ timeout: UI_MS });
    const text = (await lost.textContent()) ?? '';
    expect(text).toContain('Migration Desk was restarted');
    expect(text).toContain('access token changes on every start');
    expect(text).toContain('Open the address Migration Desk printed');
    expect(text).toContain('The run itself is safe');
    await expect(page.getByTestId('runs-reload').isEnabled()).resolves.toBe(true);
    await expect(page.getByTestId('runs-stream-lost').count()).resolves.toBe(0);
    await screenshot(page, 'run-stream-access-lost');

    // Nothing happened to the run meanwhile: the gate still holds and nothing was deleted.
    await expect(dst.exists(`${mirrorTarget}/stale`)).resolves.not.toBeNull();

    // The operator opens the new address in another tab: the cookie is refreshed for this host.
    const second = await desk.newPage();
    await second.getByTestId('area-nav').waitFor({ timeout: UI_MS });
    await second.close();

    // The first page comes back by itself, with the run as the new host sees it.
    await lost.waitFor({ state: 'detached', timeout: UI_MS });
    await expect(page.getByTestId('runs-stream-lost').count()).resolves.toBe(0);
    await expect(page.getByTestId('run-view').getAttribute('data-run')).resolves.toBe(runId);
    await stepRow('confirm-mirror').and(page.locator('[data-state="waiting-for-operator"]')).waitFor({
      timeout: UI_MS,
    });

    // A confirm typed after the restart is applied by the new host.
    await page.getByTestId('gate-text').fill(mirrorTarget);
    await page.getByTestId('gate-note').fill('confirmed after the host restart');
    await page.getByTestId('gate-confirm').click();
    await page.locator('[data-testid="run-view"][data-state="completed"]').waitFor({ timeout: RUN_MS });
    await expect(dst.exists(`${mirrorTarget}/stale`)).resolves.toBeNull();
    expect((await dst.getData(`${mirrorTarget}/a`)).data.equals(Buffer.from([0x00, 0xff, 0x0a]))).toBe(true);
    await screenshot(page, 'run-stream-after-restart');
  });
});
