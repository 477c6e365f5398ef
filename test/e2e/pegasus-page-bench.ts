/**
 * The once-per-file bench of the Chromium tests of the Pegasus views, registered as the file's
 * beforeAll / afterAll: a cluster seeded with live lock holders under the file's own test root, the
 * browser host with a saved connection to the test server, Chromium and a page. `prepare` adds what
 * a file needs before the host starts (fixtures, corrupted nodes); what it opens it passes to
 * `closeAtEnd`. The end closes the browser, the host, those, the cluster, then removes the test root.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ZkSession } from '../../electron/zk/zk-session';
import type { SeedClusterOptions, SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { connectTestZk, seedLiveCluster } from '../setup/pegasus-live-cluster';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import type { BrowserHost } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';

interface Closable {
  close(): void | Promise<void>;
}

export interface PegasusPageBench {
  /** The file's test root, and the seeded cluster's root below it. */
  readonly base: string;
  readonly root: string;
  readonly session: ZkSession;
  readonly seeded: SeededCluster;
  readonly host: BrowserHost;
  readonly page: Page;
  /** Closed at the end, after the host (fixtures, tool kits); returns `thing`. */
  closeAtEnd<T extends Closable>(thing: T): T;
}

/** What the bench opened in beforeAll; a test that runs without it (or a setup that failed) says so. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`the Pegasus page bench has no ${what} (its beforeAll did not open it)`);
  return value;
}

export function registerPegasusPageBench(options: {
  label: string;
  connectString: string;
  /** The saved connection's name (the page lists it as connection-item-<name>). */
  connectionName: string;
  /** The cluster root below the test root, e.g. `pegasus/c1`. */
  cluster: string;
  /** The seeded cluster's shape; `metaProxyRoot` given relative to the test root. */
  seed: Omit<SeedClusterOptions, 'root' | 'metaProxyRoot'> & { metaProxyRoot?: string };
  /** More setup once the cluster is seeded, before the host starts. */
  prepare?(bench: PegasusPageBench): Promise<void>;
  page: { width: number; height: number; acceptDownloads?: boolean };
}): PegasusPageBench {
  const base = uniqueTestRoot(options.label);
  const closables: Closable[] = [];
  let session: ZkSession | undefined;
  let seeded: SeededCluster | undefined;
  let desk: E2eDesk | undefined;
  const bench: PegasusPageBench = {
    base,
    root: `${base}/${options.cluster}`,
    get session() {
      return ready(session, 'session');
    },
    get seeded() {
      return ready(seeded, 'seeded cluster');
    },
    get host() {
      return ready(desk, 'browser host').host;
    },
    get page() {
      return ready(desk, 'page').page;
    },
    closeAtEnd(thing) {
      closables.push(thing);
      return thing;
    },
  };
  beforeAll(async () => {
    session = await connectTestZk(options.connectString);
    const { metaProxyRoot, ...shape } = options.seed;
    seeded = await seedLiveCluster(session, options.connectString, {
      root: bench.root,
      ...shape,
      ...(metaProxyRoot === undefined ? {} : { metaProxyRoot: `${base}/${metaProxyRoot}` }),
    });
    await options.prepare?.(bench);
    const { width, height, acceptDownloads } = options.page;
    // No page load yet: openPegasusView goes to the host's URL.
    desk = await openE2eDesk({
      viewport: { width, height },
      context: { acceptDownloads },
      goto: false,
      setup: async (api) => {
        await api.connections.create.mutate({
          name: options.connectionName,
          connectString: options.connectString,
        });
      },
    });
  });
  afterAll(async () => {
    await desk?.close();
    for (const closable of closables) await closable.close();
    await seeded?.close();
    if (session) {
      await removeTree(session, base);
      await session.close();
    }
  });
  return bench;
}

/** The Pegasus view of connection `connectionName`, at the bench's seeded root, its tables listed. */
export async function openPegasusView(
  bench: PegasusPageBench,
  connectionName: string,
  /** Runs while the root picker shows the seeded root, before it is picked (a screenshot). */
  beforePick?: () => Promise<unknown>,
): Promise<void> {
  const { page } = bench;
  await page.goto(bench.host.url);
  await page.getByTestId(`connection-item-${connectionName}`).click();
  await page.getByTestId('view-tab-pegasus').click();
  const option = page.locator(`[data-testid="pegasus-root-option"][data-path="${bench.root}"]`);
  await option.waitFor({ timeout: 20_000 });
  await beforePick?.();
  await option.click();
  await page.getByTestId('pegasus-table-row').first().waitFor({ timeout: 20_000 });
}
