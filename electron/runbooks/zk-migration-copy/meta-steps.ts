/**
 * zk-migration-copy's steps around the meta servers (the website's zkcopy procedure, reference §4
 * (b)): stop the followers, freeze the leader at blind, and after the copy move the leader and then
 * the followers to the new ensemble, then give the leader its level back. Each manual step checks
 * its own result through the lock nodes once the operator confirms it.
 */
import { getMetaLevelCommand, setMetaLevelCommand } from '../../pegasus/commands';
import type { MetaLevel } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { deploymentClusterName } from '../pegasus-steps/cluster-profile';
import { sameHosts } from '../pegasus-steps/ensemble-config';
import { readMetaCluster } from '../pegasus-steps/meta-http-step';
import { readMetaLevel, setMetaLevel } from '../pegasus-steps/meta-level-step';
import {
  describeHolders,
  holderAddresses,
  type LockFacts,
  lockMoveWaitingFor,
  lockOrFailed,
} from '../pegasus-steps/meta-lock-step';
import { metaHostOf, restartMetaCommand, stopMetaCommand } from '../pegasus-steps/meta-service-commands';
import { pollCheck } from '../pegasus-steps/poll-check';
import { manualShellOutcome } from '../pegasus-steps/shell-step';
import type { ZkMigrationCopyParams } from './params';
import {
  type ClusterFacts,
  type CopyContext,
  clusterFacts,
  followersOf,
  leaderOf,
  levelBefore,
  lockAtStart,
  STEP,
  targetOf,
} from './run-facts';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<ZkMigrationCopyParams>;
type Failed = Extract<StepOutcome, { status: 'failed' }>;

/** A stopped meta's lock node goes when its session ends: at once on a clean stop, else after the session timeout. */
const STOP_CHECK = { intervalMs: 1000, timeoutMs: 120_000 };
/** A restarted meta loads the whole tree before it takes the lock. */
const START_CHECK = { intervalMs: 1000, timeoutMs: 180_000 };

function same(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
}

function lockOn(ctx: CopyContext, ref: string, root: string, where: string) {
  return lockOrFailed(ctx, ref, root, (reason) => ({
    summary: `Cannot read the meta lock on the ${where} ensemble: ${reason}`,
    hint: 'Check the connection (network, SSH tunnel), then retry this step (confirm again; the check runs again).',
  }));
}

async function sessionsFor(ctx: CopyContext, refs: { ref: string; label: string }[]) {
  return Promise.all(
    refs.map(async ({ ref, label }) => ({ session: await ctx.services.zk(ref).catch(() => null), label })),
  );
}

/** The sessions a restart onto the new ensemble watches: the old ensemble's and the new one's. */
function sessionsOfBoth(ctx: CopyContext, facts: ClusterFacts, targetLabel: string) {
  return sessionsFor(ctx, [
    { ref: facts.sourceRef, label: facts.sourceLabel },
    { ref: ctx.params.target, label: targetLabel },
  ]);
}

/** Both ensembles' locks, read at once for a restart's probe; a read that fails ends the check. */
async function locksOnBoth(
  ctx: CopyContext,
  facts: ClusterFacts,
): Promise<{ ok: true; target: LockFacts; source: LockFacts } | { ok: false; failed: Failed }> {
  const [target, source] = await Promise.all([
    lockOn(ctx, ctx.params.target, facts.targetRoot, 'target'),
    lockOn(ctx, facts.sourceRef, facts.root, 'source'),
  ]);
  if (!target.ok) return target;
  if (!source.ok) return source;
  return { ok: true, target: target.facts, source: source.facts };
}

function factsWithLeader(
  ctx: CopyContext,
): { facts: ClusterFacts; lock: LockFacts; leader: string } | Failed {
  const found = clusterFacts(ctx);
  if (!found.ok) return found.outcome;
  const lock = lockAtStart(ctx);
  const leader = leaderOf(lock);
  if (!lock || !leader) {
    return {
      status: 'failed',
      summary: 'The meta lock precheck left no leader to work with',
      hint: 'Abort this run and start a new one (the prechecks must pass first).',
    };
  }
  return { facts: found.facts, lock, leader };
}

