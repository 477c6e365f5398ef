/**
 * `npm run bench:pegasus -- [--tables 400] [--partitions 128] [--json]`
 *
 * Seeds a Pegasus cluster (fixture seeder: N tables x P partitions, both payload versions, dropped
 * tables, a split, duplications, bulk load, lock nodes held by live sessions) into a ZooKeeper of
 * its own (scripts/local-zookeeper.ts) or the one in ZK_SRC, then measures:
 *
 * - summaryMs: `mdesk pegasus summary zk://.../ROOT --json` as a child process, spawn to exit
 *   (the built CLI bundle, dist/electron/cli.cjs when the build has it, else bundled here the same way);
 * - overviewMs: in Chromium against the browser host, from the click on the cluster root to the
 *   first table row visible (a fresh host process: the model is not cached);
 * - sessionLoadMs: the same model loaded the old way, through one ZkSession (pipelined single
 *   reads), as the baseline the two figures above are compared with.
 *
 * Prints one JSON line with --json (else a few readable lines). Target on the project's 2-core
 * machine: summaryMs and overviewMs under 3000. Stops everything it started.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { build } from 'esbuild';
import type { AppRouter } from '../electron/host/router';
import { loadClusterModel } from '../electron/pegasus/cluster-model';
import { ZkSession } from '../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../scripts/local-zookeeper';
import { seedCluster } from '../test/fixtures/pegasus-cluster/seed-cluster';
import { launchChromium, repoRoot, startBrowserHost } from '../test/e2e/browser-host';

interface Args {
  tables: number;
  partitions: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { tables: 400, partitions: 128, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--tables' || arg === '--partitions') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive whole number`);
      args[arg === '--tables' ? 'tables' : 'partitions'] = value;
    } else throw new Error(`unknown argument ${arg}: use --tables N --partitions P --json`);
  }
  return args;
}

const TARGET_MS = 3000;

/** CPU time (user + system, ms) a process has used so far, from /proc; null where there is no /proc. */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const cpuDelta = (before: number | null, after: number | null) =>
  before === null || after === null ? null : after - before;
const log = (line: string) => process.stderr.write(`bench:pegasus ${line}\n`);

/** The CLI as operators run it: the build's bundle, or the same esbuild bundle made here. */
async function cliBundle(workDir: string): Promise<string> {
  const built = join(repoRoot, 'dist/electron/cli.cjs');
  if (existsSync(built)) return built;
  const outfile = join(workDir, 'cli.cjs');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: ['electron/cli.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'better-sqlite3'],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

function runCli(
  bundle: string,
  args: string[],
  dataDir: string,
): Promise<{ ms: number; stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bundle, ...args, '--data-dir', dataDir], {
      // better-sqlite3 is resolved from the repo's node_modules, as in the checkout.
      cwd: repoRoot,
      env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`mdesk exited with ${code}: ${stderr.trim()}`));
      else resolve({ ms, stdout, code: code ?? 0 });
    });
  });
}

async function measureOverview(
  connectString: string,
  root: string,
): Promise<{ ms: number; loadMs: number; loadCpuMs: number; rows: number }> {
  const host = await startBrowserHost();
  const browser = await launchChromium();
  try {
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const api = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `http://127.0.0.1:${host.port}/trpc`,
          headers: { authorization: `Bearer ${token}` },
        }),
      ],
    });
    await api.connections.create.mutate({ name: 'bench', connectString });
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(host.url);
    await page.getByTestId('connection-item-bench').click();
    await page.getByTestId('view-tab-pegasus').click();
    const option = page.locator(`[data-testid="pegasus-root-option"][data-path="${root}"]`);
    await option.waitFor({ timeout: 60_000 });
    const started = performance.now();
    await option.click();
    await page.getByTestId('pegasus-table-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    const ms = performance.now() - started;
    const rows = await page.getByTestId('pegasus-table-row').count();
    // The host's own figure for the load, to tell ZooKeeper time from transfer and rendering.
    const overview = await api.pegasus.overview.query({
      connectionId: (await api.connections.list.query())[0]?.id ?? '',
      root,
    });
    return { ms, loadMs: overview.loadMs, loadCpuMs: overview.loadCpuMs, rows };
  } finally {
    await browser.close();
    await host.stop();
  }
}

