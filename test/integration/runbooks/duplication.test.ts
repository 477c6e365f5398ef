/**
 * Runbook `duplication` end to end through the Runner (issue 7 item 5): the duplication nodes and
 * their progress nodes are seeded on the real ZooKeeper (a DS_LOG one, a paused FAIL_SKIP one, a
 * legacy DS_START one the meta ignores); the shell fixture answers query_dup -d, add_dup, pause_dup,
 * remove_dup and set_dup_fail_mode from the same state; the meta HTTP fixture serves
 * /meta/app/duplication. Refusals: actions the status does not allow (decided before anything is
 * sent), a meta that refuses because the status changed since, a remote missing from the config.
 */
import { describe, expect, inject, it } from 'vitest';
import type { RunView } from '../../../shared/api/run-views';
import { type MetaHttpFixture, startMetaHttpFixture } from '../../fixtures/meta-http-fixture';
import { quietClusterOptions, type SeededCluster } from '../../fixtures/pegasus-cluster/seed-cluster';
import { scenarioDuplications, scenarioTables } from '../../setup/pegasus-shell-kit';
import { failedAt, stepOf, waitsAt } from './pegasus-runbook-kit';
import { registerRunbookBench } from './runbook-bench';

let meta: MetaHttpFixture;
let cluster: SeededCluster;
let profile = '';

const bench = registerRunbookBench({
  label: 'duprb',
  ensembles: { primary: inject('zkPrimary') },
  connections: { zk: { on: 'primary' } },
  async setup({ base, kit, seed, connectionId, closeAtEnd }) {
    cluster = await seed(
      'primary',
      quietClusterOptions({
        root: `${base}/cluster`,
        seed: 5,
        tables: 3,
        duplicatedTables: 2,
      }),
    );
    const { table, dup } = tableWith('DS_LOG');
    // /meta/app/duplication on 2.6+: live partition_states (reference §5).
    meta = closeAtEnd(
      await startMetaHttpFixture({
        duplications: {
          [table.name]: {
            [String(dup.dupid)]: {
              create_ts: '2024-03-01 10:00:00',
              dupid: dup.dupid,
              fail_mode: 'FAIL_SLOW',
              partition_states: {
                '0': { confirmed_decree: 100, last_committed_decree: 120 },
                '1': { confirmed_decree: 200, last_committed_decree: 200 },
              },
              remote: 'target-cluster',
              remote_app_name: table.name,
              remote_replica_count: 3,
              status: 'DS_LOG',
            },
            appid: table.appId,
          },
        },
      }),
    );
    profile = kit.addProfile({
      name: 'dup-src',
      connectionId: connectionId('zk'),
      clusterRoot: cluster.root,
      metaServers: [meta.address],
      shell: true,
    });
  },
});

/** The seeded tables and their live duplications, as the fixture shell's state. */
function scenario(overrides: Record<string, string> = {}) {
  const tables = cluster.expected.tables.filter((table) => table.status === 'available');
  return {
    tables: scenarioTables(tables),
    remoteClusters: ['target-cluster'],
    duplications: scenarioDuplications(tables, overrides),
  };
}

/** The seeded table whose duplications include one with this status. */
function tableWith(statusRaw: string) {
  const table = cluster.expected.tables.find((candidate) =>
    candidate.duplications.some((dup) => dup.statusRaw === statusRaw),
  )!;
  return { table, dup: table.duplications.find((dup) => dup.statusRaw === statusRaw)! };
}

function run(params: Record<string, unknown>): string {
  const created = bench.runner.create('duplication', { profile, ...params });
  bench.runner.start(created.id);
  return created.id;
}

function completed(view: RunView): boolean {
  return view.state === 'completed';
}

