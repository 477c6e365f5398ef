/**
 * What the Chromium tests of the Pegasus table runbooks share (table-hot-migration, duplication,
 * copy-data, cold backup, dual-write): the browser host started with the shell fixture's scenario
 * in its environment, a tRPC client for the setup an operator does elsewhere (connections, cluster
 * profiles), and the wizard and run-view actions an operator takes, each waiting (bounded) for the
 * state it leads to. The operator's actions go through the page; only the setup uses the API.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import {
  createToolKit,
  FAKE_ADMIN_CLI,
  FAKE_SHELL,
  scenarioTables,
  type ToolKit,
} from '../setup/pegasus-shell-kit';
import type { BrowserHost } from './browser-host';
import { type E2eDesk, openE2eDesk } from './e2e-desk';
import { addReadWriteConnection, type HostApi } from './host-api';

/** A step or a run reaching its next state through the UI. */
export const UI_MS = 20_000;
/** A run's automatic steps on fixtures; the bound only keeps a broken run from hanging the suite. */
export const RUN_MS = 60_000;

export { addReadWriteConnection, type HostApi };

export interface RunbookDesk {
  host: BrowserHost;
  api: HostApi;
  browser: Browser;
  page: Page;
  /** The shell fixture's scenario, config.ini (onebox and tjsrv in [pegasus.clusters]) and state. */
  tools: ToolKit;
  /** A new scenario for the shell fixture, its state (envs, duplications) reset. */
  setScenario(scenario: Record<string, unknown>): void;
  /** The shell fixture's cluster state as the commands left it (state.json). */
  fixtureState(): FixtureState;
  /** Reloads the page (the renderer reads the saved connections again). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface FixtureState {
  tables: { name: string; appId: number; envs: Record<string, string> }[];
  duplications: { dupid: number; table: string; remote: string; status: string; failMode: string }[];
}

/**
 * The browser host with the shell fixture's scenario in its environment, a tRPC client and a page.
 * `setup` runs before the page opens: the renderer reads the saved connections when it starts (a
 * connection saved later reaches the wizard's pickers only after `reload()`). Cluster profiles are
 * read when a wizard opens, so they can be added at any time.
 */
export async function startRunbookDesk(
  scenario: Record<string, unknown> = {},
  options: { setup?(api: HostApi): Promise<void> } = {},
): Promise<RunbookDesk> {
  const tools = createToolKit(scenario);
  let desk: E2eDesk | undefined;
  try {
    desk = await openE2eDesk({
      viewport: { width: 1500, height: 1100 },
      env: tools.env,
      setup: options.setup,
    });
    await desk.page.getByTestId('area-nav').waitFor({ timeout: UI_MS });
    return openDesk(tools, desk);
  } catch (error) {
    // A desk that did not start leaves no host process or temp dir behind.
    await desk?.close();
    tools.close();
    throw error;
  }
}

function openDesk(tools: ToolKit, desk: E2eDesk): RunbookDesk {
  const { host, api, browser, page } = desk;
  const stateFile = join(tools.dir, 'state.json');
  return {
    host,
    api,
    browser,
    page,
    tools,
    setScenario(next) {
      // The fixture rebuilds its state from the scenario when the state file is gone.
      rmSync(stateFile, { force: true });
      tools.writeScenario(next);
    },
    fixtureState() {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<FixtureState>;
      return { tables: state.tables ?? [], duplications: state.duplications ?? [] };
    },
    async reload() {
      await page.reload();
      await page.getByTestId('area-nav').waitFor({ timeout: UI_MS });
    },
    async close() {
      await desk.close();
      tools.close();
    },
  };
}

/**
 * A cluster profile whose pegasus_shell is the fixture, with the kit's config (cluster `onebox`);
 * `adminCli`: the admin-cli fixture too (backup, restore).
 */
export async function addFixtureProfile(
  desk: RunbookDesk,
  input: {
    name: string;
    connectionId: string;
    clusterRoot: string;
    metaServers?: string[];
    adminCli?: boolean;
  },
) {
  const profile = await desk.api.pegasusProfiles.create.mutate({
    name: input.name,
    connectionId: input.connectionId,
    clusterRoot: input.clusterRoot,
    metaServers: input.metaServers ?? [],
    tools: {
      shell: {
        kind: 'pegasus_shell',
        binary: FAKE_SHELL,
        config: desk.tools.configPath,
        clusterName: 'onebox',
      },
      adminCli: input.adminCli ? FAKE_ADMIN_CLI : null,
    },
  });
  return profile.id;
}

/** The seeded cluster's available tables as the shell fixture's scenario lists them. */
export function shellTables(cluster: SeededCluster) {
  return scenarioTables(cluster.expected.tables.filter((table) => table.status === 'available'));
}

/** The Migrations area, then the wizard of `runbookId` (from the catalogue, whatever was open). */
export async function openWizard(page: Page, runbookId: string): Promise<void> {
  await page.getByTestId('area-migrations').click();
  const back = page.getByTestId('run-back').or(page.getByTestId('wizard-back'));
  if (await back.isVisible()) await back.click();
  await page.getByTestId(`new-run-${runbookId}`).click();
  await page
    .locator(`[data-testid="new-run-wizard"][data-runbook="${runbookId}"]`)
    .waitFor({ timeout: UI_MS });
}

/** Picks an option of a select parameter (connection, cluster profile, select). */
export async function choose(page: Page, param: string, option: RegExp | string): Promise<void> {
  await page.getByTestId(`param-${param}`).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** Types into a text, number or path parameter. */
export async function fill(page: Page, param: string, value: string): Promise<void> {
  await page.getByTestId(`param-${param}`).fill(value);
}

/** Sets a boolean parameter (a switch) to `on`. */
export async function setSwitch(page: Page, param: string, on: boolean): Promise<void> {
  const input = page.getByTestId(`param-${param}`);
  if ((await input.isChecked()) !== on) await input.click({ force: true });
}

/** "Run prechecks", then the precheck rows once the run holds (paused: passed; failed: blocked). */
export async function runPrechecks(page: Page, expect: 'paused' | 'failed' = 'paused'): Promise<void> {
  await page.getByTestId('wizard-prechecks').click();
  await page
    .locator(`[data-testid="precheck-results"][data-state="${expect}"]`)
    .or(page.locator('[data-testid="precheck-results"] [data-testid="awaiting-form"]'))
    .first()
    .waitFor({ timeout: RUN_MS });
}

/** "Start the run" from the wizard, then the run view. Returns the run id. */
export async function startFromWizard(page: Page): Promise<string> {
  const start = page.getByTestId('wizard-start');
  await page.locator('[data-testid="wizard-start"]:not([disabled])').waitFor({ timeout: RUN_MS });
  await start.click();
  await page.getByTestId('run-view').waitFor({ timeout: UI_MS });
  return (await page.getByTestId('run-view').getAttribute('data-run')) ?? '';
}

export async function runState(page: Page, state: string, timeout = RUN_MS): Promise<void> {
  await page.locator(`[data-testid="run-view"][data-state="${state}"]`).waitFor({ timeout });
}

export function stepRow(page: Page, stepId: string) {
  return page.locator(`[data-testid="step-row"][data-step="${stepId}"]`);
}

/** Waits until step `stepId` shows `state` in the step list. */
export async function stepState(page: Page, stepId: string, state: string, timeout = RUN_MS): Promise<void> {
  await page
    .locator(`[data-testid="step-row"][data-step="${stepId}"][data-state="${state}"]`)
    .waitFor({ timeout });
}

/** Opens step `stepId` in the detail pane. */
export async function showStep(page: Page, stepId: string) {
  await stepRow(page, stepId).click();
  const detail = page.locator(`[data-testid="step-detail"][data-step="${stepId}"]`);
  await detail.waitFor({ timeout: UI_MS });
  return detail;
}

/** A manual step waiting for "Done: confirm": the note typed, confirmed. */
export async function confirmManual(page: Page, stepId: string, note: string): Promise<void> {
  await stepState(page, stepId, 'waiting-for-operator');
  const detail = await showStep(page, stepId);
  await detail.getByTestId('confirm-note').fill(note);
  await detail.getByTestId('confirm-button').click();
  await page
    .locator(`[data-testid="step-row"][data-step="${stepId}"]:not([data-state="waiting-for-operator"])`)
    .waitFor({ timeout: UI_MS });
}

/** A warning to acknowledge (in the wizard's precheck results or the run view). */
export async function acknowledge(page: Page, note: string): Promise<void> {
  const form = page.locator('[data-testid="awaiting-form"][data-kind="acknowledge"]');
  await form.waitFor({ timeout: RUN_MS });
  await form.getByTestId('acknowledge-read').check();
  await form.getByTestId('acknowledge-note').fill(note);
  await form.getByTestId('acknowledge-button').click();
  await form.waitFor({ state: 'detached', timeout: UI_MS });
}

/**
 * A gate that needs its text typed: checks that a wrong text keeps Confirm disabled, then types the
 * right one and confirms.
 */
export async function passGate(page: Page, stepId: string, text: string, note?: string): Promise<void> {
  await stepState(page, stepId, 'waiting-for-operator');
  const detail = await showStep(page, stepId);
  const confirm = detail.getByTestId('gate-confirm');
  await detail.getByTestId('gate-text').fill(`${text}-not`);
  if (!(await confirm.isDisabled())) throw new Error(`gate ${stepId}: Confirm is enabled for a wrong text`);
  await detail.getByTestId('gate-text').fill(text);
  if (note) await detail.getByTestId('gate-note').fill(note);
  await confirm.click();
  await page
    .locator(`[data-testid="step-row"][data-step="${stepId}"]:not([data-state="waiting-for-operator"])`)
    .waitFor({ timeout: UI_MS });
}
