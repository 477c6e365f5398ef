/**
 * zk-migration-recovery's prechecks: first the warning of what a meta recovery loses (counted in
 * the old tree when it still answers) with the copy route offered instead; then the profile (meta
 * servers, cluster root, which metas run now), and the new ensemble, whose cluster root must not
 * hold an `apps` node: a meta in recovery mode that finds one crashes (reference §8).
 */
import { joinZkPath } from '../../../shared/zk-path';
import { BoundedReads } from '../../pegasus/bounded-reads';
import type { StepDefinition } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { describeHolders, readLockFacts } from '../pegasus-steps/meta-lock-step';
import type { ZkMigrationRecoveryParams } from './params';
import { type RecoveryContext, recoveryFacts, STEP } from './run-facts';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<ZkMigrationRecoveryParams>;

export interface LostState {
  duplications: number;
  duplicatedTables: number;
  backupPolicies: number;
  bulkLoads: number;
  rangerPolicies: boolean;
}

/** What a recovery would not bring back, counted in the old tree. */
export async function countLostState(ctx: RecoveryContext, ref: string, root: string): Promise<LostState> {
  const session = await ctx.services.zk(ref);
  const reads = new BoundedReads(session, 16, ctx.signal);
  const children = async (path: string): Promise<string[]> => {
    const listed = await reads.getChildren(path);
    return listed.kind === 'ok' ? listed.value : [];
  };
  const apps = (await children(joinZkPath(root, 'apps'))).filter((name) => /^\d+$/.test(name));
  const perApp = await Promise.all(
    apps.map(async (app) => {
      const appPath = joinZkPath(joinZkPath(root, 'apps'), app);
      if (!(await children(appPath)).includes('duplication')) return 0;
      return (await children(joinZkPath(appPath, 'duplication'))).length;
    }),
  );
  const rootChildren = await children(root);
  return {
    duplications: perApp.reduce((sum, count) => sum + count, 0),
    duplicatedTables: perApp.filter((count) => count > 0).length,
    backupPolicies: (await children(joinZkPath(root, 'backup'))).length,
    bulkLoads: (await children(joinZkPath(root, 'bulk_load'))).length,
    rangerPolicies: rootChildren.includes('ranger_policy_meta_root'),
  };
}

export const warnNotRecoveredStep: Step = {
  id: 'warn-not-recovered',
  kind: 'precheck',
  severity: 'warn',
  title: 'What a meta recovery does not bring back',
  why:
    'A meta recovery rebuilds only the tables (<root>/apps) from what the replica servers report. ' +
    'Duplications, backup policies and their history, bulk-load state, Ranger policies and the meta level ' +
    'are not recovered: they must be set up again afterwards. The zk-migration-copy runbook keeps all of ' +
    'it; choose it whenever the old ensemble still answers.',
  async execute(ctx) {
    const base =
      'duplications, backup policies and their history, bulk-load state, Ranger policies and the meta level are NOT recovered';
    const alternative =
      'The zk-migration-copy runbook keeps everything: use it instead while the old ensemble answers';
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    const root = lookup.ok ? lookup.profile.clusterRoot : null;
    if (!lookup.ok || !root) {
      return {
        status: 'warning',
        summary: `A meta recovery rebuilds only the tables: ${base}. ${alternative}.`,
      };
    }
    try {
      const lost = await countLostState(ctx, lookup.connectionRef, root);
      const found = [
        `${countOf(lost.duplications, 'duplication')} on ${countOf(lost.duplicatedTables, 'table')}`,
        countOf(lost.backupPolicies, 'backup policy', 'backup policies'),
        `${countOf(lost.bulkLoads, 'bulk load')} in progress`,
        ...(lost.rangerPolicies ? ['the Ranger policies'] : []),
      ];
      return {
        status: 'warning',
        summary: `A meta recovery rebuilds only the tables: ${base}. The old tree has ${found.join(', ')}, which would be lost. ${alternative}.`,
        result: { ...lost },
      };
    } catch (error) {
      return {
        status: 'warning',
        summary: `A meta recovery rebuilds only the tables: ${base}. The old tree could not be read to count them (${messageOf(error)}): if the old ensemble is lost, this is the route left.`,
      };
    }
  },
};

