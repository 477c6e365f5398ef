/**
 * What the ZooKeeper-migration runbooks plan before anything runs: their step lists for the
 * parameters (the mirror gate only in mirror mode, the countdown's timeout following the interval),
 * their parameters as the wizard and the CLI send them, the meta config lines for the new ensemble
 * (root moved or not, production or onebox lock dir, a chroot), the commands that stop and restart
 * meta servers, the countdown, and the catalogue's explanations.
 */
import { describe, expect, it } from 'vitest';
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import { RUNBOOKS } from '../../../electron/runbooks';
import {
  metaConfigForEnsemble,
  sameHosts,
  targetEnsembleOf,
} from '../../../electron/runbooks/pegasus-steps/ensemble-config';
import {
  metaHostOf,
  restartAllMetasCommands,
  restartMetaCommand,
  stopAllMetasCommands,
  stopMetaCommand,
} from '../../../electron/runbooks/pegasus-steps/meta-service-commands';
import { zkMigrationCopyRunbook } from '../../../electron/runbooks/zk-migration-copy';
import { zkMigrationCopySchema } from '../../../electron/runbooks/zk-migration-copy/params';
import { zkMigrationRecoveryRunbook } from '../../../electron/runbooks/zk-migration-recovery';
import { countdownLeftMs } from '../../../electron/runbooks/zk-migration-recovery/meta-steps';
import {
  type ZkMigrationRecoveryParams,
  zkMigrationRecoverySchema,
} from '../../../electron/runbooks/zk-migration-recovery/params';
import type { RunConnection } from '../../../electron/runner/run-services';
import type { StepContext } from '../../../electron/runner/runbook-definition';

const profile: PegasusProfile = {
  id: 'p1',
  name: 'c1',
  connectionId: 'zk',
  clusterRoot: '/pegasus/c1',
  metaServers: ['meta-1:34601', 'meta-2:34601', 'meta-3:34601'],
  tools: {
    shell: {
      kind: 'pegasus_shell',
      binary: 'pegasus_shell',
      config: '/etc/shell.ini',
      clusterName: 'c1-prod',
    },
    adminCli: null,
  },
  createdAt: 0,
  updatedAt: 0,
};

function connection(connectString: string): RunConnection {
  return {
    ref: 'new',
    label: '@new',
    readOnly: false,
    endpoint: (path) => ({ kind: 'zk', connectString, path }),
  };
}

