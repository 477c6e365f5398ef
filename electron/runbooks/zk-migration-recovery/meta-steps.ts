/**
 * zk-migration-recovery's steps around the meta servers (reference §4 steps 6-9, 12-13, §8): stop
 * them all, wait out config_sync_interval_ms, point the config at the new ensemble in recovery mode,
 * start one meta, and after the recovery reset the flag and restart every meta (all of them: the
 * script restarted only tasks 0 and 1). The manual steps check what they can through the lock nodes.
 */
import { recoverFromReplicaServerConfig } from '../../pegasus/commands';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { metaConfigForEnsemble } from '../pegasus-steps/ensemble-config';
import {
  describeHolders,
  type LockFacts,
  lockFactsFrom,
  lockMoveWaitingFor,
  lockOrFailed,
  readLockFacts,
} from '../pegasus-steps/meta-lock-step';
import {
  metaHostOf,
  restartAllMetasCommands,
  restartMetaCommand,
  stopAllMetasCommands,
} from '../pegasus-steps/meta-service-commands';
import { pollCheck } from '../pegasus-steps/poll-check';
import type { ZkMigrationRecoveryParams } from './params';
import { metaAddresses, type RecoveryContext, type RecoveryFacts, recoveryFacts, STEP } from './run-facts';

type Step = StepDefinition<ZkMigrationRecoveryParams>;

const STOP_CHECK = { intervalMs: 1000, timeoutMs: 120_000 };
const START_CHECK = { intervalMs: 1000, timeoutMs: 180_000 };

async function session(ctx: RecoveryContext, ref: string) {
  return ctx.services.zk(ref).catch(() => null);
}

/** A lock read inside a probe; a failure ends the check, and a retry reads again. */
function lockOn(ctx: RecoveryContext, ref: string, root: string, whose: 'old' | 'new') {
  return lockOrFailed(ctx, ref, root, (reason) => ({
    summary: `Cannot read the ${whose} ensemble's lock: ${reason}`,
    hint: 'Retry this step.',
  }));
}

export const stopMetasStep: Step = {
  id: STEP.stopMetas,
  kind: 'manual',
  title: 'Stop every meta server',
  why:
    'The metas must all be down before the replica servers can be told about a new one: a meta left running ' +
    'keeps leading the old tree. Where the old ensemble still answers, the check waits until no lock node is ' +
    "left there; a stopped meta's node goes when its ZooKeeper session ends.",
  commands(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return [];
    const { facts } = found;
    return stopAllMetasCommands(
      facts.cluster,
      metaAddresses(ctx, facts.profile).map((address) => metaHostOf(address, facts.profile)),
    );
  },
  async execute(ctx): Promise<StepOutcome> {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const first = await readLockFacts(ctx, facts.sourceRef, facts.root);
    if (!first.ok) {
      // The old ensemble is gone (the usual reason for this route): the operator's word stands.
      return { status: 'manual', reason: `the old ensemble cannot be read (${first.reason})`, commands: [] };
    }
    const checked = await pollCheck<LockFacts>(ctx, {
      ...STOP_CHECK,
      sessions: [{ session: first.session, label: facts.sourceLabel }],
      timeoutHint:
        'A meta server still holds its lock node on the old ensemble: it still runs, or its session has not expired yet. Stop it, then retry this step.',
      async probe() {
        const read = await lockOn(ctx, facts.sourceRef, facts.root, 'old');
        if (!read.ok) return { failed: read.failed };
        if (read.facts.holders.length === 0) return { done: true, value: read.facts };
        return {
          done: false,
          waitingFor: `meta servers still holding the lock: ${describeHolders(read.facts)}`,
        };
      },
    });
    if (!checked.ok) return checked.outcome;
    return {
      status: 'succeeded',
      summary: 'No meta server holds the lock on the old ensemble',
      result: { stoppedAt: ctx.services.now() },
    };
  },
};

