/**
 * What the Pegasus tools tests share: a temp dir with a scenario for the shell fixture, its
 * config.ini (with [pegasus.clusters]), a run.sh that starts the fixture the way run.sh starts the
 * real shell, a real SQLite store, and a bounded wait for a process to be gone.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSecretBox } from '../../electron/platform/secret-box';
import { openStore } from '../../electron/store/open-store';
import type { Store } from '../../electron/store/types';

export const FIXTURE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/pegasus-shell');
export const FAKE_SHELL = join(FIXTURE_DIR, 'fake-pegasus-shell.mjs');
export const FAKE_ADMIN_CLI = join(FIXTURE_DIR, 'fake-admin-cli.mjs');
export const OUTPUTS_DIR = join(FIXTURE_DIR, 'outputs');

export interface ToolKit {
  dir: string;
  store: Store;
  scenarioPath: string;
  configPath: string;
  /** A directory holding run.sh, for `run.sh`-kind profiles. */
  pegasusDir: string;
  /** process.env plus the scenario variable the fixtures read. */
  env: NodeJS.ProcessEnv;
  writeScenario(scenario: Record<string, unknown>): void;
  close(): void;
}

export function createToolKit(scenario: Record<string, unknown> = {}): ToolKit {
  const dir = mkdtempSync(join(tmpdir(), 'mdesk-tools-'));
  const scenarioPath = join(dir, 'scenario.json');
  const configPath = join(dir, 'config.ini');
  const pegasusDir = join(dir, 'pegasus');
  const write = (next: Record<string, unknown>) =>
    writeFileSync(scenarioPath, JSON.stringify({ stateFile: join(dir, 'state.json'), ...next }, null, 2));
  write(scenario);
  writeFileSync(
    configPath,
    [
      '[pegasus.clusters]',
      'onebox = 127.0.0.1:34601,127.0.0.1:34602',
      'tjsrv = 127.0.0.1:44601,127.0.0.1:44602',
      '',
      '[fixture]',
      `scenario = ${scenarioPath}`,
      '',
    ].join('\n'),
  );
  // run.sh starts the shell as a child (not exec), like Pegasus's run.sh: a kill must reach both.
  const runSh = join(pegasusDir, 'run.sh');
  mkdirSync(pegasusDir, { recursive: true });
  writeFileSync(runSh, `#!/bin/sh\n"${process.execPath}" "${FAKE_SHELL}" "$@"\n`);
  chmodSync(runSh, 0o755);
  const store = openStore({ file: join(dir, 'desk.sqlite'), secretBox: createSecretBox(randomBytes(32)) });
  return {
    dir,
    store,
    scenarioPath,
    configPath,
    pegasusDir,
    env: { ...process.env, PEGASUS_SHELL_FIXTURE_SCENARIO: scenarioPath },
    writeScenario: write,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True once `pid` is gone (polls, bounded: gives up after `withinMs`). */
export async function processGone(pid: number, withinMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return false;
}

export function childPidIn(text: string): number | null {
  const match = /FIXTURE: child pid (\d+)/.exec(text);
  return match ? Number(match[1]) : null;
}

/** A table as the shell fixture's scenario holds it: what `ls` and `app <name>` print for it. */
export interface ScenarioTable {
  appId: number;
  name: string;
  partitionCount: number;
  replicaCount: number;
  status: 'AVAILABLE';
  envs: Record<string, string>;
  createSecond: number;
}

/** Seeded tables (or any with these figures) as the shell fixture lists them: available, no envs. */
export function scenarioTables(
  tables: readonly { appId: number; name: string; partitionCount: number; maxReplicaCount: number }[],
): ScenarioTable[] {
  return tables.map((table) => ({
    appId: table.appId,
    name: table.name,
    partitionCount: table.partitionCount,
    replicaCount: table.maxReplicaCount,
    status: 'AVAILABLE',
    envs: {},
    createSecond: 1709287200,
  }));
}

/**
 * Seeded tables' duplications as the shell fixture holds them (`query_dup -d`). The legacy DS_START
 * ones are left out, as the meta ignores them; `statuses` (by dupid) overrides a duplication's status.
 */
export function scenarioDuplications(
  tables: readonly {
    name: string;
    duplications: readonly { dupid: number; remote: string; statusRaw: string; failMode: string }[];
  }[],
  statuses: Record<string, string> = {},
) {
  return tables.flatMap((table) =>
    table.duplications
      .filter((dup) => dup.statusRaw !== 'DS_START')
      .map((dup) => ({
        dupid: dup.dupid,
        table: table.name,
        remote: dup.remote,
        status: statuses[String(dup.dupid)] ?? dup.statusRaw,
        failMode: dup.failMode,
      })),
  );
}