const parse = <T>(
  schema: {
    safeParse(input: unknown): {
      success: boolean;
      data?: T;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  input: unknown,
) => {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true as const, data: result.data as T }
    : {
        ok: false as const,
        messages: result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      };
};

describe('step lists', () => {
  const copyIds = (mode: string) =>
    zkMigrationCopyRunbook
      .steps(zkMigrationCopySchema.parse({ profile: 'p', target: 't', mode }))
      .map((step) => step.id);

  it('puts the mirror gate before the plan only in mirror mode', () => {
    const mirror = copyIds('mirror');
    expect(mirror.indexOf('confirm-mirror')).toBe(mirror.indexOf('copy-plan') - 1);
    expect(copyIds('create-only')).not.toContain('confirm-mirror');
    expect(copyIds('overwrite')).not.toContain('confirm-mirror');
  });

  it('orders the copy route as the procedure does: stop followers, blind, copy, config, leader, followers, level, gate, cleanup', () => {
    const ids = copyIds('create-only');
    const order = [
      'precheck-meta-lock',
      'stop-followers',
      'set-level-blind',
      'verify-level-blind',
      'copy-plan',
      'copy',
      'copy-verify',
      'update-hosts-list',
      'restart-leader',
      'restart-followers',
      'level-back',
      'confirm-cleanup',
      'cleanup-old-tree',
    ];
    expect(order.map((id) => ids.indexOf(id))).toEqual(
      [...order.map((id) => ids.indexOf(id))].sort((a, b) => a - b),
    );
    expect(order.every((id) => ids.includes(id))).toBe(true);
  });

  it('gives the countdown a timeout that follows config_sync_interval_ms', () => {
    const params = zkMigrationRecoverySchema.parse({
      profile: 'p',
      target: 't',
      configSyncIntervalMs: '90000',
    });
    const wait = zkMigrationRecoveryRunbook.steps(params).find((step) => step.id === 'wait-config-sync')!;
    expect(wait.kind).toBe('wait');
    expect(wait.wait).toMatchObject({ intervalMs: 1000, timeoutMs: 150_000 });
    const ids = zkMigrationRecoveryRunbook.steps(params).map((step) => step.id);
    expect(ids.slice(0, 3)).toEqual(['warn-not-recovered', 'precheck-profile', 'precheck-target']);
    expect(ids.indexOf('backup')).toBeLessThan(ids.indexOf('stop-metas'));
    expect(ids.indexOf('recover')).toBeLessThan(ids.indexOf('wait-nodes'));
    expect(ids.indexOf('reset-flag')).toBeLessThan(ids.indexOf('restart-all-metas'));
    expect(ids.at(-1)).toBe('verify-tables');
  });

  it('explains every step, and every precheck says whether it blocks', () => {
    for (const runbook of [zkMigrationCopyRunbook, zkMigrationRecoveryRunbook]) {
      const params = runbook.schema.parse({ profile: 'p', target: 't', mode: 'mirror' } as never);
      const steps = runbook.steps(params as never);
      expect(new Set(steps.map((step) => step.id)).size).toBe(steps.length);
      for (const step of steps) {
        expect(step.why.length, `${runbook.id}/${step.id}`).toBeGreaterThan(120);
        if (step.kind === 'precheck') expect(step.severity, step.id).toMatch(/^(block|warn)$/);
        if (step.kind === 'wait') expect(step.wait, step.id).toBeDefined();
        if (step.kind === 'gate') expect(step.confirmText, step.id).toBeDefined();
      }
    }
    expect(RUNBOOKS.map((runbook) => runbook.id)).toEqual(
      expect.arrayContaining(['zk-migration-copy', 'zk-migration-recovery']),
    );
    expect(
      zkMigrationRecoveryRunbook.steps(zkMigrationRecoverySchema.parse({ profile: 'p', target: 't' }))[0],
    ).toMatchObject({
      kind: 'precheck',
      severity: 'warn',
    });
  });
});

describe('parameters', () => {
  it('fills the defaults and takes the strings the CLI passes', () => {
    expect(zkMigrationCopySchema.parse({ profile: ' p1 ', target: 'new' })).toEqual({
      profile: 'p1',
      target: 'new',
      targetRoot: '',
      acceptNonEmpty: false,
      mode: 'create-only',
    });
    expect(
      zkMigrationCopySchema.parse({
        profile: 'p1',
        target: 'new',
        targetRoot: '/pegasus/c2/',
        acceptNonEmpty: 'yes',
        mode: 'mirror',
      }),
    ).toMatchObject({ targetRoot: '/pegasus/c2', acceptNonEmpty: true, mode: 'mirror' });
    expect(
      zkMigrationRecoverySchema.parse({
        profile: 'p1',
        target: 'new',
        configSyncIntervalMs: '45000',
        skipBadNodes: 'on',
      }),
    ).toEqual({
      profile: 'p1',
      target: 'new',
      targetRoot: '',
      configSyncIntervalMs: 45_000,
      recoverWaitSeconds: 100,
      skipBadNodes: true,
      skipLostPartitions: false,
      workDir: '',
    });
  });

  it('names the field and says what to give', () => {
    expect(parse(zkMigrationCopySchema, { target: 'new' })).toEqual({
      ok: false,
      messages: [expect.stringMatching(/^profile: choose a Pegasus cluster profile/)],
    });
    expect(parse(zkMigrationCopySchema, { profile: 'p', target: 'new', mode: 'copy' })).toEqual({
      ok: false,
      messages: ['mode: choose one of create-only, overwrite, mirror'],
    });
    expect(parse(zkMigrationCopySchema, { profile: 'p', target: 'new', targetRoot: 'pegasus' })).toEqual({
      ok: false,
      messages: [expect.stringMatching(/^targetRoot: path /)],
    });
    expect(
      parse(zkMigrationRecoverySchema, { profile: 'p', target: 'new', configSyncIntervalMs: '-1' }),
    ).toEqual({
      ok: false,
      messages: ['configSyncIntervalMs: give a whole number from 0 to 600000'],
    });
    expect(parse(zkMigrationRecoverySchema, { profile: 'p', target: 'new', workDir: 'work' })).toEqual({
      ok: false,
      messages: ['workDir: give an absolute directory (starting with /), or leave it empty'],
    });
  });
});

describe('meta config for the new ensemble', () => {
  const ensemble = targetEnsembleOf(connection('10.0.0.1:2181,10.0.0.2:2181'));

  it('changes only hosts_list when the root stays', () => {
    const lines = metaConfigForEnsemble({
      ensemble,
      oldRoot: '/pegasus/c1',
      newRoot: '/pegasus/c1',
      oldLockDir: '/pegasus/c1/lock/dsn.meta.server.leader',
    });
    expect(lines.map((line) => line.text)).toEqual(['[zookeeper]\nhosts_list = 10.0.0.1:2181,10.0.0.2:2181']);
  });

  it('moves cluster_root and the lock root with it (production and onebox layouts)', () => {
    const production = metaConfigForEnsemble({
      ensemble,
      oldRoot: '/pegasus/c1',
      newRoot: '/pegasus/c2',
      oldLockDir: '/pegasus/c1/lock/dsn.meta.server.leader',
    });
    expect(production.map((line) => line.text)).toEqual([
      '[zookeeper]\nhosts_list = 10.0.0.1:2181,10.0.0.2:2181',
      '[meta_server]\ncluster_root = /pegasus/c2',
      '[meta_server]\ndistributed_lock_service_parameters = /pegasus/c2/lock',
    ]);
    const onebox = metaConfigForEnsemble({
      ensemble,
      oldRoot: '/pegasus/onebox/h1',
      newRoot: '/pegasus/onebox/h2',
      oldLockDir: '/pegasus/onebox/h1/dsn.meta.server.leader',
    });
    expect(onebox.at(-1)!.text).toBe(
      '[meta_server]\ndistributed_lock_service_parameters = /pegasus/onebox/h2',
    );
  });

  it('puts the connection chroot into cluster_root, since hosts_list takes host:port only', () => {
    const chrooted = targetEnsembleOf(connection('10.0.0.1:2181/zk-b'));
    expect(chrooted).toEqual({ hostsList: '10.0.0.1:2181', hosts: ['10.0.0.1:2181'], chroot: '/zk-b' });
    const lines = metaConfigForEnsemble({
      ensemble: chrooted,
      oldRoot: '/pegasus/c1',
      newRoot: '/pegasus/c1',
      oldLockDir: '/pegasus/c1/lock/dsn.meta.server.leader',
    });
    expect(lines.map((line) => line.text)).toEqual([
      '[zookeeper]\nhosts_list = 10.0.0.1:2181',
      '[meta_server]\ncluster_root = /zk-b/pegasus/c1',
      '[meta_server]\ndistributed_lock_service_parameters = /zk-b/pegasus/c1/lock',
    ]);
  });

  it('compares zookeeper_hosts as a set of host:port', () => {
    expect(sameHosts(['10.0.0.2:2181', '10.0.0.1:2181'], ensemble.hosts)).toBe(true);
    expect(sameHosts(['10.0.0.1:2181'], ensemble.hosts)).toBe(false);
  });
});

describe('meta server commands', () => {
  it('names the host, the Minos task from the profile order, and the port', () => {
    const follower = metaHostOf('meta-2:34601', profile);
    expect(follower).toEqual({ address: 'meta-2:34601', host: 'meta-2', port: '34601', task: 1 });
    expect(stopMetaCommand('c1-prod', follower, 'follower')).toEqual({
      label: 'On meta-2: stop the follower meta server meta-2:34601',
      kind: 'shell',
      text: [
        "# With Minos (task 1: its place in the profile's meta list):",
        './deploy stop pegasus c1-prod --job meta --task 1 --skip_confirm',
        '# Without Minos, on meta-2: stop the process listening on port 34601',
        'kill $(lsof -t -iTCP:34601 -sTCP:LISTEN)',
      ].join('\n'),
    });
    expect(
      restartMetaCommand('c1-prod', metaHostOf('meta-1:34601', profile), 'leader').text.split('\n')[1],
    ).toBe('./deploy rolling_update pegasus c1-prod --job meta --task 0 --update_config --skip_confirm');
  });

  it('leaves the task to the operator when the meta is not in the profile list', () => {
    const stranger = metaHostOf('10.0.0.9:34601', profile);
    expect(stranger.task).toBeNull();
    const text = stopMetaCommand('c1-prod', stranger, 'follower').text;
    expect(text).toContain('# ./deploy stop pegasus c1-prod --job meta --task N --skip_confirm');
    expect(text).toContain('find its task with ./deploy show');
  });

  it('stops and restarts every meta at once, all tasks (the script restarted only 0 and 1)', () => {
    const metas = profile.metaServers.map((address) => metaHostOf(address, profile));
    expect(stopAllMetasCommands('c1-prod', metas).map((command) => command.text)).toEqual([
      './deploy stop pegasus c1-prod --job meta --skip_confirm',
      'kill $(lsof -t -iTCP:34601 -sTCP:LISTEN)',
      'kill $(lsof -t -iTCP:34601 -sTCP:LISTEN)',
      'kill $(lsof -t -iTCP:34601 -sTCP:LISTEN)',
    ]);
    const restart = restartAllMetasCommands('c1-prod', metas);
    expect(restart[0]!.text).toBe(
      './deploy rolling_update pegasus c1-prod --job meta --update_config --time_interval 20 --skip_confirm',
    );
    expect(restart.slice(1).map((command) => command.label)).toEqual([
      'Without Minos, on meta-1: restart the meta server meta-1:34601',
      'Without Minos, on meta-2: restart the meta server meta-2:34601',
      'Without Minos, on meta-3: restart the meta server meta-3:34601',
    ]);
  });
});

describe('the config_sync_interval_ms countdown', () => {
  const ctx = (now: number, stoppedAt: number | undefined): StepContext<ZkMigrationRecoveryParams> =>
    ({
      params: zkMigrationRecoverySchema.parse({ profile: 'p', target: 't', configSyncIntervalMs: 30_000 }),
      results: stoppedAt === undefined ? {} : { 'stop-metas': { stoppedAt } },
      services: { now: () => now },
    }) as unknown as StepContext<ZkMigrationRecoveryParams>;

  it('counts from the moment the metas were seen stopped', () => {
    expect(countdownLeftMs(ctx(1_000_000 + 12_000, 1_000_000))).toEqual({ leftMs: 18_000, from: 'stop' });
    expect(countdownLeftMs(ctx(1_000_000 + 45_000, 1_000_000))).toEqual({ leftMs: 0, from: 'stop' });
  });

  it('counts from its own first poll when the stop step left no time (it was confirmed without a check)', () => {
    let now = 5_000;
    const context = ctx(now, undefined);
    (context.services as { now: () => number }).now = () => now;
    expect(countdownLeftMs(context)).toEqual({ leftMs: 30_000, from: 'wait' });
    now += 10_000;
    expect(countdownLeftMs(context)).toEqual({ leftMs: 20_000, from: 'wait' });
  });
});