/** When the countdown started for a wait that found no stop time: its first poll (a retry starts again). */
const countdownStarts = new WeakMap<object, number>();

export function countdownLeftMs(ctx: StepContext<ZkMigrationRecoveryParams>): {
  leftMs: number;
  from: 'stop' | 'wait';
} {
  const stoppedAt = ctx.results[STEP.stopMetas]?.stoppedAt;
  let start: number;
  let from: 'stop' | 'wait' = 'stop';
  if (typeof stoppedAt === 'number') start = stoppedAt;
  else {
    from = 'wait';
    start = countdownStarts.get(ctx) ?? ctx.services.now();
    countdownStarts.set(ctx, start);
  }
  return { leftMs: Math.max(0, start + ctx.params.configSyncIntervalMs - ctx.services.now()), from };
}

/** Built per run: the wait's timeout follows the interval it counts down. */
export function waitConfigSyncStep(params: ZkMigrationRecoveryParams): Step {
  return {
    id: 'wait-config-sync',
    kind: 'wait',
    title: 'Wait out config_sync_interval_ms',
    why:
      'Each replica server syncs its config with the meta every config_sync_interval_ms. Only after a full ' +
      'interval without a meta have all of them noticed and turned their replicas inactive; a meta started ' +
      'earlier could be told about replicas that are still serving with the old configuration. The script ' +
      'slept 15 s, which is short of the 30 s default.',
    wait: {
      intervalMs: Math.max(100, Math.min(1000, params.configSyncIntervalMs)),
      timeoutMs: params.configSyncIntervalMs + 60_000,
      describe: (ctx) =>
        `${Math.round(ctx.params.configSyncIntervalMs / 1000)} s of config_sync_interval_ms since the metas stopped`,
    },
    async execute(ctx) {
      const { leftMs, from } = countdownLeftMs(ctx);
      const total = Math.round(ctx.params.configSyncIntervalMs / 1000);
      const interval = ctx.params.configSyncIntervalMs;
      ctx.progress({
        done: Math.round((interval - leftMs) / 1000),
        total: Math.max(1, Math.round(interval / 1000)),
        unit: 's',
        label: 'config_sync_interval_ms',
      });
      if (leftMs <= 0) {
        return {
          status: 'succeeded',
          summary: `${total} s have passed since ${from === 'stop' ? 'the metas were seen stopped' : 'the wait began'}`,
        };
      }
      return {
        status: 'pending',
        waitingFor: `${Math.ceil(leftMs / 1000)} s left of config_sync_interval_ms (${total} s), so every replica server notices the metas are gone`,
      };
    },
  };
}

export const configChangesStep: Step = {
  id: 'config-changes',
  kind: 'manual',
  title: 'Point the meta config at the new ensemble, in recovery mode',
  why:
    'hosts_list names the new ensemble (and cluster_root the new root, when it moves). recover_from_replica_server ' +
    '= true makes the meta that starts next wait, without a tree, for the recover command instead of creating ' +
    'an empty cluster. Keep a copy of the old config: it is the way back until the recovery succeeded.',
  commands(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) throw new Error(found.outcome.summary);
    const { facts } = found;
    const lock = lockFactsFrom(ctx.results[STEP.profile]?.lock);
    return [
      {
        label: 'Keep the old config first (the way back)',
        kind: 'shell' as const,
        text: 'cp config.ini config.ini.before-zk-recovery',
      },
      ...metaConfigForEnsemble({
        ensemble: facts.ensemble,
        oldRoot: facts.root,
        newRoot: facts.targetRoot,
        oldLockDir: lock?.lockDir ?? null,
      }),
      recoverFromReplicaServerConfig(true),
    ];
  },
};

/** The first meta to start: task 0 (the first of the profile's list), as the script does. */
function firstMeta(ctx: RecoveryContext, facts: RecoveryFacts): string {
  return facts.profile.metaServers[0] ?? metaAddresses(ctx, facts.profile)[0] ?? '(first meta)';
}

