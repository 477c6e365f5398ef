/**
 * The Migrations and History areas in a real Chromium against the browser host and the two test
 * ZooKeeper servers (issue 6, item 6): the catalogue; the wizard's field checks (the form's own and
 * the host's, per field); a read-only target blocked at its precheck with the fix shown; a skip that
 * needs a reason and an abort that needs the run id typed; subtree-migration run through the wizard
 * to a validate with zero differences and its Markdown report downloaded; mirror mode's gate
 * confirmed by typing the target path; the history listing and filtering the runs with their audit
 * trail. Every wait is bounded and waits for a state, never for a time. Screenshots land in
 * test-artifacts/e2e/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ZkSession } from '../../electron/zk/zk-session';
import { uniqueTestRoot } from '../setup/zk-test-helpers';
import { screenshot } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addCopyConnections, removeTreesAndClose } from './copy-view-helpers';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('e2e-rb-src');
const target = uniqueTestRoot('e2e-rb-dst');
const mirrorTarget = uniqueTestRoot('e2e-rb-mirror');
const lockedTarget = uniqueTestRoot('e2e-rb-locked');
const BINARY = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0xc3, 0x28]);
const PARENTS = 8;
/** Enough nodes that the copy takes a moment and the progress bar moves on screen. */
const CHILDREN = 500;
/** The root, bin, and the parents with their children. */
const NODES = 2 + PARENTS * (CHILDREN + 1);
/** Runs here finish in seconds; the bound only keeps a broken run from hanging the suite. */
const RUN_DONE_MS = 120_000;
const UI_MS = 20_000;

let src: ZkSession;
let dst: ZkSession;
let desk: E2eDesk | undefined;
let page: Page;
/** The run blocked by the read-only target, used again for skip and abort. */
let blockedRunId = '';
let migratedRunId = '';

const connect = (connectString: string) =>
  ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });

async function choose(param: string, optionName: RegExp | string): Promise<void> {
  await page.getByTestId(`param-${param}`).click();
  await page.getByRole('option', { name: optionName }).first().click();
}

async function fill(param: string, value: string): Promise<void> {
  const input = page.getByTestId(`param-${param}`);
  await input.fill(value);
}

async function openWizard(): Promise<void> {
  await page.getByTestId('area-migrations').click();
  const back = page.getByTestId('run-back').or(page.getByTestId('wizard-back'));
  if (await back.isVisible()) await back.click();
  await page.getByTestId('new-run-subtree-migration').click();
  await page.getByTestId('new-run-wizard').waitFor({ timeout: UI_MS });
}

