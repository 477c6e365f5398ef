/** Setting one table env through a profile's shell, audited (reference §1.9 lists the keys). */
import { setAppEnvsCommand } from '../../pegasus/commands';
import { parseSetAppEnvs } from '../../pegasus/shell-output';
import type { StepOutcome } from '../../runner/runbook-definition';
import { type AnyStepContext, lookUpProfile } from '../pegasus-steps/cluster-profile';
import { shellAction } from './shell-action';

export async function setTableEnv(
  ctx: AnyStepContext,
  profileRef: string,
  table: string,
  key: string,
  value: string,
  why: string,
): Promise<StepOutcome> {
  const lookup = lookUpProfile(ctx, profileRef);
  if (!lookup.ok) return lookup.outcome;
  const set = await shellAction(
    ctx,
    lookup.profile,
    setAppEnvsCommand(table, { [key]: value }),
    parseSetAppEnvs,
    {
      timeoutMs: 60_000,
    },
  );
  if (!set.ok) return set.outcome;
  ctx.services.store.events.append({
    actor: ctx.services.actor,
    action: 'pegasus.table-env-set',
    target: `${lookup.profile.name}/${table}`,
    detail: { runId: ctx.runId, key, value },
  });
  return {
    status: 'succeeded',
    summary: `${key}=${value} set on ${table} of '${lookup.profile.name}': ${why}`,
    result: { key, value },
  };
}
