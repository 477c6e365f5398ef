/**
 * What an operator's-eye audit of the app found short, held in place, in a real Chromium against the
 * browser host and the two test ZooKeeper servers, at a laptop's 1440 x 900: a long node name can be
 * read whole; the children filter's hint is not cut; the stat reads 1,200 children and a 1 MB node's
 * size; ZooKeeper's own node says its times are not recorded instead of "1970"; duplication badges
 * are not cut to "DS_REMOVED (W…"; a run step's results read as words, grouped counts and dates, with
 * the report buttons on one row; the tables grid fits a 1440 px window; on a 1280 px window the Pegasus header keeps the cluster root and
 * the meta roles whole; History gives the audit detail room and shows "no match" where it can be
 * seen; the confirmations that are typed (subtree delete, clean up, abort) put the cursor in their
 * field; a long subtree delete shows its rate and time left; the export and snapshot dialogs offer
 * one control while their job runs, Close after; dates read in one format; the connection and profile
 * forms say what to enter. Screenshots land in test-artifacts/e2e/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { type SeededCluster, seedCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { type BrowserHost, screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { expandChain, expandPath, openConnection, row, selectNode } from './explorer-helpers';
import { addReadWriteConnection, hostApi } from './host-api';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const base = uniqueTestRoot('e2e-audit');
const odd = `${base}/odd`;
const many = `${odd}/many`;
const CHILDREN = 1200;
/** Children of a wide node, enough that root detection stops at its node bound (5,000) with thousands left. */
const BULK = 7200;
const bulk = `${base}/bulk`;
const LONG_NAME = `${'very-long-node-name-'.repeat(8)}end`;
/** Just under the 1 MB a znode may hold (jute.maxbuffer less the request's own bytes). */
const BIG_BYTES = 1_040_000;
const clusterRoot = `${base}/pegasus/audit`;
const target = uniqueTestRoot('e2e-audit-dst');
/** The odd tree as the migration counts it: odd, its three leaves, many and its children. */
const MIGRATED = 5 + CHILDREN;
const UI_MS = 20_000;
/** The app's one date format: local time, year first, to the second. */
const DATE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

let src: ZkSession;
let dst: ZkSession;
let seeded: SeededCluster;
let host: BrowserHost;
let desk: E2eDesk | undefined;
let page: Page;

const connect = (connectString: string) =>
  ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });

/** `count` children of `parent` from number `start` on, as one multi. */
function childOps(parent: string, start: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'create' as const,
    path: `${parent}/child-${String(start + i).padStart(4, '0')}`,
    data: Buffer.from(String(start + i)),
    acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
  }));
}

/** True when the element's text needs more room than it has (an ellipsis, or text clipped). */
function isCut(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.scrollWidth > element.clientWidth + 1);
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(base, Buffer.from('audit'));
  await src.create(odd, Buffer.from('{"kind":"odd tree"}'));
  await src.create(`${odd}/${LONG_NAME}`, Buffer.from('long'));
  await src.create(`${odd}/big`, Buffer.alloc(BIG_BYTES, 0x61));
  await src.create(`${odd}/zookeeper`, Buffer.from('a node named zookeeper'));
  await src.create(many, Buffer.alloc(0));
  for (let start = 0; start < CHILDREN; start += 600) await src.multi(childOps(many, start, 600));
  await src.create(bulk, Buffer.alloc(0));
  for (let start = 0; start < BULK; start += 600) await src.multi(childOps(bulk, start, 600));
  seeded = await seedCluster(src, {
    root: clusterRoot,
    seed: 7,
    tables: 6,
    partitions: 4,
    droppedTables: 0,
    openLockSession: async () => {
      const holder = await connect(SRC);
      return { writer: holder, close: () => holder.close() };
    },
  });
  desk = await openE2eDesk({
    viewport: { width: 1440, height: 900 },
    setup: async (api) => {
      await api.connections.create.mutate({ name: 'audit-src', connectString: SRC });
      await addReadWriteConnection(api, 'audit-dst', DST);
    },
  });
  ({ host, page } = desk);
  await openConnection(page, 'audit-src');
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await seeded?.close();
  if (src) {
    // The wide nodes' children go in multis (removeTree deletes one node per request).
    for (const [parent, count] of [
      [bulk, BULK],
      [many, CHILDREN],
    ] as const) {
      for (let start = 0; start < count; start += 600) {
        await src
          .multi(
            childOps(parent, start, 600).map(({ path }) => ({ type: 'remove' as const, path, version: -1 })),
          )
          .catch(() => undefined);
      }
    }
    await removeTree(src, base);
    await src.close();
  }
  if (dst) {
    await removeTree(dst, target);
    await dst.close();
  }
}, 60_000);