async function fillRun(options: { target: RegExp; targetPath: string; mode?: 'mirror' }): Promise<void> {
  await choose('source', /^source \(/);
  await fill('sourcePath', source);
  await choose('target', options.target);
  await fill('targetPath', options.targetPath);
  if (options.mode) await choose('mode', options.mode);
}

function runView() {
  return page.getByTestId('run-view');
}

async function runState(state: string, timeout = RUN_DONE_MS): Promise<void> {
  await page.locator(`[data-testid="run-view"][data-state="${state}"]`).waitFor({ timeout });
}

function stepRow(stepId: string) {
  return page.locator(`[data-testid="step-row"][data-step="${stepId}"]`);
}

interface ProgressSample {
  percent: number | null;
  counts: string;
  rate: string;
}

/**
 * Samples the run view's progress bars in the page itself (every 25 ms) while a run works, so the
 * test sees what the operator saw without racing the run: the samples are read after it finished.
 */
async function recordProgress(): Promise<void> {
  await page.evaluate(() => {
    const samples: { percent: number | null; counts: string; rate: string }[] = [];
    const timer = setInterval(() => {
      for (const bar of document.querySelectorAll('[data-testid="step-progress"]')) {
        const percent = bar.querySelector('[data-testid="step-progress-bar"]')?.getAttribute('data-percent');
        samples.push({
          percent: percent ? Number(percent) : null,
          counts: bar.querySelector('[data-testid="step-progress-counts"]')?.textContent ?? '',
          rate: bar.querySelector('[data-testid="step-progress-rate"]')?.textContent ?? '',
        });
      }
    }, 25);
    Object.assign(window, { progressRecorder: { samples, timer } });
  });
}

async function stopRecording(): Promise<ProgressSample[]> {
  return page.evaluate(() => {
    const recorder = (window as unknown as { progressRecorder: { samples: ProgressSample[]; timer: number } })
      .progressRecorder;
    clearInterval(recorder.timer);
    return recorder.samples;
  });
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(source, Buffer.from('root'));
  await src.create(`${source}/bin`, BINARY);
  for (let p = 0; p < PARENTS; p += 1) {
    const parent = `${source}/p${p}`;
    await src.create(parent, Buffer.from(`parent-${p}`));
    await src.multi(
      Array.from({ length: CHILDREN }, (_, c) => ({
        type: 'create' as const,
        path: `${parent}/c${String(c).padStart(3, '0')}`,
        data: Buffer.alloc(32, p * CHILDREN + c),
        acl: [{ scheme: 'world', id: 'anyone', perms: 'cdrwa' }],
      })),
    );
  }
  // The mirror target already holds one node the source lacks: mirror mode must delete it.
  await dst.create(mirrorTarget, Buffer.from('old'));
  await dst.create(`${mirrorTarget}/stale`, Buffer.from('not in the source'));

  desk = await openE2eDesk({
    viewport: { width: 1500, height: 1100 },
    context: { acceptDownloads: true },
    setup: (hostApi) => addCopyConnections(hostApi, SRC, DST),
  });
  ({ page } = desk);
  await page.getByTestId('area-nav').waitFor({ timeout: UI_MS });
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await removeTreesAndClose(src, [source]);
  await removeTreesAndClose(dst, [target, mirrorTarget, lockedTarget]);
});