export const precheckProfileStep: Step = {
  id: STEP.profile,
  kind: 'precheck',
  severity: 'block',
  title: 'Cluster profile: meta servers and cluster root',
  why:
    'Every command of the recovery names the meta servers (to stop and start them, for the shell) and the ' +
    'cluster root. Where the old ensemble still answers, the lock nodes say which metas run now: those are ' +
    'the ones to stop, and to see again on the new ensemble at the end.',
  async execute(ctx) {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const { profile } = lookup;
    if (profile.metaServers.length === 0) {
      return {
        status: 'failed',
        summary: `The cluster profile '${profile.name}' lists no meta servers`,
        hint: `Add the meta servers (host:port) to the profile '${profile.name}', then retry.`,
      };
    }
    if (!profile.clusterRoot) {
      return {
        status: 'failed',
        summary: `The cluster profile '${profile.name}' names no cluster root`,
        hint: 'Set it (cluster_info shows it as zookeeper_root), then retry.',
      };
    }
    const result: JsonObject = { root: profile.clusterRoot, metaServers: profile.metaServers };
    const lock = await readLockFacts(ctx, lookup.connectionRef, profile.clusterRoot);
    let note: string;
    if (lock.ok) {
      result.lock = lock.facts as unknown as JsonObject;
      note = `running now (lock nodes): ${describeHolders(lock.facts)}`;
    } else {
      note = `the old ensemble does not answer (${lock.reason}): the profile's meta list is used`;
      ctx.log(`Old ensemble: ${lock.reason}`);
    }
    return {
      status: 'succeeded',
      summary: `${countOf(profile.metaServers.length, 'meta server')} in the profile, cluster root ${profile.clusterRoot}; ${note}`,
      result,
    };
  },
};

export const precheckTargetStep: Step = {
  id: 'precheck-target',
  kind: 'precheck',
  severity: 'block',
  title: 'New ensemble reachable, its cluster root free',
  why:
    'The meta started in recovery mode rebuilds <root>/apps on the new ensemble. If it finds an apps node ' +
    'there it crashes ("find apps from remote storage, but recover_from_replica_server = true"), so the new ' +
    'root must not have one; and it must not be the old tree itself.',
  async execute(ctx) {
    const found = recoveryFacts(ctx);
    if (!found.ok) return found.outcome;
    const { facts } = found;
    const source = ctx.services.connection(facts.sourceRef).endpoint(facts.root);
    const target = ctx.services.connection(ctx.params.target).endpoint(facts.targetRoot);
    if (source.connectString === target.connectString && source.path === target.path) {
      return {
        status: 'failed',
        summary: `The new cluster root ${facts.targetLabel}${facts.targetRoot} is the old one`,
        hint: 'Choose the new ensemble (or another root) as the target.',
      };
    }
    const apps = joinZkPath(facts.targetRoot, 'apps');
    try {
      const session = await ctx.services.zk(ctx.params.target);
      const stat = await session.exists(apps);
      if (stat) {
        return {
          status: 'failed',
          summary: `${facts.targetLabel}${apps} exists (${stat.numChildren} tables): a meta in recovery mode would crash on it`,
          hint: 'Choose an empty root, or remove that tree (after checking it is not in use), then retry.',
        };
      }
      return {
        status: 'succeeded',
        summary: `${facts.targetLabel} answers; ${facts.targetRoot} has no apps node`,
        result: {
          target: facts.targetLabel,
          targetRoot: facts.targetRoot,
          hostsList: facts.ensemble.hostsList,
        },
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `Cannot read the new ensemble ${facts.targetLabel}: ${messageOf(error)}`,
        hint: 'Check the address, the network or SSH tunnel, and the credential, then retry this step.',
      };
    }
  },
};
