/**
 * The e2e tests' one launch path (e2e-desk.ts) keeps its promises: a desk whose opening fails half
 * way leaves no host process or data dir behind, close() stops the host and Chromium and removes the
 * data dir, and a restart on the same data dir keeps what the first host saved.
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';

const VIEWPORT = { width: 800, height: 600 };
let desk: E2eDesk | undefined;

afterAll(async () => {
  await desk?.close();
});

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

describe('the e2e desk', () => {
  it('stops the host and removes its data dir when opening fails half way', async () => {
    let started: BrowserHost | undefined;
    const opening = openE2eDesk({
      viewport: VIEWPORT,
      setup: async (_api, host) => {
        started = host;
        throw new Error('setup failed on purpose');
      },
    });
    await expect(opening).rejects.toThrow('setup failed on purpose');
    expect(started).toBeDefined();
    expect(exited(started!.process)).toBe(true);
    expect(existsSync(started!.dataDir)).toBe(false);
  });

  it('keeps the data across a restart, then close() stops everything and removes the data dir', async () => {
    desk = await openE2eDesk({
      viewport: VIEWPORT,
      setup: async (api) => {
        await api.connections.create.mutate({ name: 'kept', connectString: '127.0.0.1:1' });
      },
    });
    await desk.page.getByTestId('area-nav').waitFor({ timeout: 20_000 });
    const first = desk.host;
    const restarted = await desk.restartHost();
    expect(exited(first.process)).toBe(true);
    expect(restarted.dataDir).toBe(first.dataDir);
    expect(restarted.url).not.toBe(first.url);
    expect((await desk.api.connections.list.query()).map((profile) => profile.name)).toEqual(['kept']);
    const tab = await desk.newPage({ ownProfile: true });
    await tab.getByTestId('connection-item-kept').waitFor({ timeout: 20_000 });

    const { browser, dataDir } = desk;
    await desk.close();
    desk = undefined;
    expect(browser.isConnected()).toBe(false);
    expect(exited(restarted.process)).toBe(true);
    expect(existsSync(dataDir)).toBe(false);
  });
});