describe('the explorer on an odd tree', () => {
  it('shows a long node name whole on hover, and the children filter hint uncut', async () => {
    await expandChain(page, odd);
    const name = row(page, `${odd}/${LONG_NAME}`).getByTestId('tree-row-name');
    // The pane is narrower than the name: it is cut on screen, and its title holds all of it.
    expect(await isCut(name)).toBe(true);
    expect(await name.getAttribute('title')).toBe(LONG_NAME);

    await expandPath(page, many);
    const filter = page
      .locator(
        `[data-testid="connection-workspace"]:visible [data-testid="tree-filter-row"][data-parent="${many}"]`,
      )
      .getByTestId('tree-filter');
    await filter.waitFor({ timeout: UI_MS });
    // The placeholder is not an element: measure its text in the input's own font against its room.
    const fits = await filter.evaluate((input) => {
      const element = input as HTMLInputElement;
      const style = getComputedStyle(element);
      const context = document.createElement('canvas').getContext('2d');
      if (!context) return false;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room =
        element.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return context.measureText(element.placeholder).width <= room;
    });
    expect(fits).toBe(true);
    expect(await filter.getAttribute('title')).toContain('glob');
    await screenshot(page, 'audit-01-odd-tree');
  });

  it('groups the stat counts and gives a 1 MB node its size in KiB', async () => {
    await selectNode(page, many);
    expect(await page.getByTestId('node-stat-numChildren').textContent()).toBe('1,200');
    expect(await page.getByTestId('node-stat-cversion').textContent()).toBe('1,200');
    await selectNode(page, `${odd}/big`);
    const size = page.getByTestId('node-stat-dataLength');
    expect(await size.textContent()).toBe('1,040,000');
    expect(await size.locator('xpath=..').textContent()).toContain('bytes (1015.6 KiB)');
  });

  it('says ZooKeeper did not record the times of its own node, instead of 1970', async () => {
    const folded = (path: string) =>
      page
        .locator(
          `[data-testid="connection-workspace"]:visible [data-testid="tree-row"][data-path="${path}"][data-expanded="false"]`,
        )
        .waitFor({ timeout: UI_MS });
    // Fold the 1,200 children: the node named zookeeper, after them, comes into view.
    await row(page, many).getByTestId('tree-toggle').click();
    await folded(many);
    // The node named zookeeper inside an application's tree is an ordinary node with its times.
    await selectNode(page, `${odd}/zookeeper`);
    // In the app's one date format, as every view prints it.
    expect(await page.getByTestId('node-stat-ctime').textContent()).toMatch(DATE_TIME);

    // Fold this test's tree too, so that /zookeeper, further down the root, is in view.
    await row(page, base).getByTestId('tree-toggle').click();
    await folded(base);
    await selectNode(page, '/zookeeper');
    const ctime = page.getByTestId('node-stat-ctime');
    expect(await ctime.textContent()).toBe('—');
    const line = await ctime.locator('xpath=..').textContent();
    expect(line).toContain('not recorded');
    expect(line).not.toContain('1970');
  });
});

