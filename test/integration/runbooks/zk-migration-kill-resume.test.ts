/**
 * A zk-migration-copy run killed mid-step and resumed (issue 6, "done when"). The operator's part
 * (prechecks, stopping the followers, set_meta_level blind through the shell fixture) runs in this
 * process, which then lets go of the run just before the copy; `mdesk runs resume` takes it over in a
 * child process and is SIGKILLed while the copy step copies a ~16k-node cluster. A second `mdesk runs
 * resume` finds the step running, sees from the engine run that the copy is not done, continues the
 * same engine run from its checkpoints, validates at zero differences, and stops at the manual
 * hosts_list step (exit code 3), which this process then confirms as the app would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import {
  type MetaHttpFixture,
  sampleMetaCluster,
  startMetaHttpFixture,
} from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { killStrayClis, lastJsonLine, runCli, startCli } from '../../setup/cli-process';
import { readSubtree } from '../engines/engine-test-kit';
import { settled, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerRunbookBench } from './runbook-bench';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');
const dataDir = mkdtempSync(join(tmpdir(), 'mdesk-zkcopy-kill-'));

let http: MetaHttpFixture;
let cluster: SeededCluster;

const bench = registerRunbookBench({
  label: 'zkcopy-kill',
  ensembles: { src: SRC, dst: DST },
  kit: { dataDir, dbFile: 'migration-desk.db', scenario: { metaLevel: 'steady' } },
  async setup({ seed, closeAtEnd }) {
    cluster = await seed('src', {
      root,
      seed: 3,
      tables: 12,
      partitions: 1000,
      droppedTables: 1,
      metaServers: 3,
      concurrency: 128,
    });
    http = closeAtEnd(await startMetaHttpFixture());
    http.setCluster({
      ...sampleMetaCluster(http.address),
      primary_meta_server: cluster.expected.metaLeader!,
      zookeeper_hosts: SRC,
      zookeeper_root: root,
    });
  },
  setupMs: 240_000,
  beforeClose: killStrayClis,
  afterClose: () => rmSync(dataDir, { recursive: true, force: true }),
  teardownMs: 240_000,
});
const root = `${bench.base}/pegasus/big`;

/** The copy step runs in the child and its engine run has checkpointed some nodes, not all. */
function copying(runId: string): { engineRunId: string; examined: number } | undefined {
  const steps = bench.kit.store.runs.steps(runId);
  const copy = steps.find((step) => step.stepId === 'copy');
  const plan = steps.find((step) => step.stepId === 'copy-plan');
  const engineRunId = (plan?.record as { result?: { engineRunId?: string } } | null)?.result?.engineRunId;
  if (copy?.state !== 'running' || !engineRunId) return undefined;
  const checkpoint = bench.kit.store.checkpoints.get(engineRunId, 'copy');
  const examined = Number(
    (checkpoint?.state as { counts?: { examined?: number } } | null)?.counts?.examined ?? 0,
  );
  if (!checkpoint || checkpoint.done || examined === 0) return undefined;
  return { engineRunId, examined };
}

