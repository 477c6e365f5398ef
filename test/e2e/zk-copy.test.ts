/**
 * The Copy view in a real Chromium against the browser host and the two test ZooKeeper servers
 * (issue 5, item 5): plan a seeded subtree's copy (the dry run's counts), start it and watch the
 * phases finish, read a verify report with zero differences; mirror mode is refused until the target
 * path is typed back (in the view, and by the host itself), then deletes exactly the target's extra;
 * a read-only target says how to switch it. Screenshots land in test-artifacts/e2e/.
 */
import { TRPCClientError } from '@trpc/client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import { type BrowserHost, screenshot } from './browser-host';
import { addCopyConnections, COPY_VIEWPORT, countOf, openCopyView } from './copy-view-helpers';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import type { HostApi } from './host-api';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('e2e-copy-src');
const target = uniqueTestRoot('e2e-copy-dst');
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0xc3, 0x28]);
const PARENTS = 6;
const CHILDREN = 40;
/** The root, bin, empty, and the parents with their children. */
const NODES = 3 + PARENTS * (CHILDREN + 1);
/** A tree large enough that a copy takes seconds here: time to see it move, pause and resume it. */
const bigSource = uniqueTestRoot('e2e-copy-big');
const bigTarget = uniqueTestRoot('e2e-copy-big-dst');
const restartTarget = uniqueTestRoot('e2e-copy-restart-dst');
const BIG_PARENTS = 20;
const BIG_CHILDREN = 1500;
const BIG_NODES = 1 + BIG_PARENTS * (BIG_CHILDREN + 1);
/**
 * The read-rate ceiling (nodes/s) of the big copies: each pass over the tree takes at least 4 s, so a
 * pause or an app stop lands while the copy runs however fast the engine gets.
 */
const BIG_RATE = 7500;

let src: ZkSession;
let dst: ZkSession;
let host: BrowserHost;
/** The host's data dir outlives a host: the restart test starts a second host on it. */
let desk: E2eDesk;
let page: Page;
let api: HostApi;

const connect = (connectString: string) =>
  ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });

const panel = () => page.getByTestId('copy-run-panel');

async function chooseTarget(name: string): Promise<void> {
  await page.getByTestId('copy-target-connection').click();
  await page.getByTestId(`copy-target-option-${name}`).click();
}

/** Waits (bounded) until the selected run's panel shows `state`. */
async function panelState(state: string, timeout = 45_000): Promise<void> {
  await page.locator(`[data-testid="copy-run-panel"][data-state="${state}"]`).waitFor({ timeout });
}

/** Deletes a large subtree in multis of 1,000, children before parents (removeTree goes one by one). */
async function removeLarge(session: ZkSession, root: string): Promise<void> {
  if (!(await session.exists(root))) return;
  const levels: string[][] = [[root]];
  for (let depth = 0; levels[depth]!.length > 0; depth += 1) {
    const next: string[] = [];
    for (const path of levels[depth]!) {
      for (const child of (await session.getChildren(path)).children) next.push(`${path}/${child}`);
    }
    levels.push(next);
  }
  for (const level of levels.reverse()) {
    for (let start = 0; start < level.length; start += 1000) {
      const ops = level
        .slice(start, start + 1000)
        .map((path) => ({ type: 'remove' as const, path, version: -1 }));
      if (ops.length > 0) await session.multi(ops);
    }
  }
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(source, Buffer.from('root'));
  await src.create(`${source}/bin`, BINARY);
  await src.create(`${source}/empty`, Buffer.alloc(0));
  for (let p = 0; p < PARENTS; p += 1) {
    const parent = `${source}/p${p}`;
    await src.create(parent, Buffer.from(`parent-${p}`));
    const ops = Array.from({ length: CHILDREN }, (_, c) => ({
      type: 'create' as const,
      path: `${parent}/c${String(c).padStart(2, '0')}`,
      data: Buffer.alloc(64, p * CHILDREN + c),
      acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
    }));
    await src.multi(ops);
  }

  await src.create(bigSource, Buffer.from('big'));
  for (let p = 0; p < BIG_PARENTS; p += 1) {
    const parent = `${bigSource}/p${String(p).padStart(2, '0')}`;
    await src.create(parent, Buffer.alloc(0));
    for (let start = 0; start < BIG_CHILDREN; start += 500) {
      await src.multi(
        Array.from({ length: 500 }, (_, c) => ({
          type: 'create' as const,
          path: `${parent}/c${String(start + c).padStart(4, '0')}`,
          data: Buffer.alloc(100, c),
          acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
        })),
      );
    }
  }

  desk = await openE2eDesk({
    viewport: COPY_VIEWPORT,
    setup: (hostApi) => addCopyConnections(hostApi, SRC, DST),
  });
  ({ host, page, api } = desk);
  await openCopyView(page, 'source');
}, 120_000);