export const stopFollowersStep: Step = {
  id: 'stop-followers',
  kind: 'manual',
  title: 'Stop the follower meta servers',
  why:
    "The level set in the next step lives only in the leader's memory (it is not stored in ZooKeeper). " +
    'If the leader failed over during the copy, a follower would take the lock at its configured level ' +
    '(meta_function_level_on_start, steady by default), accept replica updates and write partition changes ' +
    'into the old tree, and the copy would miss them. With the followers stopped there is no one to take ' +
    'over. The check waits until only the ' +
    "leader's lock node is left: a stopped meta's node goes when its ZooKeeper session ends.",
  commands(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return [];
    const cluster = deploymentClusterName(found.facts.profile);
    return followersOf(lockAtStart(ctx)).map((address) =>
      stopMetaCommand(cluster, metaHostOf(address, found.facts.profile), 'follower'),
    );
  },
  async execute(ctx) {
    const known = factsWithLeader(ctx);
    if ('status' in known) return known;
    const { facts, lock } = known;
    const leaderNode = lock.holders[0]!.node;
    const sessions = await sessionsFor(ctx, [{ ref: facts.sourceRef, label: facts.sourceLabel }]);
    const checked = await pollCheck<LockFacts>(ctx, {
      ...STOP_CHECK,
      sessions,
      timeoutHint:
        'A follower still holds its lock node: it is still running, or its session has not expired yet ([zookeeper] timeout_ms). Stop it, then retry this step.',
      async probe() {
        const read = await lockOn(ctx, facts.sourceRef, facts.root, 'source');
        if (!read.ok) return { failed: read.failed };
        const now = read.facts;
        if (now.holders.length === 0) {
          return {
            failed: {
              status: 'failed',
              summary: 'No meta server holds the lock any more: the leader stopped too',
              hint: 'The copy route needs the leader running. Start it again (it comes up at its configured level), abort this run and start a new one.',
            },
          };
        }
        if (now.holders[0]!.node !== leaderNode) {
          return {
            failed: {
              status: 'failed',
              summary: `The leader changed: ${describeHolders(now)} (it was ${known.leader}, ${leaderNode})`,
              hint: 'A follower took over. Abort this run and start a new one: its prechecks name the new leader.',
            },
          };
        }
        if (now.holders.length === 1) return { done: true, value: now };
        return {
          done: false,
          waitingFor: `${countOf(now.holders.length - 1, 'follower lock node')} left: ${holderAddresses(now).slice(1).join(', ')}`,
        };
      },
    });
    if (!checked.ok) return checked.outcome;
    return {
      status: 'succeeded',
      summary: `Only the leader ${known.leader} holds the lock now`,
      result: { lock: checked.value as unknown as JsonObject },
    };
  },
};

const blindCommands = () => [getMetaLevelCommand(), setMetaLevelCommand('blind'), getMetaLevelCommand()];