describe('a zk-migration-copy run killed mid-copy', () => {
  it('resumes with mdesk runs resume, continues the same engine run, and validates at zero differences', async () => {
    const sourceId = bench.kit.addConnection('old-zk', SRC, { readWrite: true });
    const targetId = bench.kit.addConnection('new-zk', DST, { readWrite: true });
    const profile = bench.kit.addProfile({
      name: 'big',
      connectionId: sourceId,
      clusterRoot: root,
      metaServers: [http.address],
      shell: true,
    });
    const runner = bench.runner;
    const created = runner.create('zk-migration-copy', { profile, target: targetId });
    // The operator's part runs here; this process lets go of the run right before the copy.
    let handedOver = false;
    const handOver = (view: RunView) => {
      if (handedOver || view.id !== created.id) return;
      if (view.steps.find((step) => step.id === 'verify-level-blind')?.state !== 'succeeded') return;
      handedOver = true;
      void runner.pause(created.id);
    };
    runner.events.on('run', handOver);
    runner.start(created.id);
    await settled(runner, created.id, 'the stop-followers step', waitsAt('stop-followers'));
    await cluster.lockHolders[1]!.close();
    await cluster.lockHolders[2]!.close();
    runner.confirm(created.id, { note: 'followers stopped' });
    let run = await settled(
      runner,
      created.id,
      'the pause before the copy',
      (view) => view.state === 'paused',
    );
    runner.events.off('run', handOver);
    expect(stepOf(run, 'set-level-blind').result).toMatchObject({ previousLevel: 'steady', via: 'shell' });
    expect(stepOf(run, 'copy-plan').state).toBe('pending');
    await runner.shutdown();

    const first = startCli(['runs', 'resume', created.id.slice(0, 8), '--json'], { dataDir });
    let seen: ReturnType<typeof copying>;
    const deadline = Date.now() + 120_000;
    while (!seen && Date.now() < deadline && !first.ended()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = copying(created.id);
    }
    if (!seen) {
      const ended = await first.kill();
      throw new Error(
        `the copy never got under way in the CLI (exit ${ended.code}): ${ended.stderr}${ended.stdout}`,
      );
    }
    const killed = await first.kill();
    expect(killed.signal).toBe('SIGKILL');
    expect(bench.kit.store.runs.get(created.id)?.state).toBe('running');
    expect(bench.kit.store.runs.steps(created.id).find((step) => step.stepId === 'copy')?.state).toBe(
      'running',
    );
    expect(bench.kit.store.engineRuns.get(seen!.engineRunId)?.state).toBe('running');

    const resumed = await runCli(['runs', 'resume', created.id.slice(0, 8), '--json'], { dataDir });
    expect(resumed.code, resumed.stderr).toBe(3);
    const outcome = lastJsonLine<{
      runId: string;
      state: string;
      step: { id: string; awaiting: string };
    }>(resumed.stdout);
    expect(outcome).toMatchObject({
      runId: created.id,
      state: 'running',
      step: { id: 'update-hosts-list', awaiting: 'confirm' },
    });
    expect(resumed.stderr).toContain('Migration Desk stopped while this step was running.');
    expect(resumed.stderr).toContain(`Resuming engine run ${seen!.engineRunId} from its checkpoints`);

    // The app takes the run back where the CLI left it.
    const app = bench.kit.restart();
    run = app.get(created.id);
    expect(stepOf(run, 'copy')).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(stepOf(run, 'copy-verify').result).toMatchObject({
      differences: 0,
      matching: cluster.expected.znodeCount,
    });
    expect(bench.kit.store.engineRuns.get(seen!.engineRunId)?.state).toBe('completed');
    const copies = bench.kit.store.engineRuns
      .list({ kind: 'zk-copy', limit: 100 })
      .filter((engineRun) => (engineRun.params as { target?: { path?: string } }).target?.path === root);
    // One copy run, resumed; the verify made no second copy because nothing differed.
    expect(copies.map((engineRun) => engineRun.id)).toEqual([seen!.engineRunId]);
    const reset = bench.kit.store.events
      .list({ target: `run:${created.id}`, limit: 1000 })
      .find((event) => event.action === 'step.reset' && event.detail.stepId === 'copy');
    expect(reset?.detail).toMatchObject({ from: 'running', to: 'pending', cause: 'restart: not done' });

    const persistent = (tree: Awaited<ReturnType<typeof readSubtree>>) =>
      new Map(
        [...tree]
          .filter(([, node]) => !node.ephemeral)
          .map(([path, node]) => [path, node.data.toString('hex')]),
      );
    const target = persistent(await readSubtree(bench.zk.dst, root));
    expect(target.size).toBe(cluster.expected.znodeCount);
    expect(target).toEqual(persistent(await readSubtree(bench.zk.src, root)));

    app.confirm(created.id, { note: 'hosts_list changed' });
    await settled(app, created.id, 'the restart-leader step', waitsAt('restart-leader'));
    await app.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 300_000);
});
