/**
 * Runbook `zk-migration-copy` end to end through the Runner (issue 6 item 3): the ZooKeeper side on
 * the two real servers (source = primary, target = secondary) with a seeded cluster whose meta lock
 * nodes are held by live sessions (closing a session = stopping that meta; a lock node created on the
 * target = the meta restarted there), the Pegasus side on the shell fixture and the meta HTTP fixture.
 * Manual steps are confirmed through the runner API as an operator would. Also the faults: a meta
 * that stays at fl_steady, no tools at all, meta HTTP answering 307 to a dead leader, a ZooKeeper
 * session lost mid-step, and a target root that is not empty.
 */
import { existsSync } from 'node:fs';
import type { RunView } from '../../../shared/api/run-views';
import { describe, expect, inject, it } from 'vitest';
import { RunRefusal } from '../../../electron/runner/runner-errors';
import type { ZkSessionLike } from '../../../electron/zk/types';
import {
  type MetaHttpFixture,
  sampleMetaCluster,
  startMetaHttpFixture,
} from '../../fixtures/meta-http-fixture';
import type { SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { expireSession, waitForSessionState } from '../../setup/zk-test-helpers';
import { readSubtree } from '../engines/engine-test-kit';
import { closedPort, failedAt, holdLock, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerRunbookBench } from './runbook-bench';

const SRC = inject('zkPrimary');
const DST = inject('zkSecondary');

let http: MetaHttpFixture;
let sourceId = '';
let targetId = '';
let deadAddress = '';

const bench = registerRunbookBench({
  label: 'zkcopy',
  ensembles: { src: SRC, dst: DST },
  connections: { 'old-zk': { on: 'src', readWrite: true }, 'new-zk': { on: 'dst', readWrite: true } },
  kit: { scenario: { metaLevel: 'steady' } },
  async setup({ connectionId, closeAtEnd }) {
    http = closeAtEnd(await startMetaHttpFixture());
    deadAddress = await closedPort();
    sourceId = connectionId('old-zk');
    targetId = connectionId('new-zk');
  },
});

function seed(name: string, options: { tables?: number; partitions?: number } = {}) {
  return bench.seed('src', {
    root: `${bench.base}/pegasus/${name}`,
    seed: 7,
    tables: options.tables ?? 4,
    partitions: options.partitions ?? 4,
    droppedTables: 1,
    duplicatedTables: 1,
    backupPolicies: 1,
    bulkLoadTables: 1,
    metaServers: 3,
  });
}

/** A cluster profile `name` on the seeded `cluster`, read over old-zk, with these meta servers and shell. */
function addClusterProfile(
  cluster: SeededCluster,
  name: string,
  tools: { metaServers: string[]; shell: boolean | string },
): string {
  return bench.kit.addProfile({ name, connectionId: sourceId, clusterRoot: cluster.root, ...tools });
}

/** A zk-migration-copy run of cluster profile `profile` to new-zk, started; once it waits at stop-followers. */
async function startCopyRun(
  profile: string,
  more: Record<string, unknown> = {},
): Promise<{ id: string; run: RunView }> {
  const created = bench.runner.create('zk-migration-copy', { profile, target: targetId, ...more });
  bench.runner.start(created.id);
  const run = await bench.settled(created.id, 'the stop-followers step', waitsAt('stop-followers'));
  return { id: created.id, run };
}

/** The operator stops every follower meta (their lock sessions end) and confirms the step. */
async function stopFollowers(cluster: SeededCluster, runId: string, note?: string): Promise<void> {
  for (const holder of cluster.lockHolders.slice(1)) await holder.close();
  bench.runner.confirm(runId, note === undefined ? undefined : { note });
}

function clusterPayload(leader: string, root: string, hosts: string, level = 'steady') {
  return {
    ...sampleMetaCluster(http.address),
    primary_meta_server: leader,
    zookeeper_hosts: hosts,
    zookeeper_root: root,
    meta_function_level: level,
  };
}

/** Waits (bounded) until the step's output has a line containing `text`. */
async function outputContains(runId: string, index: number, text: string, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (bench.runner.tail(runId, { index, limit: 50 }).some((line) => line.line.includes(text))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`step ${index} never printed '${text}' within ${withinMs} ms`);
}

/**
 * Expires the session, again if our client's reconnect won the race against the intruder's close
 * (the helper says it can): bounded, and it says so if it never worked.
 */
async function expireUntilExpired(session: ZkSessionLike): Promise<void> {
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const expired = waitForSessionState(session, 'expired', 10_000).then(
      () => true,
      () => false,
    );
    await expireSession(session, SRC);
    if (await expired) return;
  }
  throw new Error('the source session could not be expired in 4 attempts');
}