describe('Migrations area', () => {
  it('lists the runbooks with what each is for and its steps', async () => {
    await page.getByTestId('area-migrations').click();
    const card = page.locator('[data-testid="runbook-card"][data-runbook="subtree-migration"]');
    await card.waitFor({ timeout: UI_MS });
    await expect(card.textContent()).resolves.toContain('ZooKeeper subtree');
    await card.getByTestId('runbook-steps-toggle').click();
    await card.getByText('Plan the copy (dry run)').waitFor({ timeout: UI_MS });
    await expect(card.textContent()).resolves.toContain('Source reachable, path exists');
    await expect(page.getByTestId('runbook-card').count()).resolves.toBeGreaterThanOrEqual(1);
    await screenshot(page, 'runbooks-catalogue');

    // A Pegasus runbook's wizard asks for a cluster profile with a picker, which says when there is none.
    await page.getByTestId('new-run-zk-migration-copy').click();
    await page
      .locator('[data-testid="new-run-wizard"][data-runbook="zk-migration-copy"]')
      .waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('param-profile').getAttribute('placeholder')).resolves.toContain(
      'No cluster profiles',
    );
    await page.getByTestId('wizard-back').click();
    await page.getByTestId('runbook-catalogue').waitFor({ timeout: UI_MS });
  });

  it('checks the parameters per field: the form its own, the host its own', async () => {
    await openWizard();
    await page.getByTestId('wizard-prechecks').click();
    await page.getByTestId('wizard-invalid').waitFor({ timeout: UI_MS });
    await page.getByText('Source connection is required').waitFor({ timeout: UI_MS });
    await fill('sourcePath', 'apps/no-slash');
    await page
      .getByText(/must start with/i)
      .first()
      .waitFor({ timeout: UI_MS });

    // The form cannot know the reconcile pass limit: the host's message lands under that field.
    await fillRun({ target: /^target \(/, targetPath: target });
    await fill('passLimit', '99');
    await page.getByTestId('wizard-prechecks').click();
    await page.getByText('give a whole number from 0 to 10').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('precheck-results').count()).resolves.toBe(0);
    await screenshot(page, 'runbooks-wizard-field-errors');
  });

  it('a read-only target blocks at its precheck and says how to fix it', async () => {
    await openWizard();
    await fillRun({ target: /^locked-target \(/, targetPath: lockedTarget });
    await page.getByTestId('wizard-prechecks').click();
    const results = page.getByTestId('precheck-results');
    await results.waitFor({ timeout: UI_MS });
    await page
      .locator('[data-testid="precheck-row"][data-step="precheck-target-writable"][data-state="failed"]')
      .waitFor({ timeout: RUN_DONE_MS });
    await page.getByTestId('precheck-blocked').waitFor({ timeout: UI_MS });
    await expect(results.getByTestId('precheck-hint').first().textContent()).resolves.toContain(
      'Switch @locked-target to read-write',
    );
    await expect(page.getByTestId('wizard-start').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'runbooks-precheck-blocked');

    await page.getByTestId('wizard-open-run').click();
    await runView().waitFor({ timeout: UI_MS });
    blockedRunId = (await runView().getAttribute('data-run')) ?? '';
    expect(blockedRunId).toMatch(/^[0-9a-f-]{36}$/);
    await runState('failed');
  });

  it('skip needs a reason; abort needs the run id typed back', async () => {
    await page.getByTestId('run-skip').click();
    const submit = page.getByTestId('skip-submit');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByTestId('skip-reason').fill('ok');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByTestId('skip-reason').fill('checked by hand: the e2e test skips on purpose');
    await expect(submit.isDisabled()).resolves.toBe(false);
    await submit.click();
    await stepRow('precheck-target-writable').and(page.locator('[data-state="skipped"]')).waitFor({
      timeout: UI_MS,
    });
    await stepRow('precheck-target-writable').click();
    await expect(page.getByTestId('step-skip-reason').textContent()).resolves.toContain(
      'the e2e test skips on purpose',
    );
    // Prechecks only: the run holds before the plan once the remaining prechecks are done.
    await runState('paused');

    await page.getByTestId('run-abort').click();
    const abort = page.getByTestId('abort-submit');
    await expect(abort.isDisabled()).resolves.toBe(true);
    await page.getByTestId('abort-confirm-text').fill('wrong');
    await expect(abort.isDisabled()).resolves.toBe(true);
    await page.getByTestId('abort-confirm-text').fill(blockedRunId.slice(0, 8));
    await abort.click();
    await runState('aborted', UI_MS);
    await expect(page.getByTestId('run-controls').getAttribute('data-actions')).resolves.not.toContain(
      'skip',
    );
    await screenshot(page, 'runbooks-aborted');
  });

  it('runs subtree-migration through the wizard to zero differences and exports the report', async () => {
    await openWizard();
    await fillRun({ target: /^target \(/, targetPath: target });
    await page.getByTestId('wizard-prechecks').click();
    await page
      .locator('[data-testid="precheck-results"][data-state="paused"]')
      .waitFor({ timeout: RUN_DONE_MS });
    for (const row of await page.getByTestId('precheck-row').all()) {
      await expect(row.getAttribute('data-state')).resolves.toBe('succeeded');
    }
    await screenshot(page, 'runbooks-prechecks-passed');
    await recordProgress();
    await page.getByTestId('wizard-start').click();
    await runView().waitFor({ timeout: UI_MS });
    migratedRunId = (await runView().getAttribute('data-run')) ?? '';
    await runState('completed');

    for (const row of await page.getByTestId('step-row').all()) {
      await expect(row.getAttribute('data-state')).resolves.toBe('succeeded');
    }
    await stepRow('migrate').click();
    await expect(page.getByTestId('step-result-created').getAttribute('data-value')).resolves.toBe(
      String(NODES),
    );
    await stepRow('validate').click();
    await expect(page.getByTestId('step-result-differences').getAttribute('data-value')).resolves.toBe('0');
    // The engine's progress reached the run's output as it worked.
    await expect(
      page.getByTestId('run-output').getAttribute('data-lines').then(Number),
    ).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('run-output').textContent()).resolves.toContain('Engine run');
    await screenshot(page, 'runbooks-run-completed');

    const seen = await stopRecording();
    expect(seen.length).toBeGreaterThan(0);
    for (const sample of seen) {
      if (sample.percent === null) continue;
      expect(sample.percent).toBeGreaterThanOrEqual(0);
      expect(sample.percent).toBeLessThanOrEqual(100);
    }
    expect(seen.some((sample) => /nodes/.test(sample.counts))).toBe(true);

    expect((await dst.getData(`${target}/bin`)).data.equals(BINARY)).toBe(true);

    const download = page.waitForEvent('download', { timeout: UI_MS });
    await page.getByTestId('report-markdown').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.md$/);
    const markdown = await readFile((await file.path()) as string, 'utf8');
    expect(markdown).toContain('# ');
    expect(markdown).toContain('Migrate a ZooKeeper subtree');
    expect(markdown).toContain(migratedRunId.slice(0, 8));
    expect(markdown).toContain(source);
    expect(markdown).toContain('Validate');

    const htmlDownload = page.waitForEvent('download', { timeout: UI_MS });
    await page.getByTestId('report-html').click();
    const html = await readFile((await (await htmlDownload).path()) as string, 'utf8');
    expect(html).toMatch(/<html/i);
  });

  it('mirror mode stops at its gate until the target path is typed back', async () => {
    await openWizard();
    await fillRun({ target: /^target \(/, targetPath: mirrorTarget, mode: 'mirror' });
    await page.getByTestId('wizard-create-start').click();
    await runView().waitFor({ timeout: UI_MS });
    await stepRow('confirm-mirror')
      .and(page.locator('[data-state="waiting-for-operator"]'))
      .waitFor({ timeout: RUN_DONE_MS });
    const confirm = page.getByTestId('gate-confirm');
    await confirm.waitFor({ timeout: UI_MS });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await page.getByTestId('gate-text').fill(`${mirrorTarget}/wrong`);
    await expect(confirm.isDisabled()).resolves.toBe(true);
    // Nothing was deleted while the gate waits.
    await expect(dst.exists(`${mirrorTarget}/stale`)).resolves.not.toBeNull();
    await screenshot(page, 'runbooks-mirror-gate');
    await page.getByTestId('gate-text').fill(mirrorTarget);
    await page.getByTestId('gate-note').fill('target checked with the app owner');
    await confirm.click();
    await runState('completed');
    await expect(dst.exists(`${mirrorTarget}/stale`)).resolves.toBeNull();
    await stepRow('validate').click();
    await expect(page.getByTestId('step-result-differences').getAttribute('data-value')).resolves.toBe('0');
  });

  it('history lists the runs, filters them and shows a run’s audit trail', async () => {
    await page.getByTestId('area-history').click();
    const table = page.getByTestId('history-table');
    await table.waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('history-row').count()).resolves.toBeGreaterThanOrEqual(3);

    await page.getByTestId('history-filter-text').fill(migratedRunId.slice(0, 8));
    await page.locator('[data-testid="history-table"][data-count="1"]').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('history-row').getAttribute('data-run')).resolves.toBe(migratedRunId);

    await page.getByTestId('history-filter-text').fill('');
    await page.locator('[data-testid="history-table"]:not([data-count="1"])').waitFor({ timeout: UI_MS });
    await page.getByTestId('history-filter-state').click();
    await page.getByRole('option', { name: 'aborted' }).click();
    await page.locator('[data-testid="history-table"][data-count="1"]').waitFor({ timeout: UI_MS });
    await expect(page.getByTestId('history-row').getAttribute('data-run')).resolves.toBe(blockedRunId);

    await page.getByTestId('history-row').click();
    const events = page.getByTestId('audit-events');
    await events.waitFor({ timeout: UI_MS });
    await expect(events.textContent()).resolves.toContain('skip');
    await screenshot(page, 'runbooks-history');

    await page.getByTestId('history-filter-text').fill('no-such-run-anywhere');
    await page.getByText('No run matches these filters').waitFor({ timeout: UI_MS });
  });
});
