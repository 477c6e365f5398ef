/**
 * The cluster profile a Pegasus runbook is run against: found by id, with the saved ZooKeeper
 * connection that holds its metadata. A step that cannot find either fails with what to fix, never
 * with an exception, so the operator sees it beside the step.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { RunConnection } from '../../runner/run-services';
import type { StepContext, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';

export type AnyStepContext = StepContext<JsonObject>;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type ProfileLookup =
  | { ok: true; profile: PegasusProfile; connection: RunConnection; connectionRef: string }
  | { ok: false; outcome: Extract<StepOutcome, { status: 'failed' }> };

/** A profile by id, or (as an operator types it in the CLI) by name, ignoring case. */
function findProfile(ctx: AnyStepContext, ref: string): PegasusProfile | undefined {
  const byId = ctx.services.pegasus.profile(ref);
  if (byId) return byId;
  const name = ref.trim().toLowerCase();
  return ctx.services.store.pegasusProfiles.list().find((profile) => profile.name.toLowerCase() === name);
}

/** The profile and its ZooKeeper connection, or the failed outcome that says which is missing. */
export function lookUpProfile(ctx: AnyStepContext, profileRef: string): ProfileLookup {
  const profile = findProfile(ctx, profileRef);
  if (!profile) {
    const names = ctx.services.store.pegasusProfiles.list().map((candidate) => candidate.name);
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `There is no cluster profile '${profileRef}' (by id or name)${names.length > 0 ? `; the profiles are: ${names.join(', ')}` : '; none is saved'}`,
        hint: 'Abort this run and start a new one for an existing cluster profile (Pegasus, cluster profiles).',
      },
    };
  }
  if (!profile.connectionId) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The cluster profile '${profile.name}' names no ZooKeeper connection`,
        hint: `Edit the profile '${profile.name}': choose the saved connection that holds the cluster's metadata, then retry this step.`,
      },
    };
  }
  try {
    return {
      ok: true,
      profile,
      connection: ctx.services.connection(profile.connectionId),
      connectionRef: profile.connectionId,
    };
  } catch (error) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The ZooKeeper connection of the cluster profile '${profile.name}' cannot be used: ${messageOf(error)}`,
        hint: `Edit the profile '${profile.name}' to name an existing saved connection, then retry this step.`,
      },
    };
  }
}

/** The name deployment tools know the cluster by: the shell's [pegasus.clusters] name, else the profile's. */
export function deploymentClusterName(profile: PegasusProfile): string {
  const fromShell = profile.tools.shell?.clusterName;
  const name = fromShell && fromShell !== 'unknown' ? fromShell : profile.name;
  return name.replace(/\s+/g, '-');
}