export const setLevelBlindStep: Step = {
  id: STEP.setBlind,
  kind: 'action',
  title: 'Set the meta level to blind',
  why:
    'At blind the leader stops reacting to replica servers (no balancing, no primary changes), so the ' +
    'tree holds still while it is copied; DDL is still accepted at this level, so no table may be created ' +
    'or dropped until the migration is done. The level is read before (to restore it later) and after ' +
    "(the proof: 'control meta level ok' only says the request arrived).",
  async postcondition(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return 'not-done';
    const read = await readMetaLevel(ctx, found.facts.profile);
    return read.kind === 'level' && read.level === 'blind' ? 'done' : 'not-done';
  },
  async execute(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { profile } = found.facts;
    const set = await setMetaLevel(ctx, profile, 'blind', blindCommands());
    if (set.kind !== 'set') return set.outcome;
    // Retried after the level was already set: the level before is not 'blind', it is what the precheck saw.
    const previous: MetaLevel | null = set.before === 'blind' ? levelBefore(ctx) : set.before;
    const result: JsonObject = { previousLevel: previous, levelAfter: set.after, via: 'shell' };
    if (set.after !== 'blind') {
      return {
        status: 'failed',
        summary: `set_meta_level blind answered ok, but the leader still reports ${set.afterRaw}: it did not keep the level`,
        hint:
          'The meta that answered is not holding the level: it may not be the leader any more (check the lock nodes), or it refuses the level. ' +
          'Do not copy while it is not blind. Find the cause, then retry this step.',
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `The leader is at fl_blind (it was ${set.beforeRaw}${previous !== set.before ? `; restoring to ${previous ?? 'an unknown level'} later` : ''})`,
      result,
    };
  },
};

export const verifyLevelBlindStep: Step = {
  id: 'verify-level-blind',
  kind: 'verify',
  title: 'The leader is at blind',
  why:
    'Checked again right before the copy, through get_meta_level, or /meta/cluster when there is no shell: ' +
    'a failover since the last step would have reset the level, and a copy of a tree that still changes is ' +
    'not a copy.',
  async execute(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { profile } = found.facts;
    const read = await readMetaLevel(ctx, profile);
    if (read.kind === 'failed') return read.outcome;
    if (read.kind === 'unavailable') {
      return manualShellOutcome(profile, read.reason, [getMetaLevelCommand()]);
    }
    if (read.level !== 'blind') {
      return {
        status: 'failed',
        summary: `The leader reports ${read.raw || 'no level'} (through ${read.via}), not fl_blind`,
        hint:
          'It did not keep the level, or another meta leads now and started at its configured level. Check the lock nodes, ' +
          'set the level again (set_meta_level blind), then retry this step.',
        result: { level: read.raw, via: read.via },
      };
    }
    return {
      status: 'succeeded',
      summary: `The leader reports fl_blind (through ${read.via === 'shell' ? 'get_meta_level' : '/meta/cluster'})`,
      result: { level: 'blind', via: read.via },
    };
  },
};

export const restartLeaderStep: Step = {
  id: 'restart-leader',
  kind: 'manual',
  title: 'Restart the leader on the new ensemble',
  why:
    'The leader reads hosts_list only at start. Restarted, it takes the lock on the new ensemble, loads the ' +
    'copied tree and serves it; its old lock node goes with its old session. The check waits for both, and ' +
    "where meta HTTP answers, that /meta/cluster's zookeeper_hosts names the new ensemble. The followers stay " +
    'stopped until then: started earlier with the old config, one would lead the old tree.',
  commands(ctx) {
    const found = clusterFacts(ctx);
    const leader = leaderOf(lockAtStart(ctx));
    if (!found.ok || !leader) return [];
    return [
      restartMetaCommand(
        deploymentClusterName(found.facts.profile),
        metaHostOf(leader, found.facts.profile),
        'leader',
      ),
    ];
  },
  async execute(ctx) {
    const known = factsWithLeader(ctx);
    if ('status' in known) return known;
    const { facts, leader } = known;
    const target = targetOf(ctx);
    if (!target.ok) return target.outcome;
    const { ensemble } = target;
    const sessions = await sessionsOfBoth(ctx, facts, target.connection.label);
    const checked = await pollCheck<LockFacts>(ctx, {
      ...START_CHECK,
      sessions,
      timeoutHint:
        'The leader has not taken the lock on the new ensemble: check its log (hosts_list, cluster_root), that it was restarted with the new config, and that it can reach the new ensemble. Then retry this step.',
      async probe() {
        const locks = await locksOnBoth(ctx, facts);
        if (!locks.ok) return { failed: locks.failed };
        const onTarget = holderAddresses(locks.target).some((address) => same(address, leader));
        const left = locks.source.holders.length;
        if (onTarget && left === 0) return { done: true, value: locks.target };
        const waiting: string[] = [];
        if (!onTarget)
          waiting.push(
            `${leader} to take the lock on the new ensemble (there: ${describeHolders(locks.target)})`,
          );
        if (left > 0) waiting.push(`the old ensemble's lock nodes to go (${describeHolders(locks.source)})`);
        return { done: false, waitingFor: waiting.join('; ') };
      },
    });
    if (!checked.ok) return checked.outcome;
    const result: JsonObject = { lock: checked.value as unknown as JsonObject };
    const http = await readMetaCluster(ctx, facts.profile);
    if (http.ok) {
      result.zookeeperHosts = http.value.zookeeperHosts.join(',');
      result.httpServer = http.server;
      if (!sameHosts(http.value.zookeeperHosts, ensemble.hosts)) {
        return {
          status: 'failed',
          summary: `${http.server} answers /meta/cluster with zookeeper_hosts = ${http.value.zookeeperHosts.join(',') || '(none)'}, not the new ensemble ${ensemble.hostsList}`,
          hint: 'The meta that answers HTTP still uses the old ensemble: check which process it is and its config, restart it with the new hosts_list, then retry this step.',
          result,
        };
      }
      return {
        status: 'succeeded',
        summary: `${leader} holds the lock on the new ensemble and reports zookeeper_hosts = ${ensemble.hostsList}`,
        result,
      };
    }
    if (http.deadLeader) {
      return {
        status: 'failed',
        summary: `The lock moved, but meta HTTP is inconsistent: ${http.reason}`,
        hint: 'The followers should be stopped at this point: find the meta that answered with the redirect and stop it, wait until the restarted leader answers HTTP, then retry this step.',
        result,
      };
    }
    ctx.log(`Meta HTTP did not answer (${http.reason}); the lock node is the evidence.`);
    return {
      status: 'succeeded',
      summary: `${leader} holds the lock on the new ensemble (meta HTTP did not answer: zookeeper_hosts not checked)`,
      result,
    };
  },
};

export const restartFollowersStep: Step = {
  id: 'restart-followers',
  kind: 'manual',
  title: 'Start the followers on the new ensemble',
  why:
    'With the leader serving the new ensemble, the followers start with the same new hosts_list so a ' +
    'failover has somewhere to go again. The check waits until each holds a lock node on the new ensemble ' +
    'and none is left on the old one.',
  commands(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return [];
    const cluster = deploymentClusterName(found.facts.profile);
    return followersOf(lockAtStart(ctx)).map((address) =>
      restartMetaCommand(cluster, metaHostOf(address, found.facts.profile), 'follower'),
    );
  },
  async execute(ctx) {
    const known = factsWithLeader(ctx);
    if ('status' in known) return known;
    const { facts } = known;
    const followers = followersOf(known.lock);
    const target = targetOf(ctx);
    if (!target.ok) return target.outcome;
    const sessions = await sessionsOfBoth(ctx, facts, target.connection.label);
    const checked = await pollCheck<LockFacts>(ctx, {
      ...START_CHECK,
      sessions,
      timeoutHint:
        'A follower has not taken its lock node on the new ensemble: check that it was started with the new config and reaches the new ensemble, then retry this step.',
      async probe() {
        const locks = await locksOnBoth(ctx, facts);
        if (!locks.ok) return { failed: locks.failed };
        const waitingFor = lockMoveWaitingFor(followers, locks.target, locks.source);
        if (waitingFor === null) return { done: true, value: locks.target };
        return { done: false, waitingFor };
      },
    });
    if (!checked.ok) return checked.outcome;
    return {
      status: 'succeeded',
      summary:
        followers.length === 0
          ? 'There are no followers; the new ensemble has the leader only'
          : `The new ensemble has every meta: ${describeHolders(checked.value)}`,
      result: { lock: checked.value as unknown as JsonObject },
    };
  },
};

export const levelBackStep: Step = {
  id: 'level-back',
  kind: 'action',
  title: 'Give the leader its level back',
  why:
    'The leader came back at its configured meta_function_level_on_start (the level is not stored in ' +
    'ZooKeeper), which may not be the level it ran at before the migration (e.g. lively, with the balancer). ' +
    'This sets the level read before the migration and reads it back.',
  async postcondition(ctx) {
    const found = clusterFacts(ctx);
    const previous = levelBefore(ctx);
    if (!found.ok || !previous) return 'not-done';
    const read = await readMetaLevel(ctx, found.facts.profile);
    return read.kind === 'level' && read.level === previous ? 'done' : 'not-done';
  },
  async execute(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { profile } = found.facts;
    const previous = levelBefore(ctx);
    if (!previous) {
      return manualShellOutcome(
        profile,
        'The level before the migration is not known (it was set by hand and meta HTTP did not answer the precheck): set the level the cluster ran at (steady is the default meta_function_level_on_start)',
        [getMetaLevelCommand(), setMetaLevelCommand('steady'), getMetaLevelCommand()],
      );
    }
    const commands = [getMetaLevelCommand(), setMetaLevelCommand(previous), getMetaLevelCommand()];
    const current = await readMetaLevel(ctx, profile);
    if (current.kind === 'failed') return current.outcome;
    if (current.kind === 'level' && current.level === previous) {
      return {
        status: 'succeeded',
        summary: `The leader is already at fl_${previous} (the restart brought it back from its configuration)`,
        result: { level: previous },
      };
    }
    const set = await setMetaLevel(ctx, profile, previous, commands);
    if (set.kind !== 'set') return set.outcome;
    if (set.after !== previous) {
      return {
        status: 'failed',
        summary: `set_meta_level ${previous} answered ok, but the leader reports ${set.afterRaw}`,
        hint: 'Check which meta leads and its log, then retry this step.',
        result: { level: set.afterRaw },
      };
    }
    return {
      status: 'succeeded',
      summary: `The leader is back at fl_${previous} (it was ${set.beforeRaw})`,
      result: { level: previous },
    };
  },
};