afterAll(async () => {
  await desk?.close();
  if (src) {
    await removeTree(src, source);
    await removeLarge(src, bigSource);
    await src.close();
  }
  if (dst) {
    await removeTree(dst, target);
    await removeLarge(dst, bigTarget);
    await removeLarge(dst, restartTarget);
    await dst.close();
  }
}, 60_000);

describe('Copy view', () => {
  it('shows an empty run list and no run before anything ran', async () => {
    await page.getByTestId('copy-runs-empty').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('empty-state').textContent()).toContain('No run selected');
  });

  it('says a read-only target must be switched, and will not start a copy into it', async () => {
    await page.getByTestId('copy-source-path').fill(source);
    await chooseTarget('locked-target');
    await page.getByTestId('copy-target-path').fill(target);
    await page.getByTestId('copy-target-read-only').waitFor();
    expect(await page.getByTestId('copy-target-read-only').textContent()).toMatch(/Switch to read-write/);
    expect(await page.getByTestId('copy-start').isDisabled()).toBe(true);
    await screenshot(page, 'copy-01-read-only-target');
  });

  it('plans the copy: every node to create, nothing written', async () => {
    await chooseTarget('target');
    await page.getByTestId('copy-plan').click();
    await page.getByTestId('plan-report').waitFor({ timeout: 30_000 });
    expect(await countOf(page, 'plan-report', 'creates')).toBe(NODES);
    expect(await countOf(page, 'plan-report', 'conflicts')).toBe(0);
    expect(await countOf(page, 'plan-report', 'deletes')).toBe(0);
    await panelState('planned');
    expect(await dst.exists(target)).toBeNull();
    await page.getByTestId('plan-samples').getByTestId('samples-creates').click();
    await screenshot(page, 'copy-02-plan');
  });

  it('copies, shows each phase done, and verifies zero differences', async () => {
    await page.getByTestId('run-start').click();
    // The copy phase's bar appears with its counts while (or once) it runs.
    await page.locator('[data-testid="phase-row"][data-phase="copy"]').waitFor({ timeout: 30_000 });
    await panelState('completed');
    for (const phase of ['plan', 'copy', 'verify']) {
      const bar = page.locator(`[data-testid="phase-row"][data-phase="${phase}"]`);
      expect(await bar.getAttribute('data-status')).toBe('done');
      expect(await bar.getAttribute('data-percent')).toBe('100');
    }
    const copyDetails = await page
      .locator('[data-testid="phase-row"][data-phase="copy"] [data-testid="phase-details"]')
      .textContent();
    expect(copyDetails).toMatch(new RegExp(`${NODES.toLocaleString('en-US')}\\b.*nodes`));
    expect(await countOf(page, 'copy-report', 'created')).toBe(NODES);
    expect(await page.getByTestId('verify-report').getAttribute('data-differences')).toBe('0');
    expect(await countOf(page, 'verify-report', 'matching')).toBe(NODES);
    expect(await page.getByTestId('verify-verdict').textContent()).toBe('no differences');
    // Counts read as words ("1 write request", "7 write requests", never "request(s)"), and the
    // check's time in the app's one date format.
    const summary = (await page.getByTestId('copy-report-summary').textContent()) ?? '';
    expect(summary).toMatch(/(^|· )(1 write request|(?!1 )\d{1,3}(,\d{3})* write requests) ·/);
    expect(summary).not.toContain('(s)');
    expect(await page.getByTestId('verify-report-when').textContent()).toMatch(
      /^as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · /,
    );
    // The bytes arrived as they were: binary and empty data.
    expect((await dst.getData(`${target}/bin`)).data.equals(BINARY)).toBe(true);
    expect((await dst.getData(`${target}/empty`)).data.length).toBe(0);
    await screenshot(page, 'copy-03-verified');
  });

  it('refuses mirror until the target path is typed, then deletes exactly the extra node', async () => {
    await dst.create(`${target}/stray`, Buffer.from('only on the target'));
    const runsBefore = await page.getByTestId('copy-run-row').count();
    await page.getByTestId('copy-mode').getByText('Mirror').click();
    await page.getByTestId('copy-start').click();
    await page.getByTestId('mirror-confirm-input').waitFor();
    expect(await page.getByTestId('mirror-confirm').isDisabled()).toBe(true);
    await page.getByTestId('mirror-confirm-input').fill(`${target}/wrong`);
    expect(await page.getByTestId('mirror-confirm').isDisabled()).toBe(true);
    await screenshot(page, 'copy-04-mirror-confirm');
    await page.getByTestId('mirror-confirm-cancel').click();
    // Nothing started, nothing deleted.
    expect(await page.getByTestId('copy-run-row').count()).toBe(runsBefore);
    expect(await dst.exists(`${target}/stray`)).not.toBeNull();

    // The host refuses too, whatever a client sends: a mirror run started without the typed path.
    const recorded = (await api.zkCopy.list.query()).length;
    const profiles = await api.connections.list.query();
    const id = (name: string) => profiles.find((profile) => profile.name === name)?.id ?? '';
    const refused = await api.zkCopy.start
      .mutate({
        source: { connectionId: id('source'), path: source },
        target: { connectionId: id('target'), path: target },
        mode: 'mirror',
        confirmMirror: `${target}/wrong`,
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as Error).message).toMatch(/Mirror mode deletes every node/);
    expect(await dst.exists(`${target}/stray`)).not.toBeNull();
    expect((await api.zkCopy.list.query()).length).toBe(recorded);

    await page.getByTestId('copy-start').click();
    await page.getByTestId('mirror-confirm-input').fill(target);
    const previous = await panel().getAttribute('data-run-id');
    await page.getByTestId('mirror-confirm').click();
    await page.locator(`[data-testid="copy-run-panel"]:not([data-run-id="${previous}"])`).waitFor();
    await panelState('completed');
    expect(await countOf(page, 'copy-report', 'deleted')).toBe(1);
    expect(await countOf(page, 'copy-report', 'unchanged')).toBe(NODES);
    expect(await page.getByTestId('verify-report').getAttribute('data-differences')).toBe('0');
    expect(await dst.exists(`${target}/stray`)).toBeNull();
    await screenshot(page, 'copy-05-mirror-done');
  });

  it('lists the runs with their states', async () => {
    const rows = page.getByTestId('copy-run-row');
    // The planned-then-run copy and the mirror (the refused one was never recorded).
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    const states = await rows.evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-state')),
    );
    expect(states.filter((state) => state === 'completed')).toHaveLength(2);
  });

  it('shows a large copy moving, pauses it with the writes settled, and resumes it to zero differences', async () => {
    await page.getByTestId('copy-mode').getByText('Create only').click();
    await page.getByTestId('copy-source-path').fill(bigSource);
    await page.getByTestId('copy-target-path').fill(bigTarget);
    // A read-rate ceiling makes each phase last seconds however fast the engine gets (unbounded, the
    // copy could end before the Pause click lands), and drives the field end to end.
    await page.getByTestId('copy-max-rate').fill(String(BIG_RATE));
    await page.getByTestId('copy-plan').click();
    await panelState('planned', 60_000);
    expect(await countOf(page, 'plan-report', 'creates')).toBe(BIG_NODES);
    expect(await panel().getByTestId('copy-run-max-rate').textContent()).toBe(
      ` · read at most ${BIG_RATE.toLocaleString('en-US')} nodes/s`,
    );

    await page.getByTestId('run-start').click();
    // Pause once the copy is visibly under way (its first progress events), to see it mid-run.
    const copyRow = page.locator('[data-testid="phase-row"][data-phase="copy"]');
    await expect
      .poll(
        async () =>
          Number((await copyRow.getAttribute('data-percent', { timeout: 100 }).catch(() => '')) || 0),
        {
          timeout: 30_000,
          interval: 50,
        },
      )
      .toBeGreaterThan(2);
    await page.getByTestId('run-pause').click();
    await panelState('paused');
    // Somewhere in the middle: a phase under way, below 100 %, with its counts so far.
    const moving = page.locator('[data-testid="phase-row"][data-status="active"]');
    await moving.waitFor({ timeout: 15_000 });
    expect(Number(await moving.getAttribute('data-percent'))).toBeLessThan(100);
    expect(await moving.getByTestId('phase-details').textContent()).toMatch(/of [\d,]+ nodes/);
    await page.getByTestId('phase-paused').waitFor();
    // Paused means no writes: the target holds still.
    const count = async () =>
      (await dst.exists(bigTarget)) ? (await dst.getChildren(bigTarget)).children.length : 0;
    const before = await count();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count()).toBe(before);
    await screenshot(page, 'copy-06-paused');

    await page.getByTestId('run-resume').click();
    await panelState('completed', 90_000);
    expect(await page.getByTestId('verify-report').getAttribute('data-differences')).toBe('0');
    expect(await countOf(page, 'verify-report', 'matching')).toBe(BIG_NODES);
    expect(await countOf(page, 'copy-report', 'created')).toBe(BIG_NODES);
    await screenshot(page, 'copy-07-resumed-verified');
  }, 180_000);
  it('keeps a copy across an app restart: paused at the stop, resumed from its checkpoint after', async () => {
    // The same ceiling (the form kept it), for the same reason: unbounded, the copy could end before
    // the host stops, leaving nothing to resume.
    expect(await page.getByTestId('copy-max-rate').inputValue()).toBe(BIG_RATE.toLocaleString('en-US'));
    await page.getByTestId('copy-source-path').fill(bigSource);
    await page.getByTestId('copy-target-path').fill(restartTarget);
    const previous = await panel().getAttribute('data-run-id');
    await page.getByTestId('copy-start').click();
    await page.locator(`[data-testid="copy-run-panel"]:not([data-run-id="${previous}"])`).waitFor();
    // Under way (no plan, so no total yet: the bar counts what it did).
    const details = page.locator(
      '[data-testid="phase-row"][data-phase="copy"] [data-testid="phase-details"]',
    );
    const copied = async () => {
      const text = (await details.textContent({ timeout: 100 }).catch(() => '')) ?? '';
      return Number(/^([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
    };
    await expect.poll(copied, { timeout: 30_000, interval: 50 }).toBeGreaterThan(500);
    const runId = await panel().getAttribute('data-run-id');

    // The app stops (the host pauses its copies on the way out) and starts again on the same data.
    host = await desk.restartHost();
    await page.goto(host.url);
    await page.getByTestId('connection-item-source').click();
    await page.getByTestId('view-tab-copy').click();
    const row = page.locator(`[data-testid="copy-run-row"][data-run-id="${runId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(['paused', 'interrupted']).toContain(await row.getAttribute('data-state'));
    await row.click();
    // The ceiling is kept with the run: the resumed copy and its verify read no faster.
    expect(await panel().getByTestId('copy-run-max-rate').textContent()).toBe(
      ` · read at most ${BIG_RATE.toLocaleString('en-US')} nodes/s`,
    );
    await screenshot(page, 'copy-08-after-restart');
    await page.getByTestId('run-resume').click();
    await panelState('completed', 90_000);
    expect(await page.getByTestId('verify-report').getAttribute('data-differences')).toBe('0');
    expect(await countOf(page, 'verify-report', 'matching')).toBe(BIG_NODES);
    // Every node counted once, whichever attempt wrote it.
    expect(
      (await countOf(page, 'copy-report', 'created')) + (await countOf(page, 'copy-report', 'unchanged')),
    ).toBe(BIG_NODES);
  }, 180_000);
  it('cleans up a tree only after exporting it and having its node count typed back', async () => {
    // The copy of the small tree sits on the read-write 'target' connection: its own Copy tab.
    await page.getByTestId('connection-item-target').click();
    const visible = (testId: string) =>
      page.locator(`[data-testid="connection-workspace"]:visible [data-testid="${testId}"]`);
    await visible('view-tab-copy').click();
    await visible('copy-cleanup-open').click();
    await page.getByTestId('cleanup-path').fill(target);
    await page.getByTestId('cleanup-export').click();
    const exported = page.getByTestId('cleanup-exported');
    await exported.waitFor({ timeout: 30_000 });
    expect(Number(await exported.getAttribute('data-node-count'))).toBe(NODES);
    expect(await exported.textContent()).toMatch(/\.json\.gz/);
    await page.getByTestId('cleanup-confirm-count').fill(String(NODES - 1));
    expect(await page.getByTestId('cleanup-delete').isDisabled()).toBe(true);
    expect(await dst.exists(target)).not.toBeNull();
    await page.getByTestId('cleanup-confirm-count').fill(String(NODES));
    await screenshot(page, 'copy-09-cleanup-confirm');
    await page.getByTestId('cleanup-delete').click();
    await page
      .locator(
        '[data-testid="connection-workspace"]:visible [data-testid="copy-run-panel"][data-state="completed"]',
      )
      .waitFor({ timeout: 60_000 });
    expect(await visible('cleanup-summary').textContent()).toMatch(new RegExp(`${NODES} deleted`));
    expect(await dst.exists(target)).toBeNull();
    await screenshot(page, 'copy-10-cleanup-done');
  }, 120_000);
});
