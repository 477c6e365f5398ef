/**
 * `npm run bench:explorer -- --children N [--json]`: the explorer on one node with N children
 * (issue 3, "Benchmark"), in Chromium against the browser host, as an operator uses it.
 *
 * ZooKeeper: ZK_SRC (a connect string) if set, else a standalone server started here (stopped by
 * PID at the end). The node gets N children of 8 bytes, created in multis; it is deleted afterwards
 * when the server is not ours.
 * - firstRowsMs: click on the node's expand arrow to its first child rows on screen.
 * - domRows: the most tree rows the DOM held while scrolling from top to bottom (virtualized).
 * - scroll: frame times while scrolling 400 px per animation frame (p95, longest, frames > 50 ms),
 *   and the page's main-thread work per frame over the whole scroll (script, layout, style, all
 *   tasks; Chromium's Performance metrics): on a machine loaded by other work the frame times
 *   mostly measure the scheduler, these what the explorer itself costs per frame.
 * - filterMs: typing a filter (one key at a time) to the filtered count on screen, last key.
 * - searchMs: the search panel's path regex over the node (N children) from Search to done, in the
 *   app (bulk reader, multiRead); searchBulkMs and searchSessionMs run the same search in this
 *   process through the bulk reader and through one plain session, for the ratio in the same run.
 * - heapMB: the page's used JS heap after the scroll and the search (after a GC).
 * One JSON line with --json (the last line otherwise too).
 * MDESK_BENCH_RENDERER_DIR serves another renderer build than dist/renderer: two builds measured
 * alternately in the same window compare fairly on a machine loaded by other work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { searchInputSchema } from '../shared/api/subtree-search';
import { searchSubtree } from '../electron/host/services/subtree-search';
import { ZkBulkReader } from '../electron/zk/bulk-read/bulk-reader';
import { ZkSession } from '../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../scripts/local-zookeeper';
import { launchChromium, startBrowserHost } from '../test/e2e/browser-host';
import { childNodes, createNodes, deleteTree } from '../test/setup/zk-tree-builder';

interface Args {
  children: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  let children = 100_000;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--children' || arg.startsWith('--children=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      children = Number(text);
      if (!Number.isInteger(children) || children < 1000 || children > 1_000_000) {
        throw new Error(`--children needs a whole number from 1000 to 1000000, got '${text}'`);
      }
    } else throw new Error(`Unknown option '${arg}': use --children N [--json]`);
  }
  return { children, json };
}

const TARGETS = { firstRowsMs: 1500, domRows: 300 };
/** Matches 1 child in 1000 (child-000999, child-001999, ...): a result list an operator reads. */
const SEARCH_REGEX = 'child-\\d{3}999$';

/**
 * Scrolls the visible tree 400 px per animation frame for SMOOTH_FRAMES frames (fast wheel
 * scrolling; these frame times are the smoothness figures), then to the bottom in 200 jumps, counting
 * the rows in the DOM at every frame. A string, not a function: tsx would wrap a function's inner
 * closures in a helper the page does not have.
 */
const SCROLL_SCRIPT = `new Promise((resolve) => {
  const element = document.querySelector('[data-testid="connection-workspace"]:not([hidden]) [data-testid="tree"]')
    ?? document.querySelector('[data-testid="tree"]');
  const frames = [];
  let maxRows = 0;
  let total = 0;
  let last = performance.now();
  const started = last;
  const jump = Math.max(400, Math.ceil(element.scrollHeight / 200));
  const step = () => {
    const now = performance.now();
    total += 1;
    if (frames.length <= 300) frames.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, element.querySelectorAll('[data-testid="tree-row"]').length);
    const atEnd = element.scrollTop + element.clientHeight >= element.scrollHeight - 2;
    if (atEnd || now - started > 120000) {
      resolve({ frames: frames.slice(1), maxRows, reachedEnd: atEnd, total });
      return;
    }
    element.scrollTop += frames.length <= 300 ? 400 : jump;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`;

function workspace(page: Page, selector: string) {
  return page.locator(`[data-testid="connection-workspace"]:visible ${selector}`);
}

function rowOf(page: Page, path: string) {
  return workspace(page, `[data-testid="tree-row"][data-path="${path}"]`);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
}

/** Chromium's cumulative main-thread timings (seconds) by name. */
async function mainThreadMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
}

