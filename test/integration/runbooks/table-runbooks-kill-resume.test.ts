/**
 * The table runbooks killed mid-step and resumed (issue 7, "nothing half-applied without a record"),
 * with `mdesk` in child processes on the data dir this process also opens, real ZooKeeper and the
 * Pegasus shell fixture.
 *
 * - table-copy-data: `mdesk run` is SIGKILLed while copy_data runs (the fixture's copy made slow).
 *   The shell it started ran in a process group of its own; like the real shell on SIGPIPE it ends at
 *   its next progress line. `mdesk runs resume` reports the step interrupted and what to do (copy_data
 *   cannot say how far it got), `mdesk runs retry` copies again to the end, and the audit log holds
 *   both attempts.
 * - table-hot-migration: `mdesk runs resume --yes` answers the switch gate and is SIGKILLed right
 *   after its compare-and-set landed on the MetaProxy entry, before it could record it (a proxy keeps
 *   ZooKeeper's answer from it). The next `mdesk runs resume` finds the entry switched, writes nothing,
 *   and rebuilds the switch's record: the previous entry byte for byte (with the audit event the killed
 *   process never wrote), so the app's rollback restores it exactly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import type { Runner } from '../../../electron/runner/runner';
import type { ZkSession } from '../../../electron/zk/zk-session';
import {
  duplicationInfoJson,
  duplicationProgressText,
  metaProxyEntryJson,
} from '../../fixtures/pegasus-cluster/payloads';
import { quietClusterOptions, type SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import {
  type CliProcess,
  killStrayClis,
  lastJsonLine,
  pidsWithCommandLine,
  runCli,
  startCli,
} from '../../setup/cli-process';
import { processGone, scenarioTables } from '../../setup/pegasus-shell-kit';
import { startZkReplyHoldProxy, type ZkReplyHoldProxy } from '../../setup/zk-reply-hold-proxy';
import { removeTree, uniqueTestRoot } from '../../setup/zk-test-helpers';
import {
  connectZk,
  makePegasusRunbookKit,
  type PegasusRunbookKit,
  seedLiveCluster,
  stepOf,
} from './pegasus-runbook-kit';

const ZK = inject('zkPrimary');
const base = uniqueTestRoot('tblkill');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-tblkill-'));
const TARGET = 'tjsrv';
const TARGET_METAS = '127.0.0.1:44601,127.0.0.1:44602';
/** The fixture's first dupid when its state holds none (dupid = creation second, reference §1.7). */
const FIRST_DUPID = 1709258400;

let zk: ZkSession;
let kit: PegasusRunbookKit;
let zkId = '';
let proxy: ZkReplyHoldProxy | undefined;
const seeded: SeededCluster[] = [];

async function seed(name: string, seedNumber: number, metaProxy: boolean): Promise<SeededCluster> {
  const cluster = await seedLiveCluster(
    zk,
    ZK,
    quietClusterOptions({
      root: `${base}/${name}/cluster`,
      clusterName: 'onebox',
      seed: seedNumber,
      tables: 2,
      ...(metaProxy ? { metaProxyRoot: `${base}/${name}/proxy` } : {}),
    }),
  );
  seeded.push(cluster);
  return cluster;
}

function shellTables(cluster: SeededCluster) {
  return scenarioTables(cluster.expected.tables);
}

function profileFor(cluster: SeededCluster, name: string): string {
  return kit.addProfile({ name, connectionId: zkId, clusterRoot: cluster.root, shell: true });
}

/** The run id `mdesk run` prints first on stderr. */
async function runIdOf(cli: CliProcess): Promise<string> {
  const line = await cli.waitForLine(/^Run [0-9a-f-]{36} /, 60_000);
  return /^Run ([0-9a-f-]{36}) /.exec(line)![1]!;
}

/** The table's envs in the shell fixture's cluster state. */
function fixtureEnvs(tableName: string): Record<string, string> {
  const state = JSON.parse(readFileSync(join(kit.tools.dir, 'state.json'), 'utf8')) as {
    tables: { name: string; envs: Record<string, string> }[];
  };
  return state.tables.find((table) => table.name === tableName)?.envs ?? {};
}

function runEvents(runId: string) {
  return kit.store.events.list({ target: `run:${runId}`, limit: 1000 }).reverse();
}

