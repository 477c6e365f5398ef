/**
 * Verify by counts: count_data on the source and on the target (through the target profile's shell).
 * Equal counts are the check copy_data itself does not make; without a target shell, or when the copy
 * was filtered, the step shows the commands to run and compare by hand.
 */
import { countDataCommand } from '../../pegasus/commands';
import { parseCountData } from '../../pegasus/shell-output';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { shellAction } from '../table-steps/shell-action';
import { COPY_STEP, copiesASubset, targetTableOf } from './copy-options';
import type { TableCopyDataParams } from './params';

type Step = StepDefinition<TableCopyDataParams>;
type Ctx = StepContext<TableCopyDataParams>;

function countCommands(ctx: Ctx) {
  return [
    {
      ...countDataCommand({ table: ctx.params.table, precise: true }),
      label: `On the source: count ${ctx.params.table}`,
    },
    {
      ...countDataCommand({ table: targetTableOf(ctx.params), precise: true }),
      label: `On the target ${ctx.params.targetCluster}: count ${targetTableOf(ctx.params)}`,
    },
  ];
}

async function count(ctx: Ctx, profileRef: string, table: string) {
  const lookup = lookUpProfile(ctx, profileRef);
  if (!lookup.ok) return { ok: false as const, outcome: lookup.outcome as StepOutcome };
  const counted = await shellAction(
    ctx,
    lookup.profile,
    countDataCommand({ table, precise: true }),
    parseCountData,
    {
      timeoutMs: ctx.params.copyTimeoutMinutes * 60_000,
    },
  );
  if (!counted.ok) return { ok: false as const, outcome: counted.outcome as StepOutcome };
  if (counted.value.outcome !== 'done') {
    return {
      ok: false as const,
      outcome: {
        status: 'failed',
        summary: `count_data of ${table} on '${lookup.profile.name}' did not finish: ${counted.value.errors[0] ?? counted.value.terminationReason ?? 'stopped'}`,
        hint: 'Retry this step when the cluster is less busy.',
      } as StepOutcome,
    };
  }
  return { ok: true as const, rows: counted.value.totalRows ?? 0 };
}

export const verifyCountsStep: Step = {
  id: COPY_STEP.verify,
  kind: 'verify',
  title: 'Verify by row counts',
  why:
    'copy_data reports what it wrote, not what the target holds: counting both sides catches a copy that skipped ' +
    'rows, and rows the target held before (more rows on the target).',
  commands: countCommands,
  async execute(ctx): Promise<StepOutcome> {
    if (copiesASubset(ctx.params)) {
      return {
        status: 'manual',
        reason:
          'The copy was filtered (or one partition only): the counts of whole tables do not compare; count with the same filters by hand',
        commands: countCommands(ctx),
      };
    }
    if (ctx.params.targetProfile === '') {
      return {
        status: 'manual',
        reason: 'No target cluster profile is given: count the target by hand and compare',
        commands: countCommands(ctx),
      };
    }
    const source = await count(ctx, ctx.params.profile, ctx.params.table);
    if (!source.ok) return source.outcome;
    const target = await count(ctx, ctx.params.targetProfile, targetTableOf(ctx.params));
    if (!target.ok) return target.outcome;
    const copied = (ctx.results[COPY_STEP.copy] as { totalRows?: number } | undefined)?.totalRows ?? null;
    const result = { sourceRows: source.rows, targetRows: target.rows, copiedRows: copied };
    if (source.rows === target.rows) {
      return {
        status: 'succeeded',
        summary: `Both sides hold ${source.rows} rows${copied !== null ? ` (copy_data wrote ${copied})` : ''}`,
        result,
      };
    }
    return {
      status: 'warning',
      summary:
        target.rows < source.rows
          ? `The target holds ${target.rows} rows, the source ${source.rows}: ${source.rows - target.rows} missing (writes to the source during the copy, or a copy that skipped rows)`
          : `The target holds ${target.rows} rows, the source ${source.rows}: ${target.rows - source.rows} more (rows the target held before, or deleted on the source since)`,
      result,
    };
  },
};