describe('the Pegasus duplications list', () => {
  it('shows every status and fail mode whole, the legacy one with what it was', async () => {
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-pegasus"]')
      .click();
    // Detection stops at its node bound here (this test's wide node alone is beyond it), and says so
    // in words and grouped figures.
    const truncated = page.getByTestId('pegasus-detection-truncated');
    await truncated.waitFor({ timeout: UI_MS });
    const note = (await truncated.textContent()) ?? '';
    expect(note).toContain('the most nodes it reads');
    expect(note).not.toContain('max-nodes');
    expect(note).toMatch(/; \d{1,3}(,\d{3})+ nodes not looked at/);
    // Typed rather than picked: on the shared test server, detection may stop before this root.
    await page.getByTestId('pegasus-root-input').fill(clusterRoot);
    await page.getByTestId('pegasus-root-open').click();
    await page.getByTestId('pegasus-table-row').first().waitFor({ timeout: UI_MS });
    // Every column of the tables grid fits a 1440 px window: nothing runs off its right edge.
    expect(
      await page.getByTestId('pegasus-tables').evaluate((grid) => grid.scrollWidth <= grid.clientWidth),
    ).toBe(true);
    const created = page.getByTestId('pegasus-created').first();
    expect(await isCut(created)).toBe(false);
    // The date in the cell, the time one hover away, both in the app's one format.
    expect(await created.textContent()).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(await created.getAttribute('title')).toMatch(DATE_TIME);
    await page.getByTestId('pegasus-tab-duplications').click();
    await page.getByTestId('pegasus-duplication-row').first().waitFor({ timeout: UI_MS });
    const statuses = page.getByTestId('pegasus-duplications').getByTestId('duplication-status-badge');
    const failModes = page.getByTestId('pegasus-duplication-fail-mode');
    expect(await statuses.count()).toBe(
      seeded.expected.tables.reduce((sum, table) => sum + table.duplications.length, 0),
    );
    for (const badge of [...(await statuses.all()), ...(await failModes.all())]) {
      expect(await isCut(badge.locator('.mantine-Badge-label'))).toBe(false);
    }
    const texts = await statuses.allTextContents();
    expect(texts).toContain('DS_REMOVED (was DS_START)');
    await screenshot(page, 'audit-02-duplications');
  });

  it('keeps the cluster root, its source and the meta roles whole on a 1280 px window', async () => {
    await page.setViewportSize({ width: 1280, height: 760 });
    try {
      await page.getByTestId('pegasus-tab-overview').click();
      await page.getByTestId('pegasus-meta-role').first().waitFor({ timeout: UI_MS });
      // The buttons moved to their own row rather than squeezing the root to "/md-test-…".
      expect(await isCut(page.getByTestId('pegasus-cluster-root'))).toBe(false);
      expect(await page.getByTestId('pegasus-cluster-root').textContent()).toBe(clusterRoot);
      expect(await isCut(page.getByTestId('pegasus-source').locator('.mantine-Badge-label'))).toBe(false);
      const roles = page.getByTestId('pegasus-meta-role');
      expect(await roles.count()).toBe(seeded.lockNodes.length);
      for (const role of await roles.all()) {
        expect(await isCut(role.locator('.mantine-Badge-label'))).toBe(false);
      }
      await screenshot(page, 'audit-03-pegasus-1280');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});

describe('a run step’s results', () => {
  it('reads as words, grouped counts and dates, beside report buttons on one row', async () => {
    await page.getByTestId('area-migrations').click();
    await page.getByTestId('new-run-subtree-migration').click();
    await page.getByTestId('new-run-wizard').waitFor({ timeout: UI_MS });
    await page.getByTestId('param-source').click();
    await page
      .getByRole('option', { name: /^audit-src \(/ })
      .first()
      .click();
    await page.getByTestId('param-sourcePath').fill(odd);
    await page.getByTestId('param-target').click();
    await page
      .getByRole('option', { name: /^audit-dst \(/ })
      .first()
      .click();
    await page.getByTestId('param-targetPath').fill(target);
    await page.getByTestId('wizard-prechecks').click();
    await page.locator('[data-testid="precheck-results"][data-state="paused"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('wizard-start').click();
    await page.locator('[data-testid="run-view"][data-state="completed"]').waitFor({ timeout: 120_000 });

    await page.locator('[data-testid="step-row"][data-step="validate"]').click();
    const compared = page.getByTestId('step-result-compared');
    await compared.waitFor({ timeout: UI_MS });
    // The raw value stays on the row for scripts; the operator reads it grouped.
    expect(await compared.getAttribute('data-value')).toBe(String(MIGRATED));
    expect(await compared.getByTestId('step-result-value').textContent()).toBe(
      MIGRATED.toLocaleString('en-US'),
    );
    expect(await page.getByTestId('step-result-extraSource').textContent()).toContain('only on the source');
    expect(await page.getByTestId('step-result-aclMismatched').textContent()).toContain('ACL differs');
    const checkedAt = page.getByTestId('step-result-checkedAt');
    expect(Number(await checkedAt.getAttribute('data-value'))).toBeGreaterThan(1e12);
    expect(await checkedAt.getByTestId('step-result-value').textContent()).toMatch(DATE_TIME);

    // The ended time lengthens the run's header: the two report buttons still share one row.
    const markdown = await page.getByTestId('report-markdown').boundingBox();
    const html = await page.getByTestId('report-html').boundingBox();
    expect(markdown && html && Math.abs(markdown.y - html.y) < 2).toBe(true);
    await screenshot(page, 'audit-04-run-results');
  });
});

/** The data-testid of the element that has the keyboard focus. */
function focused(): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

describe('keyboard focus in the confirmations', () => {
  it('puts the cursor where the confirmation is typed: subtree delete, clean up, abort', async () => {
    // The migrated copy on the read-write target: a subtree whose delete asks for its node count.
    await page.getByTestId('area-connections').click();
    await openConnection(page, 'audit-dst');
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-explorer"]')
      .click();
    await expandChain(page, target);
    await selectNode(page, target);
    await page.getByTestId('node-delete').click();
    // The field appears only once the subtree is counted; the cursor must then be in it.
    await page.getByTestId('delete-confirm-input').waitFor({ timeout: UI_MS });
    await expect.poll(focused, { timeout: UI_MS }).toBe('delete-confirm-input');
    await page.keyboard.press('Escape');
    await page.getByTestId('delete-modal').waitFor({ state: 'detached', timeout: UI_MS });
    expect(await dst.exists(target)).not.toBeNull();

    await page.locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-copy"]').click();
    await page.getByTestId('copy-cleanup-open').click();
    await page.getByTestId('cleanup-path').waitFor({ timeout: UI_MS });
    await expect.poll(focused, { timeout: UI_MS }).toBe('cleanup-path');
    await page.keyboard.press('Escape');
    await page.getByTestId('cleanup-modal').waitFor({ state: 'detached', timeout: UI_MS });

    // A run held after its prechecks can be aborted: the run id is typed in the field focused.
    const api = hostApi(host);
    const profiles = await api.connections.list.query();
    const id = (name: string) => profiles.find((profile) => profile.name === name)?.id ?? '';
    const held = await api.runs.create.mutate({
      runbookId: 'subtree-migration',
      params: {
        source: id('audit-src'),
        sourcePath: odd,
        target: id('audit-dst'),
        targetPath: `${target}-2`,
      },
      precheckOnly: true,
    });
    await page.getByTestId('area-history').click();
    await page.locator(`[data-testid="history-row"][data-run="${held.id}"]`).click();
    await page.getByTestId('history-open-run').click();
    await page.locator(`[data-testid="run-view"][data-run="${held.id}"][data-state="paused"]`).waitFor({
      timeout: 60_000,
    });
    await page.getByTestId('run-abort').click();
    await page.getByTestId('abort-confirm-text').waitFor({ timeout: UI_MS });
    await expect.poll(focused, { timeout: UI_MS }).toBe('abort-confirm-text');
    await page.keyboard.press('Escape');
  });
});

describe('a long subtree delete', () => {
  it('shows its rate, time left and elapsed time while it deletes', async () => {
    // Deleting the 7,201-node wide subtree takes eight multis: the bar is on screen a while.
    await page.getByTestId('area-connections').click();
    await page.getByTestId('connection-menu-audit-src').click();
    await page.getByTestId('connection-mode').click();
    await page.getByTestId('mode-switch-confirm-input').fill('audit-src');
    await page.getByTestId('mode-switch-confirm').click();
    await page.getByTestId('mode-switch-dialog').waitFor({ state: 'detached', timeout: UI_MS });
    await openConnection(page, 'audit-src');
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-explorer"]')
      .click();
    await expandChain(page, base);
    await selectNode(page, bulk);
    await page.getByTestId('node-delete').click();
    await page.getByTestId('delete-confirm-input').fill(String(BULK + 1));
    // Every rate line the page shows is kept, as it is drawn: the test reads them once the job ended.
    await page.evaluate(() => {
      const seen: string[] = [];
      const observer = new MutationObserver(() => {
        const line = document.querySelector('[data-testid="job-rate"]')?.textContent;
        if (line && seen[seen.length - 1] !== line) seen.push(line);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      Object.assign(window, { rateLines: { seen, observer } });
    });
    await page.getByTestId('delete-submit').click();
    await expect
      .poll(() => page.getByTestId('job-done').textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`Deleted ${(BULK + 1).toLocaleString('en-US')} of`));
    const lines = await page.evaluate(() => {
      const recorder = (window as unknown as { rateLines: { seen: string[]; observer: MutationObserver } })
        .rateLines;
      recorder.observer.disconnect();
      return recorder.seen;
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^(\d{1,3}(,\d{3})* nodes\/s|measuring the rate…).* elapsed$/);
    expect(lines.some((line) => /\d nodes\/s · about \d+ (s|min)/.test(line))).toBe(true);
    expect(await src.exists(bulk)).toBeNull();
    await page.getByTestId('delete-close').click();
  });
});

describe('History', () => {
  it('gives the audit detail room beside the run list, and shows a filter with no match in view', async () => {
    await page.getByTestId('area-history').click();
    await page.getByTestId('history-row').first().click();
    const detail = page.getByTestId('audit-event-detail').first();
    await detail.waitFor({ timeout: UI_MS });
    // Half the window, three columns: the detail is a readable line, not a 60 px ribbon.
    const box = await detail.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(250);
    expect(await page.getByTestId('audit-event').first().getAttribute('data-action')).toMatch(
      /^(run|step)\./,
    );

    // With a run open (its trail long), a filter matching nothing says so where the list was.
    await page.getByTestId('history-filter-text').fill('no-such-run-anywhere');
    const empty = page.getByText('No run matches these filters');
    await empty.waitFor({ timeout: UI_MS });
    const where = await empty.boundingBox();
    const viewport = page.viewportSize();
    expect(where && viewport && where.y + where.height < viewport.height).toBe(true);
    await screenshot(page, 'audit-05-history-no-match');
    await page.getByTestId('history-filter-text').fill('');
  });
});

/**
 * Records, as the page draws them, the texts of the buttons of `modal` whenever `running` (a
 * selector) is inside it: what the operator could press while the job ran.
 */
function recordRunningButtons(modal: string, running: string): Promise<void> {
  return page.evaluate(
    ({ modal, running }) => {
      const seen: string[] = [];
      const observer = new MutationObserver(() => {
        const root = document.querySelector(`[data-testid="${modal}"]`);
        if (!root?.querySelector(running)) return;
        const texts = [...root.querySelectorAll('button')]
          .map((button) => button.textContent?.trim() ?? '')
          .filter((text) => text !== '');
        const frame = JSON.stringify(texts);
        if (seen[seen.length - 1] !== frame) seen.push(frame);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      Object.assign(window, { runningButtons: { seen, observer } });
    },
    { modal, running },
  );
}

async function runningButtons(): Promise<string[][]> {
  const frames = await page.evaluate(() => {
    const recorder = (window as unknown as { runningButtons: { seen: string[]; observer: MutationObserver } })
      .runningButtons;
    recorder.observer.disconnect();
    return recorder.seen;
  });
  return frames.map((frame) => JSON.parse(frame) as string[]);
}

describe('the export and snapshot dialogs', () => {
  it('offer one control while the job runs (stop it), and Close after', async () => {
    await page.getByTestId('area-connections').click();
    await openConnection(page, 'audit-src');
    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-explorer"]')
      .click();
    await expandChain(page, base);
    await selectNode(page, base);
    const action = (testId: string) =>
      page.locator(`[data-testid="connection-workspace"]:visible [data-testid="${testId}"]`);

    await action('node-export').click();
    await page.getByTestId('export-start').waitFor({ timeout: UI_MS });
    // Before the job: the dialog's Cancel beside Export.
    expect(await page.getByTestId('export-close').textContent()).toBe('Cancel');
    await recordRunningButtons(
      'export-modal',
      '[data-testid="bg-job-progress"], [data-testid="export-cancel-job"]',
    );
    await page.getByTestId('export-start').click();
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    const exportFrames = await runningButtons();
    expect(exportFrames.length).toBeGreaterThan(0);
    for (const frame of exportFrames) expect(frame).toEqual(['Stop the export']);
    // The progress has no Cancel of its own any more: one control, not two.
    expect(await page.getByTestId('bg-job-cancel').count()).toBe(0);
    expect(await page.getByTestId('export-close').textContent()).toBe('Close');
    expect(await page.getByTestId('export-cancel-job').count()).toBe(0);
    await page.getByTestId('export-close').click();
    await page.getByTestId('export-modal').waitFor({ state: 'detached', timeout: UI_MS });

    await action('node-snapshot').click();
    await page.getByTestId('capture-start').waitFor({ timeout: UI_MS });
    expect(await page.getByTestId('capture-close').textContent()).toBe('Cancel');
    await recordRunningButtons(
      'capture-modal',
      '[data-testid="bg-job-progress"], [data-testid="capture-cancel-job"]',
    );
    await page.getByTestId('capture-start').click();
    await page.getByTestId('capture-done').waitFor({ timeout: 60_000 });
    const captureFrames = await runningButtons();
    expect(captureFrames.length).toBeGreaterThan(0);
    for (const frame of captureFrames) expect(frame).toEqual(['Stop the snapshot']);
    expect(await page.getByTestId('capture-close').textContent()).toBe('Close');
    expect(await page.getByTestId('capture-cancel-job').count()).toBe(0);
    await page.getByTestId('capture-close').click();
    await page.getByTestId('capture-modal').waitFor({ state: 'detached', timeout: UI_MS });
  });
});

describe('the connection and cluster profile forms', () => {
  it('say what to enter when a field is missing', async () => {
    await page.getByTestId('add-connection').first().click();
    const form = page.getByTestId('connection-form');
    // The modal's root has no box of its own: wait for its first field.
    await page.getByTestId('connection-name').waitFor({ timeout: UI_MS });
    await page.getByTestId('connection-connect-string').fill('127.0.0.1:2181');
    await page.getByTestId('connection-save').click();
    await form
      .getByText('Enter a name for this connection, e.g. prod-pegasus-zk')
      .waitFor({ timeout: UI_MS });
    expect(await form.textContent()).not.toContain('is required');
    await page.getByTestId('connection-connect-timeout').fill('');
    await page.getByTestId('connection-save').click();
    await form.getByText('Enter the connect timeout in seconds, from 1 to 60').waitFor({ timeout: UI_MS });
    await page.keyboard.press('Escape');
    await page.getByTestId('connection-name').waitFor({ state: 'detached', timeout: UI_MS });

    await page
      .locator('[data-testid="connection-workspace"]:visible [data-testid="view-tab-pegasus"]')
      .click();
    await page.getByTestId('pegasus-cluster-profiles').click();
    const drawer = page.getByTestId('profiles-drawer');
    await drawer.getByTestId('empty-state').waitFor({ timeout: UI_MS });
    await page.getByTestId('profile-add-empty').click();
    await page.getByTestId('profile-name').fill('');
    await page.getByTestId('profile-save').click();
    const errors = page.getByTestId('profile-form').getByTestId('form-error');
    await errors.first().waitFor({ timeout: UI_MS });
    expect(await errors.allTextContents()).toContain(
      'Enter a name for this cluster profile, e.g. prod-pegasus',
    );
    for (const text of await errors.allTextContents()) expect(text).not.toMatch(/ is required$/);
    await screenshot(page, 'audit-06-profile-form-errors');
    await page.keyboard.press('Escape');
    await page.getByTestId('profile-name').waitFor({ state: 'detached', timeout: UI_MS });
  });
});