/**
 * Drives the run in this process (the app) until it waits at `stepId`, answering what an operator
 * would on the way: gates with their text, warnings, manual steps. Bounded by the steps there are.
 */
async function advanceTo(runner: Runner, runId: string, stepId: string): Promise<RunView> {
  for (let answered = 0; answered < 30; answered += 1) {
    const run = await runner.whenIdle(runId);
    const step = run.currentStep === null ? undefined : run.steps[run.currentStep];
    if (run.state !== 'running' || step?.state !== 'waiting-for-operator' || !step.awaiting) {
      throw new Error(
        `run stopped before ${stepId}: ${run.state} at ${step?.id}=${step?.state} (${step?.outcome?.summary ?? run.message ?? ''})`,
      );
    }
    if (step.id === stepId) return run;
    if (step.awaiting.kind === 'confirm-text')
      runner.confirm(runId, { text: step.awaiting.expectedText ?? '' });
    else if (step.awaiting.kind === 'acknowledge') runner.acknowledge(runId, 'seen');
    else if (step.awaiting.kind === 'confirm') runner.confirm(runId, { note: 'checked by hand' });
    else throw new Error(`step ${step.id} waits for ${step.awaiting.kind}, which this test does not answer`);
  }
  throw new Error(`run never reached ${stepId}`);
}

/** What the meta and the replicas write for a duplication in DS_LOG that shipped everything. */
async function writeCaughtUpDuplication(cluster: SeededCluster, tableIndex: number): Promise<void> {
  const table = cluster.expected.tables[tableIndex]!;
  const dupDir = `${cluster.root}/apps/${table.appId}/duplication`;
  const dupPath = `${dupDir}/${FIRST_DUPID}`;
  await zk.create(dupDir, Buffer.alloc(0));
  await zk.create(
    dupPath,
    Buffer.from(
      duplicationInfoJson({ remote: TARGET, status: 'DS_LOG', createTimestampMs: FIRST_DUPID * 1000 }),
    ),
  );
  for (const [index, lcd] of Object.entries(table.lastCommittedDecrees)) {
    await zk.create(`${dupPath}/${index}`, Buffer.from(duplicationProgressText(lcd)));
  }
}