export const startOneMetaStep: Step = {
  id: STEP.startOne,
  kind: 'manual',
  title: 'Start one meta server',
  why:
    'One meta only, with the recovery config: it takes the lock on the new ensemble and waits for the ' +
    'recover command. A second one would only wait behind it; the others start after the recovery with the ' +
    'flag reset. The check waits for its lock node on the new ensemble.',
  commands(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return [];
    const { facts } = found;
    return [restartMetaCommand(facts.cluster, metaHostOf(firstMeta(ctx, facts), facts.profile), 'recovery')];
  },
  async execute(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const checked = await pollCheck<LockFacts>(ctx, {
      ...START_CHECK,
      sessions: [{ session: await session(ctx, ctx.params.target), label: facts.targetLabel }],
      timeoutHint:
        "No meta holds the lock on the new ensemble: check the started meta's log (hosts_list, cluster_root, recover_from_replica_server), then retry this step.",
      async probe() {
        const read = await lockOn(ctx, ctx.params.target, facts.targetRoot, 'new');
        if (!read.ok) return { failed: read.failed };
        if (read.facts.holders.length > 0) return { done: true, value: read.facts };
        return {
          done: false,
          waitingFor: `a meta server to take the lock under ${facts.targetRoot} on ${facts.targetLabel}`,
        };
      },
    });
    if (!checked.ok) return checked.outcome;
    return {
      status: 'succeeded',
      summary: `A meta holds the lock on the new ensemble: ${describeHolders(checked.value)}`,
      result: { lock: checked.value as unknown as JsonObject },
    };
  },
};

export const resetFlagStep: Step = {
  id: 'reset-flag',
  kind: 'manual',
  title: 'Reset recover_from_replica_server',
  why:
    'With the flag still true, the next restart finds the recovered tables and crashes the meta ("find apps ' +
    'from remote storage, but recover_from_replica_server = true"). Set it back in every meta\'s config ' +
    'before any restart; hosts_list stays on the new ensemble.',
  commands() {
    return [recoverFromReplicaServerConfig(false)];
  },
};

export const restartAllMetasStep: Step = {
  id: 'restart-all-metas',
  kind: 'manual',
  title: 'Restart every meta server',
  why:
    'Every meta, the recovering one included, restarts with the final config, so each can take over again. ' +
    'The check waits until each holds a lock node on the new ensemble and none is left on the old one.',
  commands(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return [];
    const { facts } = found;
    return restartAllMetasCommands(
      facts.cluster,
      metaAddresses(ctx, facts.profile).map((address) => metaHostOf(address, facts.profile)),
    );
  },
  async execute(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const expected = metaAddresses(ctx, facts.profile);
    const checked = await pollCheck<LockFacts>(ctx, {
      ...START_CHECK,
      sessions: [{ session: await session(ctx, ctx.params.target), label: facts.targetLabel }],
      timeoutHint:
        'Not every meta holds a lock node on the new ensemble: check that each was restarted with the new config and the flag reset, then retry this step.',
      async probe() {
        const read = await lockOn(ctx, ctx.params.target, facts.targetRoot, 'new');
        if (!read.ok) return { failed: read.failed };
        // The old ensemble may be gone (the usual reason for this route): then only the new one counts.
        const old = await readLockFacts(ctx, facts.sourceRef, facts.root);
        const waitingFor = lockMoveWaitingFor(expected, read.facts, old.ok ? old.facts : null);
        if (waitingFor === null) return { done: true, value: read.facts };
        return { done: false, waitingFor };
      },
    });
    if (!checked.ok) return checked.outcome;
    return {
      status: 'succeeded',
      summary: `Every meta runs on the new ensemble: ${describeHolders(checked.value)}`,
      result: { lock: checked.value as unknown as JsonObject },
    };
  },
};
