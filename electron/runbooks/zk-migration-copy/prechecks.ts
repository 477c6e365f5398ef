/**
 * zk-migration-copy's prechecks. They only read, so the runner runs them as one batch and the
 * operator sees every problem at once: the source ensemble answers, the cluster root is there and
 * loadable, a meta leader holds the lock (and who the followers are), the target answers and is
 * separate from the source, may be written to, and its root is empty (or accepted as it is); and a
 * warning when the source connection is read-only, since the last step deletes the old tree.
 */
import { detectClusterRoots, validateClusterRoot } from '../../pegasus/cluster-detection';
import type { StepDefinition } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { readMetaCluster } from '../pegasus-steps/meta-http-step';
import { describeHolders, readLockFacts } from '../pegasus-steps/meta-lock-step';
import { endpointsOverlap } from '../subtree-migration/endpoint-overlap';
import type { ZkMigrationCopyParams } from './params';
import { clusterFacts, STEP, targetOf } from './run-facts';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<ZkMigrationCopyParams>;

const RETRY = 'Check the address, the network or SSH tunnel, and the credential, then retry this step.';

export const precheckSource: Step = {
  id: 'precheck-source',
  kind: 'precheck',
  severity: 'block',
  title: 'Source ensemble reachable',
  why:
    "The cluster's metadata is read from the ZooKeeper connection of its profile: it must answer before " +
    'anything is stopped, or the migration would start on an ensemble it cannot copy from.',
  async execute(ctx) {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    try {
      const session = await ctx.services.zk(lookup.connectionRef);
      const stat = await session.exists('/');
      return {
        status: 'succeeded',
        summary: `${lookup.connection.label} answers (the root has ${countOf(stat?.numChildren ?? 0, 'child', 'children')})`,
        result: { profile: lookup.profile.name, source: lookup.connection.label },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot reach the source ensemble ${lookup.connection.label}: ${messageOf(error)}`,
        hint: RETRY,
      };
    }
  },
};

export const precheckClusterRoot: Step = {
  id: STEP.clusterRoot,
  kind: 'precheck',
  severity: 'block',
  title: 'Cluster root found',
  why:
    'The copy takes the whole cluster root (apps, duplications, backup policies, bulk load, the lock dir). ' +
    "The profile's root is checked to really be a Pegasus root (an `apps` node with table JSON); without " +
    "one the ensemble is searched. A root whose `apps` holds 'lock' is mid-write: a meta would crash loading a copy of it.",
  async execute(ctx) {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const { profile } = lookup;
    try {
      const session = await ctx.services.zk(lookup.connectionRef);
      let root: string;
      let note = '';
      if (profile.clusterRoot) {
        const validation = await validateClusterRoot(session, profile.clusterRoot, { signal: ctx.signal });
        if (!validation.ok) {
          return {
            status: 'failed',
            summary: `${profile.clusterRoot} is not a Pegasus cluster root: ${validation.problems.join('; ')}`,
            hint:
              validation.suggestions.length > 0
                ? `Set the profile's cluster root to ${validation.suggestions.join(' or ')}, then retry.`
                : `Fix the cluster root in the profile '${profile.name}', then retry.`,
          };
        }
        root = validation.root.path;
        if (!validation.root.loadable) {
          return {
            status: 'failed',
            summary: `${root}/apps holds 'lock': the meta leader is in the middle of writing the tables (or was stopped during it)`,
            hint: 'Wait until it holds unlock (a meta leader finishes the write), then retry. A copy taken now would crash the meta that loads it.',
          };
        }
        note = `${validation.root.tableCount} tables (dropped ones included)`;
      } else {
        const found = await detectClusterRoots(session, { signal: ctx.signal });
        if (found.roots.length !== 1) {
          return {
            status: 'failed',
            summary:
              found.roots.length === 0
                ? `No Pegasus cluster root found on ${lookup.connection.label}${found.truncated ? ' (the search was cut short by its bounds)' : ''}`
                : `Several cluster roots on ${lookup.connection.label}: ${found.roots.map((r) => r.path).join(', ')}`,
            hint: `Set the cluster root in the profile '${profile.name}', then retry.`,
          };
        }
        root = found.roots[0]!.path;
        note = `found by searching, ${found.roots[0]!.tableCount} tables; the profile names no root`;
      }
      return {
        status: 'succeeded',
        summary: `${lookup.connection.label}${root} is a Pegasus cluster root (${note})`,
        result: { root },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read the cluster root on ${lookup.connection.label}: ${messageOf(error)}`,
        hint: RETRY,
      };
    }
  },
};

export const precheckMetaLock: Step = {
  id: STEP.metaLock,
  kind: 'precheck',
  severity: 'block',
  title: 'Meta leader and followers (the lock nodes)',
  why:
    'Each running meta server holds a lock node; the lowest sequence leads. The leader must be up (it ' +
    'holds the level that freezes the tree during the copy), and the followers are named so they can be ' +
    'stopped: a follower that takes over during the copy starts at its configured level, not blind, and ' +
    'writes to the old tree. Meta HTTP, where it answers, adds the current level.',
  async execute(ctx) {
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const read = await readLockFacts(ctx, facts.sourceRef, facts.root);
    if (!read.ok) {
      return {
        status: 'failed',
        summary: `Cannot read the meta lock under ${facts.root}: ${read.reason}`,
        hint: RETRY,
      };
    }
    const lock = read.facts;
    for (const warning of lock.warnings) ctx.log(`Lock: ${warning}`, 'stderr');
    if (!lock.leader) {
      return {
        status: 'failed',
        summary: `No meta server holds the lock under ${facts.root}${lock.lockDir ? ` (${lock.lockDir} is empty)` : ' (no lock dir)'}`,
        hint: 'The copy route needs the leader running (it holds the blind level during the copy). Start the metas, or use the meta-recovery runbook if they cannot run.',
      };
    }
    if (!lock.leader.address) {
      return {
        status: 'failed',
        summary: `The leader's lock node ${lock.leader.node} does not name its meta server`,
        hint: 'Check the lock dir by hand (Explorer); the commands need the leader host.',
      };
    }
    const result: JsonObject = {
      lock: lock as unknown as JsonObject,
      leader: lock.leader.address,
      followers: lock.holders.slice(1).map((holder) => holder.address ?? holder.node),
      level: null,
    };
    const notes: string[] = [];
    const unlisted = lock.holders
      .map((holder) => holder.address)
      .filter((address): address is string => address !== null)
      .filter(
        (address) => !facts.profile.metaServers.some((meta) => meta.toLowerCase() === address.toLowerCase()),
      );
    if (unlisted.length > 0) notes.push(`not in the profile's meta list: ${unlisted.join(', ')}`);
    const http = await readMetaCluster(ctx, facts.profile);
    if (http.ok) {
      result.level = http.value.metaFunctionLevel;
      result.zookeeperHosts = http.value.zookeeperHosts.join(',');
      notes.push(`level ${http.value.metaFunctionLevel ?? 'unknown'} over HTTP`);
      if (http.value.primaryMetaServer && http.value.primaryMetaServer !== lock.leader.address) {
        notes.push(`HTTP names ${http.value.primaryMetaServer} as the leader`);
      }
    } else {
      ctx.log(`Meta HTTP: ${http.reason}`);
    }
    return {
      status: 'succeeded',
      summary: `${describeHolders(lock)}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      result,
    };
  },
};

export const precheckTarget: Step = {
  id: 'precheck-target',
  kind: 'precheck',
  severity: 'block',
  title: 'Target ensemble reachable, separate from the source',
  why:
    'The new ensemble must answer before the followers are stopped, and the target root must not overlap ' +
    'the cluster root on the same ensemble: a copy into its own subtree would copy what it writes.',
  async execute(ctx) {
    const target = targetOf(ctx);
    if (!target.ok) return target.outcome;
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const source = ctx.services.connection(facts.sourceRef).endpoint(facts.root);
    const destination = target.connection.endpoint(facts.targetRoot);
    if (endpointsOverlap(source, destination)) {
      return {
        status: 'failed',
        summary: `The cluster root ${source.path} and the target root ${destination.path} overlap on the same ensemble`,
        hint: 'Choose the new ensemble as the target, or a target root outside the cluster root.',
      };
    }
    try {
      const session = await ctx.services.zk(ctx.params.target);
      await session.exists('/');
      return {
        status: 'succeeded',
        summary: `${target.connection.label} answers; the cluster goes to ${target.connection.label}${facts.targetRoot}`,
        result: { target: target.connection.label, targetRoot: facts.targetRoot },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot reach the target ${target.connection.label}: ${messageOf(error)}`,
        hint: RETRY,
      };
    }
  },
};

