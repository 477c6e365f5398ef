/**
 * What zk-migration-copy's steps read from the parameters and from earlier steps' results: the
 * profile, the cluster root found by the precheck, the target root, the meta lock as it was at the
 * start (leader and followers), and the level the leader had before the migration.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import { normalizeMetaLevel, type MetaLevel } from '../../pegasus/shell-output/meta-level';
import type { StepContext, StepOutcome } from '../../runner/runbook-definition';
import type { RunConnection } from '../../runner/run-services';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { type TargetEnsemble, targetConnectionOf } from '../pegasus-steps/ensemble-config';
import { type LockFacts, lockFactsFrom } from '../pegasus-steps/meta-lock-step';
import type { ZkMigrationCopyParams } from './params';

export type CopyContext = StepContext<ZkMigrationCopyParams>;

type Failed = Extract<StepOutcome, { status: 'failed' }>;

/** Step ids later steps read results of. */
export const STEP = {
  clusterRoot: 'precheck-cluster-root',
  metaLock: 'precheck-meta-lock',
  setBlind: 'set-level-blind',
  mirrorGate: 'confirm-mirror',
  plan: 'copy-plan',
  cleanupGate: 'confirm-cleanup',
} as const;

export interface ClusterFacts {
  profile: PegasusProfile;
  /** The saved connection of the profile (the source ensemble). */
  sourceRef: string;
  sourceLabel: string;
  root: string;
  targetRoot: string;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The profile and both roots, or why a step cannot run yet. */
export function clusterFacts(
  ctx: CopyContext,
): { ok: true; facts: ClusterFacts } | { ok: false; outcome: Failed } {
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return lookup;
  const root = text(ctx.results[STEP.clusterRoot]?.root) ?? lookup.profile.clusterRoot;
  if (!root) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: 'The cluster root is not known yet (the precheck that finds it did not succeed)',
        hint: `Set the cluster root in the profile '${lookup.profile.name}', or fix what the cluster-root precheck reports, then retry.`,
      },
    };
  }
  return {
    ok: true,
    facts: {
      profile: lookup.profile,
      sourceRef: lookup.connectionRef,
      sourceLabel: lookup.connection.label,
      root,
      targetRoot: ctx.params.targetRoot || root,
    },
  };
}

/** The target connection and its hosts, or why it cannot be used (removed since the run was created). */
export function targetOf(
  ctx: CopyContext,
): { ok: true; connection: RunConnection; ensemble: TargetEnsemble } | { ok: false; outcome: Failed } {
  return targetConnectionOf(ctx, ctx.params.target);
}

/** The lock as the precheck found it: the leader first, then the followers. */
export function lockAtStart(ctx: CopyContext): LockFacts | null {
  return lockFactsFrom(ctx.results[STEP.metaLock]?.lock);
}

export function leaderOf(lock: LockFacts | null): string | null {
  return lock?.holders[0]?.address ?? null;
}

export function followersOf(lock: LockFacts | null): string[] {
  return (lock?.holders.slice(1) ?? []).map((holder) => holder.address ?? holder.node);
}

/** The level before the migration: what set-level read first, else what the precheck saw over HTTP. */
export function levelBefore(ctx: CopyContext): MetaLevel | null {
  const fromSet = text(ctx.results[STEP.setBlind]?.previousLevel);
  const fromPrecheck = text(ctx.results[STEP.metaLock]?.level);
  return normalizeMetaLevel(fromSet ?? fromPrecheck ?? '') ?? null;
}