describe('duplication through the runner', () => {
  it('lists status and progress from the shell, ZooKeeper and the meta HTTP API, with what to watch', async () => {
    const { table, dup } = tableWith('DS_LOG');
    bench.kit.setScenario(scenario());
    const id = run({ table: table.name, action: 'list' });
    const view = await bench.settled(id, 'the list', completed);
    expect(view.steps.map((step) => step.id)).toEqual(['precheck-duplication', 'duplication-status']);
    const status = stepOf(view, 'duplication-status');
    const result = status.result as {
      duplications: { dupid: number; status: string; from: string }[];
      sources: string[];
    };
    expect(result.sources).toEqual([
      'shell query_dup -d',
      'ZooKeeper progress nodes',
      `meta HTTP ${meta.address}`,
    ]);
    // The legacy DS_START node is read as removed and the shell does not list it: not shown as live.
    expect(result.duplications.map((row) => [row.dupid, row.status, row.from])).toEqual([
      [dup.dupid, 'DS_LOG', 'shell + ZooKeeper'],
    ]);
    const log = bench.logOf(id, status.index);
    expect(log).toContain(
      `meta HTTP: duplication ${dup.dupid} DS_LOG, live gap 20 over 2 partitions (max 20)`,
    );
    expect(log).toContain('dup.disabled_non_idempotent_write_count');
    expect(log).toMatch(
      new RegExp(
        `duplication ${dup.dupid} -> target-cluster: DS_LOG FAIL_SLOW; \\d/4 partitions confirmed, gap \\d+`,
      ),
    );
  }, 60_000);

  it('pauses a DS_LOG duplication and checks the meta reports DS_PAUSE', async () => {
    const { table, dup } = tableWith('DS_LOG');
    bench.kit.setScenario(scenario());
    const id = run({ table: table.name, action: 'pause', dupid: String(dup.dupid) });
    const view = await bench.settled(id, 'the pause', completed);
    expect(stepOf(view, 'precheck-duplication').outcome!.summary).toContain('pause is allowed');
    expect(bench.logOf(id, stepOf(view, 'apply-action').index)).toContain(
      `pause_dup ${table.name} ${dup.dupid}`,
    );
    expect(stepOf(view, 'duplication-status').outcome!.summary).toContain(`${dup.dupid} DS_PAUSE`);
    const events = bench.kit.store.events.list({ actionPrefix: 'pegasus.dup-' });
    expect(events[0]).toMatchObject({ action: 'pegasus.dup-pause', detail: { dupid: dup.dupid } });
  }, 60_000);

  it('refuses actions the status does not allow before sending anything, with the reason', async () => {
    const log = tableWith('DS_LOG');
    const legacy = tableWith('DS_START');
    bench.kit.setScenario(scenario());
    const start = run({ table: log.table.name, action: 'start', dupid: String(log.dup.dupid) });
    let view = await bench.settled(start, 'the refused start', failedAt('precheck-duplication'));
    expect(stepOf(view, 'precheck-duplication').outcome).toMatchObject({
      summary: 'Cannot start: the duplication is already running (DS_LOG).',
      hint: 'Nothing to do; pause it first if you meant to restart it.',
    });
    const pauseLegacy = run({ table: legacy.table.name, action: 'pause', dupid: String(legacy.dup.dupid) });
    view = await bench.settled(pauseLegacy, 'the refused pause', failedAt('precheck-duplication'));
    expect(stepOf(view, 'precheck-duplication').outcome!.summary).toContain(
      "its status 'DS_START' is not one the meta knows",
    );
    const missing = run({ table: log.table.name, action: 'remove', dupid: '42' });
    view = await bench.settled(missing, 'the missing dup', failedAt('precheck-duplication'));
    expect(stepOf(view, 'precheck-duplication').outcome!.summary).toContain(
      `has no duplication 42; its duplications are`,
    );
    expect(
      bench.runner.create.bind(bench.runner, 'duplication', { profile, table: 'x', action: 'pause' }),
    ).toThrow(/dupid/);
  }, 60_000);

  it('fails with the meta refusal when the status changed after the precheck', async () => {
    const { table, dup } = tableWith('DS_LOG');
    // ZooKeeper still says DS_LOG, but the meta has it paused already (someone else paused it).
    bench.kit.setScenario(scenario({ [String(dup.dupid)]: 'DS_PAUSE' }));
    const id = run({ table: table.name, action: 'pause', dupid: String(dup.dupid) });
    const view = await bench.settled(id, 'the meta refusal', failedAt('apply-action'));
    const outcome = stepOf(view, 'apply-action').outcome!;
    expect(outcome.summary).toContain('ERR_INVALID_STATE');
    expect(outcome.hint).toContain('run the list action');
  }, 60_000);

  it('asks for the dupid before setting skip, warns of the data loss, and removes behind the same gate', async () => {
    const { table, dup } = tableWith('DS_PAUSE');
    bench.kit.setScenario(scenario());
    const skip = run({
      table: table.name,
      action: 'set-fail-mode',
      dupid: String(dup.dupid),
      failMode: 'slow',
    });
    let view = await bench.settled(skip, 'the fail mode', completed);
    expect(view.steps.map((step) => step.id)).not.toContain('confirm-action');
    expect(bench.logOf(skip, stepOf(view, 'apply-action').index)).toContain(
      `set_dup_fail_mode ${table.name} ${dup.dupid} slow`,
    );

    const toSkip = run({
      table: table.name,
      action: 'set-fail-mode',
      dupid: String(dup.dupid),
      failMode: 'skip',
    });
    view = await bench.settled(toSkip, 'the skip gate', waitsAt('confirm-action', 'confirm-text'));
    expect(stepOf(view, 'precheck-duplication').outcome!.summary).toContain(
      'FAIL_SKIP loses data on the follower',
    );
    expect(stepOf(view, 'confirm-action').awaiting!.prompt).toContain(
      `to FAIL_SKIP. Mutations that fail to ship are then dropped for good`,
    );
    bench.runner.confirm(toSkip, { text: String(dup.dupid) });
    await bench.settled(toSkip, 'skip set', completed);

    const remove = run({ table: table.name, action: 'remove', dupid: String(dup.dupid) });
    view = await bench.settled(remove, 'the remove gate', waitsAt('confirm-action', 'confirm-text'));
    expect(stepOf(view, 'confirm-action').awaiting!.prompt).toBe(
      `Type '${dup.dupid}' to confirm: remove duplication ${dup.dupid} of ${table.name}. This is final: the follower stops receiving writes, and adding it again starts over from a new checkpoint.`,
    );
    expect(() => bench.runner.confirm(remove, { text: 'yes' })).toThrow(/type exactly/);
    bench.runner.confirm(remove, { text: String(dup.dupid) });
    view = await bench.settled(remove, 'the removal', completed);
    const rows = (stepOf(view, 'duplication-status').result as { duplications: { dupid: number }[] })
      .duplications;
    expect(rows.map((row) => row.dupid)).not.toContain(dup.dupid);
  }, 60_000);

  it('adds with a checkpoint after the config check, and refuses a remote the shell config does not list', async () => {
    const table = cluster.expected.tables.find((candidate) => candidate.duplications.length === 0)!;
    bench.kit.setScenario(scenario());
    const add = run({ table: table.name, action: 'add', remoteCluster: 'tjsrv', checkpoint: 'yes' });
    let view = await bench.settled(add, 'the config warning', waitsAt('precheck-config', 'acknowledge'));
    expect(stepOf(view, 'precheck-config').outcome!.summary).toContain(
      'tjsrv is listed in [pegasus.clusters]',
    );
    expect(stepOf(view, 'precheck-config').outcome!.summary).toContain('[duplication-group]');
    bench.runner.acknowledge(add, 'meta servers configured');
    view = await bench.settled(add, 'the add', completed);
    const added = stepOf(view, 'apply-action').result as { dupid: number };
    expect(bench.logOf(add, stepOf(view, 'apply-action').index)).toContain(`add_dup ${table.name} tjsrv -s`);
    expect(stepOf(view, 'duplication-status').outcome!.summary).toContain(`${added.dupid} DS_PREPARE`);

    const nowhere = run({ table: table.name, action: 'add', remoteCluster: 'nowhere' });
    view = await bench.settled(nowhere, 'the refused add', failedAt('precheck-config'));
    expect(stepOf(view, 'precheck-config').outcome!.summary).toContain(
      'nowhere is not in [pegasus.clusters] of',
    );
  }, 60_000);
});
