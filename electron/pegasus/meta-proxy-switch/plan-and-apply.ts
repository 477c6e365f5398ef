/**
 * Switch or roll back in one call, for callers that confirmed beforehand (a runbook step after its
 * gate): plan, record a refusal in the audit log, or apply. The CLI plans and applies separately so
 * it can show the plan and ask for --yes in between.
 */
import { type ApplyOptions, applyMetaProxyPlan, type MetaProxyWriteResult } from './apply-plan';
import type { MetaProxyZk } from './entry-snapshot';
import { type MetaProxyRollbackInput, planMetaProxyRollback } from './plan-rollback';
import { type MetaProxySwitchInput, planMetaProxySwitch } from './plan-switch';
import type { MetaProxyRefusal } from './refusal';
import { auditRefusal } from './write-audit';
import type { PlanOutcome } from './write-plan';

async function planThenApply(
  zk: MetaProxyZk,
  planned: Promise<PlanOutcome>,
  options: ApplyOptions,
): Promise<MetaProxyWriteResult | MetaProxyRefusal> {
  const plan = await planned;
  if (!plan.ok) {
    auditRefusal(options.audit, plan);
    return plan;
  }
  return applyMetaProxyPlan(zk, plan, options);
}

export function switchMetaProxyEntry(
  zk: MetaProxyZk,
  input: MetaProxySwitchInput,
  options: ApplyOptions,
): Promise<MetaProxyWriteResult | MetaProxyRefusal> {
  return planThenApply(zk, planMetaProxySwitch(zk, input), options);
}

export function rollbackMetaProxyEntry(
  zk: MetaProxyZk,
  input: MetaProxyRollbackInput,
  options: ApplyOptions,
): Promise<MetaProxyWriteResult | MetaProxyRefusal> {
  return planThenApply(zk, planMetaProxyRollback(zk, input), options);
}
