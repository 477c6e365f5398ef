/**
 * What zk-migration-recovery's steps read from the parameters and from earlier results: the profile,
 * the cluster root (old and new), the work directory on this machine, the metas found running at the
 * start, and the backup.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { StepContext, StepOutcome } from '../../runner/runbook-definition';
import { deploymentClusterName, lookUpProfile } from '../pegasus-steps/cluster-profile';
import { type TargetEnsemble, targetConnectionOf } from '../pegasus-steps/ensemble-config';
import { lockFactsFrom } from '../pegasus-steps/meta-lock-step';
import { backupFrom, type ClusterBackup } from './cluster-backup';
import type { ZkMigrationRecoveryParams } from './params';

export type RecoveryContext = StepContext<ZkMigrationRecoveryParams>;

type Failed = Extract<StepOutcome, { status: 'failed' }>;

export const STEP = {
  profile: 'precheck-profile',
  backup: 'backup',
  nodeList: 'recover-node-list',
  stopMetas: 'stop-metas',
  startOne: 'start-one-meta',
} as const;

export interface RecoveryFacts {
  profile: PegasusProfile;
  cluster: string;
  /** The saved connection of the old ensemble (it may not answer any more). */
  sourceRef: string;
  sourceLabel: string;
  root: string;
  targetRoot: string;
  targetLabel: string;
  ensemble: TargetEnsemble;
  workDir: string;
}

export function recoveryFacts(
  ctx: RecoveryContext,
): { ok: true; facts: RecoveryFacts } | { ok: false; outcome: Failed } {
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return lookup;
  const fromPrecheck = ctx.results[STEP.profile]?.root;
  const root =
    typeof fromPrecheck === 'string' && fromPrecheck !== '' ? fromPrecheck : lookup.profile.clusterRoot;
  if (!root) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: 'The cluster root is not known',
        hint: `Set the cluster root in the profile '${lookup.profile.name}' (cluster_info shows it as zookeeper_root), then retry.`,
      },
    };
  }
  const target = targetConnectionOf(ctx, ctx.params.target);
  if (!target.ok) return target;
  return {
    ok: true,
    facts: {
      profile: lookup.profile,
      cluster: deploymentClusterName(lookup.profile),
      sourceRef: lookup.connectionRef,
      sourceLabel: lookup.connection.label,
      root,
      targetRoot: ctx.params.targetRoot || root,
      targetLabel: target.connection.label,
      ensemble: target.ensemble,
      workDir: ctx.params.workDir || join(tmpdir(), `mdesk-zk-recovery-${ctx.runId.slice(0, 8)}`),
    },
  };
}

export function backupOf(ctx: RecoveryContext): ClusterBackup | null {
  return backupFrom(ctx.results[STEP.backup]?.backup);
}

/** The meta servers to stop and start again: those holding a lock at the start, else the profile's list. */
export function metaAddresses(ctx: RecoveryContext, profile: PegasusProfile): string[] {
  const lock = lockFactsFrom(ctx.results[STEP.profile]?.lock);
  const fromLock = (lock?.holders ?? [])
    .map((holder) => holder.address)
    .filter((a): a is string => a !== null);
  return fromLock.length > 0 ? fromLock : [...profile.metaServers];
}

/** Where `recover -f` reads the node list: written here when the shell runs here, else on the operator's shell host. */
export function nodeListPath(ctx: RecoveryContext, facts: RecoveryFacts): string {
  const written = ctx.results[STEP.nodeList]?.file;
  if (typeof written === 'string' && written !== '') return written;
  return ctx.services.pegasus.shell(facts.profile.id)
    ? join(facts.workDir, `${facts.cluster}.recover.nodes`)
    : `/tmp/${facts.cluster}.recover.nodes`;
}