/** Resolves once `read` says so (polled), or fails after `withinMs` saying what it waited for. */
async function until(what: string, read: () => Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await read()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what}: not within ${withinMs} ms`);
}

beforeAll(async () => {
  zk = await connectZk(ZK);
  // The store of the CLI's data dir: this process is the app beside it.
  kit = makePegasusRunbookKit({ dataDir, dbFile: 'migration-desk.db' });
  zkId = kit.addConnection('zk', ZK, { readWrite: true });
}, 60_000);

afterAll(async () => {
  killStrayClis();
  await Promise.allSettled(seeded.map((cluster) => cluster.close()));
  await proxy?.close();
  await kit?.close();
  await removeTree(zk, base).catch(() => undefined);
  await zk?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('table runbooks killed mid-step', () => {
  it('table-copy-data: the copy killed mid-way is reported interrupted, retried to the end, both attempts on record', async () => {
    const source = await seed('copy-src', 3, false);
    const target = await seed('copy-dst', 4, false);
    const table = source.expected.tables[0]!;
    const targetTable = target.expected.tables[0]!.name;
    // 40 "seconds" of 250 rows, 150 ms each: a copy of 6 s, killed after its third progress line.
    const SECONDS = 40;
    const copyData = (intervalMs: number) => ({
      splits: 4,
      rowsPerSecond: Array.from({ length: SECONDS }, () => 250),
      intervalMs,
    });
    kit.setScenario({ tables: shellTables(source), copyData: copyData(150) });
    const env = kit.tools.env;
    const first = startCli(
      [
        'run',
        'table-copy-data',
        '--param',
        `profile=${profileFor(source, 'copy-src')}`,
        '--param',
        `table=${table.name}`,
        '--param',
        `targetCluster=${TARGET}`,
        '--param',
        `targetTable=${targetTable}`,
        '--param',
        `targetProfile=${profileFor(target, 'copy-dst')}`,
        '--param',
        'verifyCounts=false',
        '--yes',
        '--json',
      ],
      { dataDir, env },
    );
    const runId = await runIdOf(first);
    await first.waitForLine(/processed for 3 seconds/, 90_000);
    // The shell copying now: the one fixture process started with this test's config.
    const shells = pidsWithCommandLine(kit.tools.configPath);
    expect(shells).toHaveLength(1);
    const killed = await first.kill();
    expect(killed.signal).toBe('SIGKILL');
    // Its own process group outlives the CLI; it ends at its next line to the closed pipe.
    expect(await processGone(shells[0]!, 10_000), `shell fixture pid ${shells[0]} still runs`).toBe(true);

    const copyIndex = kit.store.runs.steps(runId).find((step) => step.stepId === 'copy-data')!.index;
    expect(kit.store.runs.get(runId)?.state).toBe('running');
    expect(kit.store.runs.step(runId, copyIndex)).toMatchObject({ state: 'running', attempts: 1 });

    // Resume: the step cannot tell how far copy_data got, so it waits, saying what to do.
    const resumed = await runCli(['runs', 'resume', runId.slice(0, 8), '--json'], { dataDir, env });
    expect(resumed.code, resumed.stderr).toBe(3);
    expect(lastJsonLine(resumed.stdout)).toMatchObject({
      runId,
      state: 'running',
      step: { id: 'copy-data', state: 'waiting-for-operator', awaiting: 'interrupted' },
      allowedActions: expect.arrayContaining(['retry']),
    });
    expect(resumed.stderr).toContain('Migration Desk stopped while this step was running.');
    expect(resumed.stderr).toContain('cannot tell whether it finished');
    expect(resumed.stderr).toContain(`Run it again with: mdesk runs retry ${runId.slice(0, 8)}`);
    // Nothing ran meanwhile: no copy was started by the resume.
    const toolStarts = () =>
      kit.store.events
        .list({ actionPrefix: 'pegasus.tool.started', limit: 1000 })
        .filter((event) => (event.detail.commands as string[]).some((line) => line.startsWith('copy_data')));
    expect(toolStarts()).toHaveLength(1);

    // The retry need not be slow (same rows; the cluster state is kept).
    kit.tools.writeScenario({ tables: shellTables(source), copyData: copyData(10) });
    const retried = await runCli(['runs', 'retry', runId.slice(0, 8), '--json'], { dataDir, env });
    expect(retried.code, retried.stderr).toBe(0);
    expect(lastJsonLine(retried.stdout)).toMatchObject({ runId, state: 'completed' });

    const copy = kit.store.runs.step(runId, copyIndex)!;
    expect(copy).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect((copy.record as { result?: { totalRows?: number } }).result?.totalRows).toBe(SECONDS * 250);

    // Both attempts on record: the step's transitions, and each copy_data typed into a shell.
    const stepEvents = runEvents(runId).filter((event) => event.detail.stepId === 'copy-data');
    expect(stepEvents.map((event) => [event.action, event.detail.attempt])).toEqual([
      ['step.started', 1],
      ['step.waiting', 1],
      ['step.retried', 1],
      ['step.started', 2],
      ['step.succeeded', 2],
    ]);
    expect(stepEvents[1]!.detail).toMatchObject({ awaiting: 'interrupted', cause: 'restart' });
    expect(toolStarts()).toHaveLength(2);
    const finished = kit.store.events
      .list({ actionPrefix: 'pegasus.copy-data', limit: 100 })
      .filter((event) => event.detail.runId === runId);
    expect(finished.map((event) => event.detail)).toEqual([
      expect.objectContaining({ outcome: 'done', totalRows: SECONDS * 250 }),
    ]);
  }, 240_000);

  it('table-hot-migration: killed right after the MetaProxy write, resumed without a second write, rolled back byte for byte', async () => {
    const cluster = await seed('hot', 7, true);
    const table = cluster.expected.tables[0]!;
    const proxyPath = `${base}/hot/proxy/${table.name}`;
    const before = await zk.getData(proxyPath);
    kit.setScenario({ tables: shellTables(cluster) });
    await writeCaughtUpDuplication(cluster, 0);
    // The MetaProxy connection goes through the proxy that can keep ZooKeeper's answer back.
    proxy = await startZkReplyHoldProxy(ZK);
    const viaProxy = kit.addConnection('metaproxy-zk', proxy.address, { readWrite: true });

    // The operator's part in the app, up to the switch gate; then the app lets go of the run.
    const app = kit.restart();
    const created = app.create('table-hot-migration', {
      profile: profileFor(cluster, 'hot'),
      table: table.name,
      targetCluster: TARGET,
      targetMetas: TARGET_METAS,
      metaProxy: viaProxy,
      metaProxyRoot: `${base}/hot/proxy`,
      // Bounded: a wait that never comes true fails the step after a minute instead of hanging the test.
      waitMinutes: '1',
    });
    app.start(created.id);
    await advanceTo(app, created.id, 'confirm-switch');
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('timeout*write');
    await app.shutdown();

    // The CLI answers the gate and writes; its answer from ZooKeeper never comes.
    proxy.armOnNextSetData();
    const env = kit.tools.env;
    const first = startCli(['runs', 'resume', created.id.slice(0, 8), '--yes', '--json'], { dataDir, env });
    await Promise.race([
      proxy.whenHolding(),
      first.done.then((ended) => {
        throw new Error(`the CLI ended before its MetaProxy write (exit ${ended.code}): ${ended.stderr}`);
      }),
    ]);
    const switched = metaProxyEntryJson(TARGET, TARGET_METAS.split(','));
    await until('the entry routes to the target', async () => {
      return (await zk.getData(proxyPath)).data.toString() === switched;
    });
    const killed = await first.kill();
    expect(killed.signal).toBe('SIGKILL');

    // Half-applied: ZooKeeper has the write, the run and the audit log do not.
    const switchIndex = kit.store.runs
      .steps(created.id)
      .find((step) => step.stepId === 'switch-metaproxy')!.index;
    expect(kit.store.runs.step(created.id, switchIndex)).toMatchObject({ state: 'running', attempts: 1 });
    const writes = () =>
      kit.store.events
        .list({ actionPrefix: 'metaproxy.switched', limit: 100 })
        .filter((event) => event.detail.path === proxyPath);
    expect(writes()).toHaveLength(0);
    const afterWrite = await zk.getData(proxyPath);
    expect(afterWrite.stat.version).toBe(before.stat.version + 1);

    // Resume: the switch is found done (no second write), the run goes on to the verification.
    const resumed = await runCli(['runs', 'resume', created.id.slice(0, 8), '--json'], { dataDir, env });
    expect(resumed.code, resumed.stderr).toBe(3);
    expect(lastJsonLine(resumed.stdout)).toMatchObject({
      runId: created.id,
      state: 'running',
      step: { id: 'verify-cutover', state: 'waiting-for-operator' },
    });
    expect(resumed.stderr).toContain('Migration Desk stopped while this step was running.');
    const entry = await zk.getData(proxyPath);
    expect(entry.data.toString()).toBe(switched);
    expect(entry.stat.version).toBe(before.stat.version + 1);
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBe('reconfig*all');

    // The run knows the previous entry, byte for byte, and the write is on record once.
    const restarted = kit.restart();
    let run = restarted.get(created.id);
    const step = stepOf(run, 'switch-metaproxy');
    expect(step).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(step.outcome!.summary).toContain('Found done after restart');
    const record = (
      step.result as {
        rollback: { previous: { base64: string; version: number }; written: { version: number } };
      }
    ).rollback;
    expect(Buffer.from(record.previous.base64, 'base64').equals(before.data)).toBe(true);
    expect(record.previous.version).toBe(before.stat.version);
    expect(record.written.version).toBe(before.stat.version + 1);
    expect(writes()).toHaveLength(1);
    expect(writes()[0]!.detail).toMatchObject({ recovered: true, runId: created.id });
    expect(
      runEvents(created.id).find(
        (event) => event.action === 'step.recovered' && event.detail.stepId === 'switch-metaproxy',
      ),
    ).toBeDefined();

    // Clients fail on the target: the app rolls back, to exactly what was there.
    expect(run.rollback?.label).toBe('Route the table back to the source and allow writes there again');
    restarted.rollback(created.id);
    await until('the rollback finished', async () => {
      run = restarted.get(created.id);
      return run.rollbacks.length === 1 && run.rollbacks[0]!.state !== 'running';
    });
    expect(run.rollbacks[0], run.rollbacks[0]?.summary ?? '').toMatchObject({ state: 'succeeded' });
    const restored = await zk.getData(proxyPath);
    expect(restored.data.equals(before.data)).toBe(true);
    expect(restored.stat.version).toBe(before.stat.version + 2);
    expect(fixtureEnvs(table.name)['replica.deny_client_request']).toBeUndefined();
    await restarted.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 240_000);
});
