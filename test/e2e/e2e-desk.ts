/**
 * One launch path for the Chromium e2e tests: a browser host on a data dir this desk owns, Chromium,
 * one browser profile (context) with a page, and the host's tRPC client. Tests differ only in the
 * options (viewport, downloads, clipboard, extra host env, connections saved before the page opens)
 * and in whether they restart the host on the same data (restartHost). close() stops everything that
 * was started, and a desk that fails half way through opening closes what it had started before the
 * error reaches beforeAll, so no host process, Chromium or temp dir outlives a failed test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { type BrowserHost, launchChromium, startBrowserHost } from './browser-host';
import { type HostApi, hostApi } from './host-api';

export interface E2eDeskOptions {
  viewport: { width: number; height: number };
  /** More of the browser profile: acceptDownloads, clipboard permissions. */
  context?: Omit<BrowserContextOptions, 'viewport'>;
  /** Extra environment for the host process (a fixture's scenario file, say); kept across restarts. */
  env?: NodeJS.ProcessEnv;
  /** Runs once the host answers, before the page opens (the renderer reads saved connections on start). */
  setup?(api: HostApi, host: BrowserHost): Promise<unknown>;
  /** Open the host's URL in the page (default true); false leaves a blank page for the test to navigate. */
  goto?: boolean;
}

export interface E2eDesk {
  /** The running host; a new one after restartHost(). */
  readonly host: BrowserHost;
  /** A client for the running host (a new token after a restart). */
  readonly api: HostApi;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly dataDir: string;
  /**
   * A further tab on the host's URL: in the same profile (it shares the host's cookie), or with
   * `ownProfile` in a fresh one with the desk's options (nothing remembered by the browser, as after
   * the app's window is reopened).
   */
  newPage(options?: { ownProfile?: boolean }): Promise<Page>;
  /**
   * Stops the host and starts another on the same data dir (an app restart), optionally on the same
   * port; open pages are left as they are, for the test to close or keep.
   */
  restartHost(options?: { port?: number }): Promise<BrowserHost>;
  /** Stops the host without starting another (a test of the page with the host gone). */
  stopHost(): Promise<void>;
  close(): Promise<void>;
}

export async function openE2eDesk(options: E2eDeskOptions): Promise<E2eDesk> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-e2e-'));
  let host: BrowserHost | undefined;
  let api: HostApi | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    // Each part is stopped even if another fails to, then the first failure is reported.
    const results = await Promise.allSettled([browser?.close(), host?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const started = (what: string) => {
    if (!host || !api) throw new Error(`the browser host is stopped: restart it before using ${what}`);
    return { host, api };
  };
  try {
    host = await startBrowserHost({ dataDir, env: options.env });
    api = hostApi(host);
    await options.setup?.(api, host);
    browser = await launchChromium();
    const context = await browser.newContext({ ...options.context, viewport: options.viewport });
    const page = await context.newPage();
    if (options.goto !== false) await page.goto(host.url);
    const chromium = browser;
    return {
      get host() {
        return started('host').host;
      },
      get api() {
        return started('api').api;
      },
      browser: chromium,
      context,
      page,
      dataDir,
      async newPage(tabOptions = {}) {
        const profile = tabOptions.ownProfile
          ? await chromium.newContext({ ...options.context, viewport: options.viewport })
          : context;
        const tab = await profile.newPage();
        await tab.goto(started('newPage').host.url);
        return tab;
      },
      async restartHost(restart = {}) {
        await host?.stop();
        host = undefined;
        api = undefined;
        host = await startBrowserHost({ dataDir, env: options.env, port: restart.port });
        api = hostApi(host);
        return host;
      },
      async stopHost() {
        await host?.stop();
        host = undefined;
        api = undefined;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