/** Deletes a subtree, deepest nodes first, many deletes in flight. */
async function removeSubtree(session: ZkSession, root: string): Promise<void> {
  const levels: string[][] = [[root]];
  for (let level = levels[0] as string[]; level.length > 0; ) {
    const next = (
      await Promise.all(
        level.map(async (path) => (await session.getChildren(path)).children.map((c) => `${path}/${c}`)),
      )
    ).flat();
    if (next.length > 0) levels.push(next);
    level = next;
  }
  for (const level of levels.reverse()) {
    for (let i = 0; i < level.length; i += 512) {
      await Promise.all(
        level.slice(i, i + 512).map((path) => session.remove(path, -1).catch(() => undefined)),
      );
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'mdesk-bench-pegasus-'));
  let server: LocalZooKeeper | undefined;
  let seeded: Awaited<ReturnType<typeof seedCluster>> | undefined;
  let session: ZkSession | undefined;
  try {
    // A plain .mjs script without types: imported by a computed specifier, its one export typed here.
    const ensureBuildModule = '../scripts/ensure-build.mjs';
    const { ensureBuild } = (await import(ensureBuildModule)) as { ensureBuild: () => void };
    ensureBuild();
    if (!process.env.ZK_SRC) server = await startLocalZooKeeper({ dir: join(workDir, 'zk') });
    const connectString = process.env.ZK_SRC ?? (server as LocalZooKeeper).connectString;
    const connect = () =>
      ZkSession.connect({ connectString, sessionTimeoutMs: 30_000, connectTimeoutMs: 10_000 });
    session = await connect();
    const root = `/pegasus/bench-${Date.now().toString(36)}`;
    log(`seeding ${args.tables} tables x ${args.partitions} partitions at ${connectString}${root}`);
    const seedStarted = performance.now();
    seeded = await seedCluster(session, {
      root,
      tables: args.tables,
      partitions: args.partitions,
      droppedTables: Math.max(1, Math.round(args.tables / 100)),
      concurrency: 256,
      openLockSession: async () => {
        const holder = await connect();
        return { writer: holder, close: () => holder.close() };
      },
    });
    const seedMs = performance.now() - seedStarted;
    const znodes = seeded.nodesWritten;
    log(`seeded ${znodes} znodes in ${Math.round(seedMs)} ms`);

    const bundle = await cliBundle(workDir);
    const dataDir = join(workDir, 'data');
    const zkCpuBeforeSummary = processCpuMs(server?.pid);
    const cli = await runCli(
      bundle,
      ['pegasus', 'summary', `zk://${connectString}${root}`, '--json'],
      dataDir,
    );
    const zkCpuSummary = cpuDelta(zkCpuBeforeSummary, processCpuMs(server?.pid));
    const summary = JSON.parse(cli.stdout) as { tables: unknown[]; warnings: string[] };
    if (summary.tables.length !== seeded.expected.tables.length) {
      throw new Error(
        `the summary lists ${summary.tables.length} tables, the seeder wrote ${seeded.expected.tables.length}`,
      );
    }
    log(`summary: ${Math.round(cli.ms)} ms (ZooKeeper server CPU ${zkCpuSummary ?? '?'} ms)`);

    const zkCpuBeforeOverview = processCpuMs(server?.pid);
    // Again right before the host starts: `npm run web` rebuilds when sources changed meanwhile, and
    // a rebuild inside startBrowserHost would count against its start-up timeout.
    ensureBuild();
    const overview = await measureOverview(connectString, root);
    const zkCpuOverview = cpuDelta(zkCpuBeforeOverview, processCpuMs(server?.pid));
    log(
      `overview: ${Math.round(overview.ms)} ms (host load ${overview.loadMs} ms using ${overview.loadCpuMs} ms CPU, ZooKeeper server CPU ${zkCpuOverview ?? '?'} ms)`,
    );

    const baselineStarted = performance.now();
    const baseline = await loadClusterModel(session, root);
    const sessionLoadMs = performance.now() - baselineStarted;
    log(`baseline, one ZkSession: ${Math.round(sessionLoadMs)} ms`);

    const result = {
      bench: 'pegasus',
      tables: args.tables,
      partitions: args.partitions,
      znodes,
      seedMs: Math.round(seedMs),
      summaryMs: Math.round(cli.ms),
      overviewMs: Math.round(overview.ms),
      overviewHostLoadMs: overview.loadMs,
      // The host's CPU during that load: much less than the load's wall time means it waited for a core.
      overviewHostLoadCpuMs: overview.loadCpuMs,
      sessionLoadMs: Math.round(sessionLoadMs),
      summaryVsSessionLoad: Number((cli.ms / sessionLoadMs).toFixed(3)),
      overviewVsSessionLoad: Number((overview.ms / sessionLoadMs).toFixed(3)),
      rowsRendered: overview.rows,
      // The ZooKeeper server's own CPU during each measurement (our own server only): what the reads cost it.
      zkServerCpuMs: { summary: zkCpuSummary, overview: zkCpuOverview },
      baselineReads: baseline.reads.getData + baseline.reads.getChildren,
      targetMs: TARGET_MS,
      meetsTarget: cli.ms < TARGET_MS && overview.ms < TARGET_MS,
      cores: (await import('node:os')).cpus().length,
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `${args.tables} x ${args.partitions} (${znodes} znodes): summary ${result.summaryMs} ms, overview ${result.overviewMs} ms ` +
          `(target < ${TARGET_MS}); one ZkSession loads it in ${result.sessionLoadMs} ms\n`,
      );
    }
  } finally {
    await seeded?.close().catch(() => undefined);
    // Someone else's ZooKeeper (ZK_SRC) gets its tree back as it was; our own server just goes away.
    if (session && seeded && !server) await removeSubtree(session, seeded.root).catch(() => undefined);
    await session?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench:pegasus failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    // Everything started here is stopped by now; a stray handle must not keep the run open.
    setTimeout(() => process.exit(), 2000).unref();
  });
