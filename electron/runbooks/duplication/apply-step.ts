/**
 * The duplication action itself, through the shell, with its audit event. Before sending it the state
 * is read again from ZooKeeper: a retry after the action landed (or a status someone changed since
 * the precheck) is recognised instead of being sent into a refusal.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { addDupCommand, changeDupCommand, setDupFailModeCommand } from '../../pegasus/commands';
import { checkDuplicationAction, FAIL_MODE_OF } from '../../pegasus/duplication-rules';
import { parseAddDup, parseDupChange } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { shellAction } from '../table-steps/shell-action';
import { loadSourceTable } from '../table-steps/source-table';
import type { DuplicationParams } from './params';
import { DUP_STEP, ruleAction } from './prechecks';

type Step = StepDefinition<DuplicationParams>;

export function actionCommand(params: DuplicationParams): GeneratedCommand {
  switch (params.action) {
    case 'add':
      return addDupCommand({
        table: params.table,
        remoteCluster: params.remoteCluster,
        checkpoint: params.checkpoint,
      });
    case 'pause':
    case 'start':
    case 'remove':
      return changeDupCommand(params.action, params.table, params.dupid);
    case 'set-fail-mode':
      return setDupFailModeCommand(params.table, params.dupid, params.failMode);
    case 'list':
      throw new Error('list sends no change');
  }
}

function audit(
  ctx: Parameters<NonNullable<Step['execute']>>[0],
  profileName: string,
  detail: Record<string, unknown>,
) {
  ctx.services.store.events.append({
    actor: ctx.services.actor,
    action: `pegasus.dup-${ctx.params.action}`,
    target: `${profileName}/${ctx.params.table}`,
    detail: { runId: ctx.runId, ...detail },
  });
}

export const applyActionStep: Step = {
  id: DUP_STEP.apply,
  kind: 'action',
  title: 'Send the duplication command',
  why: 'The change itself, through the shell of the source cluster; what the meta answered is in the log and the audit.',
  commands: (ctx) => [actionCommand(ctx.params)],
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const { params } = ctx;
    const command = actionCommand(params);
    if (params.action === 'add') {
      const added = await shellAction(ctx, lookup.profile, command, parseAddDup, { timeoutMs: 120_000 });
      if (!added.ok) return added.outcome;
      audit(ctx, lookup.profile.name, {
        dupid: added.value.dupid,
        remote: params.remoteCluster,
        checkpoint: params.checkpoint,
      });
      return {
        status: 'succeeded',
        summary: `Duplication ${added.value.dupid} of ${params.table} to ${params.remoteCluster} added (${params.checkpoint ? 'checkpoint first: DS_PREPARE, DS_APP, then DS_LOG' : 'new writes only: DS_LOG'})`,
        result: { dupid: added.value.dupid, warnings: added.value.warnings },
      };
    }
    // The state now, not at the precheck: someone may have acted meanwhile, or this is a retry.
    const found = await loadSourceTable(ctx, params.profile, params.table);
    if (!found.ok) return found.outcome;
    const dup = found.value.table.duplications.find((candidate) => candidate.dupid === params.dupid);
    const action = ruleAction(params.action)!;
    if (!dup && params.action === 'remove') {
      return { status: 'succeeded', summary: `Duplication ${params.dupid} is gone from ZooKeeper: removed` };
    }
    if (dup) {
      const expected = (ctx.results[DUP_STEP.table] as { expectedStatus?: string } | undefined)
        ?.expectedStatus;
      const landed =
        params.action === 'set-fail-mode'
          ? dup.failMode === FAIL_MODE_OF[params.failMode]
          : expected !== undefined && dup.status === expected;
      if (landed && ctx.step.attempt > 1) {
        return {
          status: 'succeeded',
          summary: `Duplication ${dup.dupid} is ${dup.statusRaw} (${dup.failMode}) already: the earlier attempt landed`,
        };
      }
      const verdict = checkDuplicationAction(dup, action, { failMode: params.failMode });
      if (!verdict.allowed) return { status: 'failed', summary: verdict.reason, hint: verdict.hint };
    }
    const changed = await shellAction(ctx, lookup.profile, command, parseDupChange, { timeoutMs: 120_000 });
    if (!changed.ok) {
      if (changed.outcome.status === 'failed' && /ERR_INVALID_STATE/.test(changed.outcome.summary)) {
        changed.outcome.hint = `The meta refused it in the duplication's current state (pause needs DS_LOG, start needs DS_PAUSE): run the list action to see the status now.`;
      }
      return changed.outcome;
    }
    audit(ctx, lookup.profile.name, {
      dupid: params.dupid,
      ...(params.action === 'set-fail-mode' ? { failMode: params.failMode } : {}),
      before: dup ? { status: dup.statusRaw, failMode: dup.failMode } : null,
    });
    return {
      status: 'succeeded',
      summary:
        params.action === 'set-fail-mode'
          ? `Duplication ${params.dupid} of ${params.table} now ${params.failMode === 'skip' ? 'skips failed mutations (FAIL_SKIP: they are lost on the follower)' : 'retries failed mutations (FAIL_SLOW)'}`
          : `Duplication ${params.dupid} of ${params.table}: ${params.action} accepted by the meta server`,
      result: { dupid: params.dupid, operation: changed.value.operation },
    };
  },
};