export const precheckTargetWritable: Step = {
  id: 'precheck-target-writable',
  kind: 'precheck',
  severity: 'block',
  title: 'Target connection is read-write',
  why:
    'Connections are read-only until the operator switches them: a migration must not be the way a ' +
    'read-only connection gets written to. Checked now rather than after the followers were stopped.',
  async execute(ctx) {
    const target = targetOf(ctx);
    if (!target.ok) return target.outcome;
    if (target.connection.readOnly) {
      return {
        status: 'failed',
        summary: `The target connection ${target.connection.label} is read-only`,
        hint: `Switch ${target.connection.label} to read-write (Connections, the lock switch; you type its name), then retry this step.`,
      };
    }
    return { status: 'succeeded', summary: `${target.connection.label} may be written to` };
  },
};

export const precheckTargetEmpty: Step = {
  id: 'precheck-target-empty',
  kind: 'precheck',
  severity: 'block',
  title: 'Target root empty (or accepted)',
  why:
    'Whatever is under the target root when the leader restarts there becomes the cluster: stray tables ' +
    'would load as tables. An empty or absent root means everything there afterwards came from this copy. ' +
    'A non-empty root is only taken when the run says so, and validation still requires an exact match.',
  async execute(ctx) {
    const target = targetOf(ctx);
    if (!target.ok) return target.outcome;
    const found = clusterFacts(ctx);
    if (!found.ok) return found.outcome;
    const path = found.facts.targetRoot;
    const label = `${target.connection.label}${path}`;
    try {
      const session = await ctx.services.zk(ctx.params.target);
      const stat = await session.exists(path);
      if (!stat)
        return {
          status: 'succeeded',
          summary: `${label} does not exist yet: the copy creates it`,
          result: { children: 0 },
        };
      if (stat.numChildren === 0)
        return { status: 'succeeded', summary: `${label} exists and is empty`, result: { children: 0 } };
      const children = (await session.getChildren(path)).children.sort();
      const shown = `${children.slice(0, 5).join(', ')}${children.length > 5 ? ', ...' : ''}`;
      if (ctx.params.acceptNonEmpty) {
        return {
          status: 'succeeded',
          summary: `${label} holds ${countOf(children.length, 'child', 'children')} (${shown}); accepted by the run's parameters: the plan shows what differs`,
          result: { children: children.length },
        };
      }
      return {
        status: 'failed',
        summary: `${label} is not empty (${countOf(children.length, 'child', 'children')}: ${shown})`,
        hint: 'Choose an empty or new target root, empty this one, or start a new run with "Accept a non-empty target root" (and mirror mode to make it equal).',
        result: { children: children.length },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read ${label}: ${messageOf(error)}`,
        hint: RETRY,
      };
    }
  },
};

export const precheckSourceWritable: Step = {
  id: 'precheck-source-writable',
  kind: 'precheck',
  severity: 'warn',
  title: 'Source connection can delete the old tree at the end',
  why:
    'The last step exports the old cluster root and deletes it, through the source connection. A read-only ' +
    'connection would stop the run there; switching it now saves a failure at the end (or skip that step).',
  async execute(ctx) {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    if (lookup.connection.readOnly) {
      return {
        status: 'failed',
        summary: `The source connection ${lookup.connection.label} is read-only: the final cleanup will be refused until it is switched to read-write`,
      };
    }
    return {
      status: 'succeeded',
      summary: `${lookup.connection.label} may be written to (for the final cleanup)`,
    };
  },
};