describe('zk-migration-copy through the runner', () => {
  it('moves a live cluster to the new ensemble, step by step, and deletes the old tree after its export', async () => {
    const cluster = await seed('c1');
    const { root, expected } = cluster;
    const [leader, ...followers] = expected.metaCandidates;
    http.setCluster(clusterPayload(leader!, root, SRC));
    const profile = addClusterProfile(cluster, 'c1', { metaServers: [http.address], shell: true });
    bench.kit.setScenario({ metaLevel: 'steady' });

    // A read-rate ceiling high enough not to slow this small cluster: what matters is that it reaches
    // every engine run the copy steps make.
    const created = await startCopyRun(profile, { maxNodesPerSecond: '50000' });
    let run = created.run;
    const lock = stepOf(run, 'precheck-meta-lock');
    expect(lock.state).toBe('succeeded');
    expect(lock.result).toMatchObject({ leader, followers, level: 'steady' });
    for (const id of ['precheck-source', 'precheck-cluster-root', 'precheck-target', 'precheck-target-empty'])
      expect(stepOf(run, id).state).toBe('succeeded');
    // One command per follower, naming its host and port; none for the leader.
    const stop = stepOf(run, 'stop-followers');
    expect(stop.commands).toHaveLength(2);
    for (const [index, follower] of followers.entries()) {
      const [host, port] = follower.split(':');
      expect(stop.commands[index]!.label).toContain(host);
      expect(stop.commands[index]!.text).toContain(`-iTCP:${port}`);
    }
    expect(stop.commands.map((command) => command.text).join('\n')).not.toContain(leader!.split(':')[0]);

    // The operator stops both followers: their sessions end, their lock nodes go.
    await stopFollowers(cluster, created.id, 'stopped meta-2 and meta-3 with Minos');
    run = await bench.settled(created.id, 'the hosts_list step', waitsAt('update-hosts-list'));
    expect(stepOf(run, 'stop-followers')).toMatchObject({
      state: 'succeeded',
      note: 'stopped meta-2 and meta-3 with Minos',
    });
    expect(stepOf(run, 'set-level-blind').result).toMatchObject({
      previousLevel: 'steady',
      levelAfter: 'blind',
      via: 'shell',
    });
    expect(stepOf(run, 'verify-level-blind').result).toMatchObject({ level: 'blind', via: 'shell' });
    expect(stepOf(run, 'copy').result).toMatchObject({ errors: 0, created: expected.znodeCount });
    expect(stepOf(run, 'copy-verify').result).toMatchObject({
      differences: 0,
      matching: expected.znodeCount,
    });
    const planned = stepOf(run, 'copy-plan').result as { engineRunId: string };
    expect(stepOf(run, 'copy').result).toMatchObject({ engineRunId: planned.engineRunId });
    // The run's parameter (a CLI-style string, taken as a number) is in the copy engine's params.
    expect(run.params).toMatchObject({ maxNodesPerSecond: 50_000 });
    const verified = stepOf(run, 'copy-verify').result as { engineRunIds: string[] };
    for (const engineRunId of [planned.engineRunId, ...verified.engineRunIds]) {
      expect(bench.kit.store.engineRuns.get(engineRunId)?.params).toMatchObject({
        maxNodesPerSecond: 50_000,
      });
    }
    // The shell ran for real and every run of it is on record.
    const toolEvents = bench.kit.store.events.list({ target: `pegasus-profile:${profile}`, limit: 100 });
    expect(toolEvents.map((event) => (event.detail.commands as string[] | undefined)?.join(';'))).toContain(
      'set_meta_level blind',
    );
    const hostsList = stepOf(run, 'update-hosts-list')
      .commands.map((command) => command.text)
      .join('\n');
    expect(hostsList).toContain(`[zookeeper]\nhosts_list = ${DST}`);
    expect(hostsList).not.toContain('cluster_root');
    bench.runner.confirm(created.id, { note: 'config changed on all three metas' });

    run = await bench.settled(created.id, 'the restart-leader step', waitsAt('restart-leader'));
    expect(stepOf(run, 'restart-leader').commands[0]!.label).toContain(leader!.split(':')[0]);
    // The leader restarts on the new ensemble: its old session ends, it takes the lock on the new one.
    await cluster.lockHolders[0]!.close();
    bench.closeAtEnd(await holdLock(DST, expected.lockDir, leader!));
    // ...but meta HTTP still reports the old ensemble: the check refuses.
    bench.runner.confirm(created.id, { note: 'restarted meta-1' });
    run = await bench.settled(created.id, 'the HTTP check to fail', failedAt('restart-leader'));
    expect(stepOf(run, 'restart-leader').outcome?.summary).toContain(
      `zookeeper_hosts = ${SRC}, not the new ensemble`,
    );
    http.setCluster(clusterPayload(leader!, root, DST, 'fl_steady'));
    bench.runner.retry(created.id);
    await bench.settled(created.id, 'the restart-leader step again', waitsAt('restart-leader'));
    bench.runner.confirm(created.id, { note: 'meta-1 answers on the new ensemble' });

    run = await bench.settled(created.id, 'the followers step', waitsAt('restart-followers'));
    expect(stepOf(run, 'restart-leader').outcome?.summary).toContain(`reports zookeeper_hosts = ${DST}`);
    for (const follower of followers) bench.closeAtEnd(await holdLock(DST, expected.lockDir, follower));
    bench.runner.confirm(created.id, { note: 'followers started' });

    run = await bench.settled(created.id, 'the cleanup gate', waitsAt('confirm-cleanup', 'confirm-text'));
    expect(stepOf(run, 'level-back').outcome?.summary).toContain('back at fl_steady');
    const gate = stepOf(run, 'confirm-cleanup');
    expect(gate.awaiting?.expectedText).toBe(String(expected.znodeCount));

    // The new ensemble holds the cluster byte for byte (lock nodes aside: they belong to sessions).
    const persistent = (tree: Awaited<ReturnType<typeof readSubtree>>) =>
      new Map(
        [...tree]
          .filter(([, node]) => !node.ephemeral)
          .map(([path, node]) => [path, node.data.toString('hex')]),
      );
    const before = persistent(await readSubtree(bench.zk.src, root));
    const after = persistent(await readSubtree(bench.zk.dst, root));
    expect(before.size).toBe(expected.znodeCount);
    expect(after).toEqual(before);

    expect(() => bench.runner.confirm(created.id, { text: String(expected.znodeCount - 1) })).toThrow(
      RunRefusal,
    );
    bench.runner.confirm(created.id, { text: String(expected.znodeCount) });
    run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    const cleanup = stepOf(run, 'cleanup-old-tree').result as { exportFile: string; deleted: number };
    expect(cleanup.deleted).toBe(expected.znodeCount);
    expect(existsSync(cleanup.exportFile)).toBe(true);
    expect(await bench.zk.src.exists(root)).toBeNull();
    expect((await readSubtree(bench.zk.dst, root)).size).toBeGreaterThanOrEqual(expected.znodeCount);

    const actions = bench.kit.store.events
      .list({ target: `run:${created.id}`, limit: 1000 })
      .map((event) => event.action);
    expect(actions).toContain('run.completed');
    expect(actions.filter((action) => action === 'step.confirmed').length).toBeGreaterThanOrEqual(6);
    expect(actions).toContain('step.confirm-refused');
  }, 180_000);

  it('fails set_meta_level with the reason when the meta stays at fl_steady, and goes on after a retry', async () => {
    const cluster = await seed('stuck', { tables: 2, partitions: 2 });
    http.setCluster(clusterPayload(cluster.expected.metaLeader!, cluster.root, SRC));
    const profile = addClusterProfile(cluster, 'stuck', { metaServers: [http.address], shell: true });
    bench.kit.setScenario({ metaLevel: 'steady', metaLevelStuck: true });
    const created = await startCopyRun(profile);
    await stopFollowers(cluster, created.id, 'stopped');
    let run = await bench.settled(created.id, 'set-level to fail', failedAt('set-level-blind'));
    const failed = stepOf(run, 'set-level-blind');
    expect(failed.outcome?.summary).toContain('still reports fl_steady');
    expect(failed.outcome?.hint).toContain('Do not copy while it is not blind');
    // Nothing was copied while the level was wrong.
    expect(await bench.zk.dst.exists(cluster.root)).toBeNull();

    bench.kit.setScenario({ metaLevel: 'steady' });
    bench.runner.retry(created.id);
    run = await bench.settled(created.id, 'the copy to be done', waitsAt('update-hosts-list'));
    expect(stepOf(run, 'set-level-blind')).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(stepOf(run, 'copy-verify').result).toMatchObject({ differences: 0 });
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);

  it('without a shell or meta HTTP, the Pegasus steps become manual with the generated commands', async () => {
    const cluster = await seed('notools', { tables: 2, partitions: 2 });
    const { root, expected } = cluster;
    const profile = addClusterProfile(cluster, 'notools', { metaServers: [deadAddress], shell: false });
    const created = await startCopyRun(profile);
    await stopFollowers(cluster, created.id);

    let run = await bench.settled(
      created.id,
      'set-level as a manual step',
      waitsAt('set-level-blind', 'confirm'),
    );
    let step = stepOf(run, 'set-level-blind');
    expect(step.manualReason).toContain("No Pegasus shell is configured in the cluster profile 'notools'");
    expect(step.commands.map((command) => command.text)).toEqual([
      `./run.sh shell --cluster ${deadAddress}`,
      'get_meta_level',
      'set_meta_level blind',
      'get_meta_level',
    ]);
    expect(step.awaiting?.headless).toBe(false);
    bench.runner.confirm(created.id, { note: 'set blind by hand; get_meta_level says fl_blind' });

    run = await bench.settled(
      created.id,
      'verify-level as a manual step',
      waitsAt('verify-level-blind', 'confirm'),
    );
    step = stepOf(run, 'verify-level-blind');
    expect(step.manualReason).toMatch(
      /No Pegasus shell is configured.*meta HTTP \/meta\/cluster: No meta server answered/,
    );
    expect(step.commands.map((command) => command.text)).toContain('get_meta_level');
    bench.runner.confirm(created.id, { note: 'checked by hand' });

    await bench.settled(created.id, 'the hosts_list step', waitsAt('update-hosts-list'));
    bench.runner.confirm(created.id);
    await bench.settled(created.id, 'the restart-leader step', waitsAt('restart-leader'));
    await cluster.lockHolders[0]!.close();
    bench.closeAtEnd(await holdLock(DST, expected.lockDir, expected.metaLeader!));
    bench.runner.confirm(created.id);
    run = await bench.settled(created.id, 'the followers step', waitsAt('restart-followers'));
    expect(stepOf(run, 'restart-leader').outcome?.summary).toContain('meta HTTP did not answer');
    for (const follower of expected.metaCandidates.slice(1))
      bench.closeAtEnd(await holdLock(DST, expected.lockDir, follower));
    bench.runner.confirm(created.id);

    run = await bench.settled(created.id, 'level-back as a manual step', waitsAt('level-back', 'confirm'));
    step = stepOf(run, 'level-back');
    expect(step.manualReason).toContain('The level before the migration is not known');
    expect(step.commands.map((command) => command.text)).toContain('set_meta_level steady');
    bench.runner.confirm(created.id, { note: 'set steady by hand' });

    run = await bench.settled(created.id, 'the cleanup gate', waitsAt('confirm-cleanup', 'confirm-text'));
    bench.runner.confirm(created.id, {
      text: run.steps.find((s) => s.id === 'confirm-cleanup')!.awaiting!.expectedText!,
    });
    run = await bench.settled(created.id, 'the end', (view) => view.state === 'completed');
    expect(await bench.zk.src.exists(root)).toBeNull();
    expect(stepOf(run, 'copy-verify').result).toMatchObject({ differences: 0 });
  }, 180_000);

  it('says so clearly when meta HTTP answers 307 to a dead leader', async () => {
    const cluster = await seed('redirect', { tables: 2, partitions: 2 });
    const follower = await startMetaHttpFixture({ role: 'follower', leader: deadAddress });
    try {
      const profile = addClusterProfile(cluster, 'redirect', {
        metaServers: [follower.address],
        shell: false,
      });
      const created = await startCopyRun(profile);
      await stopFollowers(cluster, created.id);
      await bench.settled(created.id, 'set-level as a manual step', waitsAt('set-level-blind', 'confirm'));
      bench.runner.confirm(created.id);
      let run = await bench.settled(
        created.id,
        'the verify fallback',
        waitsAt('verify-level-blind', 'confirm'),
      );
      expect(stepOf(run, 'verify-level-blind').manualReason).toContain(
        `meta server ${follower.address} answered /meta/cluster with 307 to the leader ${deadAddress}, which does not answer`,
      );
      expect(follower.requests).toContain('GET /meta/cluster');
      bench.runner.confirm(created.id);
      await bench.settled(created.id, 'the hosts_list step', waitsAt('update-hosts-list'));
      bench.runner.confirm(created.id);
      await bench.settled(created.id, 'the restart-leader step', waitsAt('restart-leader'));
      await cluster.lockHolders[0]!.close();
      bench.closeAtEnd(await holdLock(DST, cluster.expected.lockDir, cluster.expected.metaLeader!));
      bench.runner.confirm(created.id);
      run = await bench.settled(created.id, 'the restart check to fail', failedAt('restart-leader'));
      const outcome = stepOf(run, 'restart-leader').outcome!;
      expect(outcome.summary).toContain('meta HTTP is inconsistent');
      expect(outcome.summary).toContain(`307 to the leader ${deadAddress}`);
      expect(outcome.hint).toContain('find the meta that answered with the redirect');
      await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
    } finally {
      await follower.close();
    }
  }, 120_000);

  it('fails a step whose ZooKeeper session is lost mid-check, and the retry goes on', async () => {
    const cluster = await seed('expiry', { tables: 2, partitions: 2 });
    http.setCluster(clusterPayload(cluster.expected.metaLeader!, cluster.root, SRC));
    const profile = addClusterProfile(cluster, 'expiry', { metaServers: [http.address], shell: true });
    bench.kit.setScenario({ metaLevel: 'steady' });
    const created = await startCopyRun(profile);
    let run = created.run;
    const index = stepOf(run, 'stop-followers').index;
    // Only one follower stops: the check keeps polling, then its session is lost.
    await cluster.lockHolders[1]!.close();
    bench.runner.confirm(created.id, { note: 'stopped one' });
    await outputContains(created.id, index, 'Waiting for: 1 follower lock node left');
    await expireUntilExpired(await bench.kit.services.zk(sourceId));
    run = await bench.settled(created.id, 'the check to fail', failedAt('stop-followers'));
    const failed = stepOf(run, 'stop-followers').outcome!;
    expect(failed.summary).toMatch(/The ZooKeeper session to @old-zk was lost during this step \(expired/);
    expect(failed.hint).toContain('retry this step');

    await cluster.lockHolders[2]!.close();
    bench.runner.retry(created.id);
    await bench.settled(created.id, 'the stop-followers step again', waitsAt('stop-followers'));
    bench.runner.confirm(created.id, { note: 'stopped the other one' });
    run = await bench.settled(created.id, 'the copy', waitsAt('update-hosts-list'));
    expect(stepOf(run, 'stop-followers')).toMatchObject({ state: 'succeeded', attempts: 2 });
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });
  }, 120_000);

  it('turns a shell that cannot start into a manual step, and fails on output that does not parse', async () => {
    const cluster = await seed('badshell', { tables: 2, partitions: 2 });
    const missing = addClusterProfile(cluster, 'missing-shell', {
      metaServers: [deadAddress],
      shell: '/nonexistent/pegasus_shell',
    });
    const first = await startCopyRun(missing);
    await stopFollowers(cluster, first.id);
    let run = await bench.settled(
      first.id,
      'set-level as a manual step',
      waitsAt('set-level-blind', 'confirm'),
    );
    const manual = stepOf(run, 'set-level-blind');
    expect(manual.manualReason).toContain('The Pegasus shell could not start');
    expect(manual.manualReason).toContain('/nonexistent/pegasus_shell');
    expect(manual.commands.map((command) => command.text)).toEqual([
      `/nonexistent/pegasus_shell ${bench.kit.tools.configPath} onebox`,
      'get_meta_level',
      'set_meta_level blind',
      'get_meta_level',
    ]);
    await bench.runner.abort(first.id, { confirm: first.id, reason: 'test done' });

    // A binary that is not the Pegasus shell: it prints something, but not get_meta_level's answer.
    const wrong = addClusterProfile(cluster, 'wrong-shell', {
      metaServers: [deadAddress],
      shell: '/bin/cat',
    });
    const second = await startCopyRun(wrong);
    run = second.run;
    expect(stepOf(run, 'stop-followers').commands).toEqual([]);
    bench.runner.confirm(second.id, { note: 'no follower is left' });
    run = await bench.settled(second.id, 'set-level to fail', failedAt('set-level-blind'));
    const failed = stepOf(run, 'set-level-blind');
    expect(failed.outcome?.summary).toMatch(/^The shell's output of get_meta_level did not parse: /);
    expect(failed.outcome?.hint).toContain(
      'starts the Pegasus shell of this cluster (run it by hand and type get_meta_level)',
    );
    const log = bench.runner
      .output(second.id, { index: failed.index, limit: 500 })
      .lines.map((line) => line.line);
    // What the tool printed is in the step's log, verbatim.
    expect(log).toContain('[pegasus.clusters]');
    expect(log.some((line) => line.startsWith('The output of get_meta_level was not recognised'))).toBe(true);
    await bench.runner.abort(second.id, { confirm: second.id, reason: 'test done' });
  }, 120_000);

  it('blocks at the prechecks when the target root is not empty, naming what is there', async () => {
    const cluster = await seed('busy', { tables: 2, partitions: 2 });
    await bench.zk.dst.create(`${bench.base}/pegasus`, Buffer.alloc(0)).catch(() => undefined);
    await bench.zk.dst.create(cluster.root, Buffer.alloc(0));
    await bench.zk.dst.create(`${cluster.root}/apps`, Buffer.from('unlock'));
    addClusterProfile(cluster, 'busy', { metaServers: [deadAddress], shell: false });
    // By name, as an operator types it in the CLI.
    const created = bench.runner.create('zk-migration-copy', { profile: 'BUSY', target: targetId });
    bench.runner.start(created.id);
    const run = await bench.settled(created.id, 'the precheck to block', failedAt('precheck-target-empty'));
    expect(stepOf(run, 'precheck-target-empty').outcome?.summary).toContain('is not empty (1 child: apps)');
    // The other prechecks ran in the same batch; nothing after them did.
    expect(stepOf(run, 'precheck-meta-lock').state).toBe('succeeded');
    expect(stepOf(run, 'stop-followers').state).toBe('pending');
    await bench.runner.abort(created.id, { confirm: created.id, reason: 'test done' });

    const unknown = bench.runner.create('zk-migration-copy', {
      profile: 'no-such-cluster',
      target: targetId,
    });
    bench.runner.start(unknown.id);
    const refused = await bench.settled(unknown.id, 'the precheck to block', failedAt('precheck-source'));
    const summary = stepOf(refused, 'precheck-source').outcome?.summary;
    expect(summary).toContain(
      "There is no cluster profile 'no-such-cluster' (by id or name); the profiles are: ",
    );
    expect(summary).toContain('busy');
    await bench.runner.abort(unknown.id, { confirm: unknown.id, reason: 'test done' });
  }, 60_000);
});