async function percentile(values: number[], p: number): Promise<number> {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs the same search in this process and returns its wall time. */
async function timeSearch(
  connectString: string,
  root: string,
  children: number,
  bulk: boolean,
): Promise<{ ms: number; matched: number }> {
  const session = await ZkSession.connect({
    connectString,
    sessionTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
  });
  const reader = bulk
    ? await ZkBulkReader.open({
        connectString,
        sessionTimeoutMs: 30_000,
        connectTimeoutMs: 10_000,
        sessions: 2,
      })
    : undefined;
  try {
    const request = searchInputSchema.parse({
      connectionId: 'bench',
      root,
      path: { mode: 'regex', pattern: SEARCH_REGEX },
      maxNodes: children + 10,
      maxResults: 10_000,
    });
    const started = performance.now();
    let matched = 0;
    for await (const event of searchSubtree({ session, request, bulk: reader })) {
      if (event.type === 'done') matched = event.matched;
      if (event.type === 'failed') throw new Error(event.message);
    }
    return { ms: Math.round(performance.now() - started), matched };
  } finally {
    await reader?.close();
    await session.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => {
    if (!args.json) process.stderr.write(`${line}\n`);
  };
  let server: LocalZooKeeper | undefined;
  let serverDir: string | undefined;
  let connectString = process.env.ZK_SRC;
  if (!connectString) {
    serverDir = mkdtempSync(join(tmpdir(), 'mdesk-bench-explorer-'));
    server = await startLocalZooKeeper({ dir: join(serverDir, 'zk') });
    connectString = server.connectString;
  }
  const root = `/mdesk-bench-explorer-${Date.now().toString(36)}`;
  const session = await ZkSession.connect({
    connectString,
    sessionTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
  });
  const rendererDir = process.env.MDESK_BENCH_RENDERER_DIR;
  const host = await startBrowserHost(rendererDir ? { rendererDir } : {});
  const browser = await launchChromium();
  try {
    log(`seeding ${root} with ${args.children.toLocaleString('en-US')} children on ${connectString}`);
    const seedStarted = performance.now();
    await session.create(root, Buffer.alloc(0));
    await createNodes(
      session,
      childNodes(root, args.children, () => Buffer.from('12345678')),
    );
    const seedMs = Math.round(performance.now() - seedStarted);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('add-connection').first().click();
    await page.getByTestId('connection-name').fill('bench');
    await page.getByTestId('connection-connect-string').fill(connectString);
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection-item-bench').click();
    await page
      .getByTestId('connection-state')
      .filter({ hasText: /^connected$/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await rowOf(page, '/').waitFor({ timeout: 30_000 });
    if ((await rowOf(page, '/').getAttribute('data-expanded')) !== 'true') {
      await rowOf(page, '/').locator('[data-testid="tree-toggle"]').click();
    }
    await rowOf(page, root).waitFor({ timeout: 30_000 });

    // firstRowsMs: click to the first child rows on screen.
    log('opening the node');
    const clickAt = performance.now();
    await rowOf(page, root).locator('[data-testid="tree-toggle"]').click();
    await rowOf(page, `${root}/child-000000`).waitFor({ state: 'visible', timeout: 120_000 });
    const firstRowsMs = Math.round(performance.now() - clickAt);
    const countText = await page.getByTestId('tree-filter-count').first().textContent();

    // domRows and scroll smoothness: 400 px per frame from top to bottom, counting rows as it goes.
    log('scrolling');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metricsBefore = await mainThreadMetrics(cdp);
    const scroll = (await page.evaluate(SCROLL_SCRIPT)) as {
      frames: number[];
      maxRows: number;
      reachedEnd: boolean;
      total: number;
    };
    const metricsAfter = await mainThreadMetrics(cdp);
    /** Seconds of main-thread work between the two samples, as ms per animation frame. */
    const perFrame = (name: string) =>
      Math.round((((metricsAfter[name] ?? 0) - (metricsBefore[name] ?? 0)) * 1000 * 100) / scroll.total) /
      100;
    const lastName = `${root}/child-${String(args.children - 1).padStart(6, '0')}`;
    await rowOf(page, lastName).waitFor({ timeout: 30_000 });
    const domRowsAtEnd = await workspace(page, '[data-testid="tree-row"]').count();

    // filterMs: type one key at a time; time from the last key to the filtered count.
    log('filtering');
    await workspace(page, '[data-testid="tree"]').evaluate((element) => {
      element.scrollTop = 0;
    });
    const filter = page.getByTestId('tree-filter').first();
    await filter.click();
    // child-0500 of 100,000: the hundred names child-050000 to child-050099.
    const typed = `child-${String(Math.floor(args.children / 2))
      .padStart(6, '0')
      .slice(0, 4)}`;
    await filter.pressSequentially(typed.slice(0, -1), { delay: 30 });
    const keyAt = performance.now();
    await filter.press(typed.slice(-1));
    const expected = `100 of ${args.children.toLocaleString('en-US')}`;
    await waitFor(
      'the filtered count',
      async () => (await page.getByTestId('tree-filter-count').first().textContent()) === expected,
    );
    const filterMs = Math.round(performance.now() - keyAt);
    await filter.fill('');

    // searchMs: the app's search panel, path regex over the node.
    log('searching');
    await rowOf(page, root).click();
    await workspace(page, '[data-testid="tree-search"]').click();
    await page.getByTestId('search-root').fill(root);
    await page.getByTestId('search-path-mode').getByText('Regex').click();
    await page.getByTestId('search-path-pattern').fill(SEARCH_REGEX);
    await page.getByTestId('search-max-nodes').fill(String(args.children + 10));
    const searchAt = performance.now();
    await page.getByTestId('search-run').click();
    await waitFor('the search', async () => {
      const status = await page
        .getByTestId('search-results')
        .getAttribute('data-status')
        .catch(() => null);
      if (status === 'error' || status === 'cancelled') throw new Error(`the search ended ${status}`);
      return status === 'done';
    });
    const searchMs = Math.round(performance.now() - searchAt);
    const searchSummary = (await page.getByTestId('search-summary').textContent())?.trim() ?? '';
    // The result list is virtualized too: the count comes from the summary, not the DOM.
    const searchResults = Number((/([\d,]+) match/.exec(searchSummary)?.[1] ?? '-1').replaceAll(',', ''));

    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const heapMB = Math.round((heap.usedSize / 1024 / 1024) * 10) / 10;

    log('the same search in this process: bulk reader, then one session');
    const bulk = await timeSearch(connectString, root, args.children, true);
    const single = await timeSearch(connectString, root, args.children, false);

    const frames = scroll.frames;
    const result = {
      bench: 'explorer',
      children: args.children,
      firstRowsMs,
      domRows: Math.max(scroll.maxRows, domRowsAtEnd),
      childCountShown: countText,
      scrollFrames: frames.length,
      scrollFrameP95Ms: Math.round((await percentile(frames, 95)) * 10) / 10,
      scrollFrameMaxMs: Math.round(Math.max(0, ...frames) * 10) / 10,
      scrollLongFrames: frames.filter((ms) => ms > 50).length,
      scrollReachedEnd: scroll.reachedEnd,
      scrollScriptMsPerFrame: perFrame('ScriptDuration'),
      scrollLayoutMsPerFrame: perFrame('LayoutDuration'),
      scrollStyleMsPerFrame: perFrame('RecalcStyleDuration'),
      scrollTaskMsPerFrame: perFrame('TaskDuration'),
      filterMs,
      searchMs,
      searchMatched: searchResults,
      searchSummary,
      searchBulkMs: bulk.ms,
      searchSessionMs: single.ms,
      searchSpeedup: Math.round((single.ms / Math.max(1, bulk.ms)) * 10) / 10,
      heapMB,
      seedMs,
      loadAverage: (await import('node:os')).loadavg().map((n) => Math.round(n * 100) / 100),
      targets: TARGETS,
      met: {
        firstRowsMs: firstRowsMs <= TARGETS.firstRowsMs,
        domRows: Math.max(scroll.maxRows, domRowsAtEnd) <= TARGETS.domRows,
      },
    };
    if (bulk.matched !== single.matched) {
      throw new Error(`the two in-process searches disagree: ${bulk.matched} vs ${single.matched} matches`);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close().catch(() => undefined);
    await host.stop().catch(() => undefined);
    if (!server) await deleteTree(session, root).catch(() => undefined);
    await session.close().catch(() => undefined);
    await server?.stop();
    if (serverDir) rmSync(serverDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:explorer failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
