/**
 * `mdesk runbooks`, `mdesk run` and `mdesk runs` as an operator runs them: the real CLI in a child
 * process, a real data dir, the real ZooKeeper servers. Exit codes: 0 completed, 1 failed, 2 bad
 * parameters, 3 a step waits for the operator; the last line of --json output is the outcome.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { ZkSession } from '../../../electron/zk/zk-session';
import { uniqueTestRoot } from '../../setup/zk-test-helpers';
import { connect, createWide, readSubtree, removeSubtree } from '../engines/engine-test-kit';
import { subtreeMigrationArgs } from './runner-test-kit';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const source = uniqueTestRoot('cli-rb-src');
const targets = uniqueTestRoot('cli-rb-dst');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-cli-run-'));
const NODES = 1 + 2 * 51;

let src: ZkSession;
let dst: ZkSession;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mdesk(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/cli.ts', ...args, '--data-dir', dataDir],
      {
        cwd: join(__dirname, '..', '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, MDESK_ZK_AUTH: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Bounded: a CLI that hangs fails the test instead of the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJson(result: CliResult): Record<string, unknown> {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`no JSON on the last line (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

function params(target: string, extra: string[] = []): string[] {
  return subtreeMigrationArgs({ zk: SRC, path: source }, { zk: DST, path: target }, extra);
}

beforeAll(async () => {
  src = await connect(SRC);
  dst = await connect(DST);
  await src.create(source, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  for (let p = 0; p < 2; p += 1) await createWide(src, `${source}/p${p}`, 50, () => randomBytes(33));
  await dst.create(targets, Buffer.alloc(0));
}, 120_000);

afterAll(async () => {
  await removeSubtree(src, source);
  await removeSubtree(dst, targets);
  await Promise.allSettled([src.close(), dst.close()]);
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('mdesk runbooks / run / runs', () => {
  it('lists the runbooks as JSON', async () => {
    const result = await mdesk(['runbooks', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const runbooks = JSON.parse(result.stdout) as { id: string; title: string; steps: { kind: string }[] }[];
    const subtree = runbooks.find((runbook) => runbook.id === 'subtree-migration');
    expect(subtree).toMatchObject({ id: 'subtree-migration', title: 'Migrate a ZooKeeper subtree' });
    expect(subtree!.steps.length).toBeGreaterThan(5);
  }, 60_000);

  it('runs subtree-migration headless to completion (exit 0)', async () => {
    const target = `${targets}/headless`;
    const result = await mdesk(['run', 'subtree-migration', ...params(target), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const outcome = lastJson(result);
    expect(outcome).toMatchObject({ runbook: 'subtree-migration', state: 'completed', exitCode: 0 });
    expect(typeof outcome.runId).toBe('string');
    expect(result.stderr).toContain('[1/8] Source reachable, path exists: running');
    expect(result.stderr).toContain(
      '[7/8] Validate (compare, reconcile): succeeded - Source and target match',
    );
    expect(result.stderr).toMatch(/nodes \(100\.0%\)/);
    const copied = await readSubtree(dst, target);
    expect(copied.size).toBe(NODES);
    expect(copied.get('')!.data).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));

    const shown = await mdesk(['runs', 'show', String(outcome.runId).slice(0, 8), '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const run = lastJson(shown) as {
      runId: string;
      runbook: string;
      state: string;
      steps: { index: number; title: string; kind: string; state: string }[];
      events: { action: string }[];
    };
    expect(run.runId).toBe(outcome.runId);
    expect(run.runbook).toBe('subtree-migration');
    expect(run.state).toBe('completed');
    expect(run.steps[0]).toMatchObject({
      index: 0,
      title: 'Source reachable, path exists',
      kind: 'precheck',
      state: 'succeeded',
    });
    expect(run.steps.every((step) => step.state === 'succeeded')).toBe(true);
    expect(run.events[0]!.action).toBe('run.created');
    expect(run.events.at(-1)!.action).toBe('run.completed');

    const reportFile = join(dataDir, 'report.html');
    const report = await mdesk([
      'runs',
      'report',
      String(outcome.runId),
      '--format',
      'html',
      '--out',
      reportFile,
    ]);
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(reportFile)).toBe(true);
    expect(readFileSync(reportFile, 'utf8')).toContain('Validate (compare, reconcile)');
  }, 120_000);

  it('stops at the mirror gate with exit 3 naming the step, and resumes past it with --yes', async () => {
    const target = `${targets}/gate`;
    await dst.create(target, Buffer.from('old'));
    await dst.create(`${target}/stale`, Buffer.from('stale'));
    const stopped = await mdesk([
      'run',
      'subtree-migration',
      ...params(target, ['--param', 'mode=mirror']),
      '--json',
    ]);
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(stopped.stderr).toContain("Step 6 'Confirm mirror mode' (gate) waits for the operator");
    const outcome = lastJson(stopped);
    expect(outcome).toMatchObject({
      state: 'running',
      exitCode: 3,
      step: { id: 'confirm-mirror', kind: 'gate', state: 'waiting-for-operator', awaiting: 'confirm-text' },
    });
    // Nothing deleted before the confirmation.
    expect(await dst.exists(`${target}/stale`)).not.toBeNull();

    const listed = await mdesk(['runs', 'list', '--json', '--state', 'running']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((run) => run.id)).toContain(outcome.runId);

    const resumed = await mdesk(['runs', 'resume', String(outcome.runId), '--yes', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastJson(resumed)).toMatchObject({ runId: outcome.runId, state: 'completed' });
    expect(resumed.stderr).toContain('--yes answers it (confirm-text)');
    expect(await dst.exists(`${target}/stale`)).toBeNull();
  }, 120_000);

  it('exits 1 with the reason when a precheck blocks, and 2 for bad parameters', async () => {
    const store = openStore({
      file: join(dataDir, 'migration-desk.db'),
      secretBox: createSecretBox(randomBytes(32)),
    });
    try {
      store.connections.create({
        name: 'prod-new',
        connectString: DST,
        chroot: null,
        sessionTimeoutMs: 10_000,
        connectTimeoutMs: 5000,
        digestAuth: null,
      });
    } finally {
      store.close();
    }
    const blocked = await mdesk([
      'run',
      'subtree-migration',
      '--param',
      `source=zk://${SRC}`,
      '--param',
      `sourcePath=${source}`,
      '--param',
      'target=prod-new',
      '--param',
      `targetPath=${targets}/never`,
      '--json',
    ]);
    expect(blocked.code, blocked.stderr).toBe(1);
    expect(blocked.stderr).toContain('The target connection @prod-new is read-only');
    expect(blocked.stderr).toContain('mdesk runs retry');
    expect(lastJson(blocked)).toMatchObject({ state: 'failed', step: { id: 'precheck-target-writable' } });
    expect(await dst.exists(`${targets}/never`)).toBeNull();

    const bad = await mdesk(['run', 'subtree-migration', ...params('/x', ['--param', 'passLimit=many'])]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('passLimit: give a whole number from 0 to 10');
    const typo = await mdesk(['run', 'subtree-migration', ...params('/x', ['--param', 'mdoe=mirror'])]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown parameter 'mdoe'");
  }, 120_000);
});
