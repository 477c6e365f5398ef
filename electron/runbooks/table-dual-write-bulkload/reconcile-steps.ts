/**
 * After the bulk load: reconciliation passes the way the Pinterest migration ran them (compare both
 * sides, rewrite mismatches from the source of truth, repeat until the mismatch rate is negligible),
 * then sync double writes, the read flip, and the end of writes to the source.
 *
 * Each pass is entered by the operator in the step's note ("compared=N mismatched=N repaired=N",
 * from the reconciliation job) and kept as an audit event of the run, so every pass, not only the
 * last, is in the step result and the report.
 */
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { TableDualWriteParams } from './params';
import { DUAL_STEP, type DualContext, targetTableOf } from './run-facts';
import { countOf } from '../../../shared/plural';

type Step = StepDefinition<TableDualWriteParams>;

export interface ReconcilePass {
  pass: number;
  compared: number;
  mismatched: number;
  repaired: number;
  /** (compared - mismatched) / compared, in percent. */
  consistencyPercent: number;
}

const FIELD = (name: string) => new RegExp(`\\b${name}\\s*[=:]\\s*([\\d,_ ]*\\d)`, 'i');

/** "compared=1,000,000 mismatched=12 repaired=12" (any order; = or :). */
export function parsePass(note: string): { compared: number; mismatched: number; repaired: number } | string {
  const read = (name: string) => {
    const match = FIELD(name).exec(note);
    return match ? Number(match[1]!.replace(/[,_ ]/g, '')) : null;
  };
  const compared = read('compared');
  const mismatched = read('mismatched');
  const repaired = read('repaired');
  if (compared === null || mismatched === null || repaired === null) {
    return 'enter the pass in the note as: compared=<rows> mismatched=<rows> repaired=<rows>';
  }
  if (compared === 0) return 'compared is 0: a pass must compare rows';
  if (mismatched > compared) return `mismatched (${mismatched}) is more than compared (${compared})`;
  if (repaired > mismatched) return `repaired (${repaired}) is more than mismatched (${mismatched})`;
  return { compared, mismatched, repaired };
}

const PASS_ACTION = 'run.reconcile-pass';

function passesOf(ctx: DualContext): ReconcilePass[] {
  return ctx.services.store.events
    .list({ target: `run:${ctx.runId}`, actionPrefix: PASS_ACTION, limit: 1000 })
    .map((event) => {
      const detail = event.detail as unknown as ReconcilePass;
      return {
        pass: detail.pass,
        compared: detail.compared,
        mismatched: detail.mismatched,
        repaired: detail.repaired,
        consistencyPercent: detail.consistencyPercent,
      };
    })
    .sort((a, b) => a.pass - b.pass);
}

function percent(value: number): string {
  return `${value.toFixed(4).replace(/\.?0+$/, '')} %`;
}

export const reconcileStep: Step = {
  id: DUAL_STEP.reconcile,
  kind: 'manual',
  title: 'Reconcile: compare, repair, repeat',
  why:
    'Async double writes can fail and the backup races with them: compare every row of both tables, rewrite ' +
    'mismatches from the source, and repeat until the mismatch rate is under the threshold. Enter each pass in the note; ' +
    'a pass over the threshold fails this step: run another pass, retry the step and enter it.',
  commands: (ctx) => [
    {
      label: 'Enter each pass in the note (figures from the reconciliation job)',
      kind: 'config',
      text: 'compared=<rows> mismatched=<rows> repaired=<rows>',
    },
    {
      label: 'Threshold',
      kind: 'config',
      text: `at most ${ctx.params.maxMismatchPpm} mismatched rows per million compared (${percent(100 - ctx.params.maxMismatchPpm / 10_000)} consistent)`,
    },
  ],
  async execute(ctx): Promise<StepOutcome> {
    const figures = parsePass(ctx.operator?.note ?? '');
    if (typeof figures === 'string') {
      return {
        status: 'failed',
        summary: `The pass was not recorded: ${figures}`,
        hint: 'Retry this step and enter the figures in the note.',
      };
    }
    const previous = passesOf(ctx);
    const pass: ReconcilePass = {
      pass: previous.length + 1,
      ...figures,
      consistencyPercent: ((figures.compared - figures.mismatched) / figures.compared) * 100,
    };
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: PASS_ACTION,
      target: `run:${ctx.runId}`,
      detail: { ...pass, table: targetTableOf(ctx.params) },
    });
    const passes = [...previous, pass];
    for (const each of passes) {
      ctx.log(
        `pass ${each.pass}: compared ${each.compared}, mismatched ${each.mismatched}, repaired ${each.repaired}, ${percent(each.consistencyPercent)} consistent`,
      );
    }
    const result = {
      passes: passes as unknown as Record<string, unknown>[],
      thresholdPpm: ctx.params.maxMismatchPpm,
    };
    const ppm = (figures.mismatched / figures.compared) * 1_000_000;
    const line = `pass ${pass.pass}: ${figures.mismatched} of ${figures.compared} rows mismatched (${percent(pass.consistencyPercent)} consistent), ${figures.repaired} repaired`;
    if (ppm > ctx.params.maxMismatchPpm) {
      return {
        status: 'failed',
        summary: `${line}: over the threshold of ${ctx.params.maxMismatchPpm} per million`,
        hint: 'Run another reconciliation pass (repairs included), then retry this step and enter its figures.',
        result,
      };
    }
    if (figures.repaired < figures.mismatched) {
      return {
        status: 'warning',
        summary: `${line}: under the threshold, but ${figures.mismatched - figures.repaired} mismatches were not repaired`,
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `${line}: under the threshold after ${countOf(passes.length, 'pass', 'passes')}`,
      result,
    };
  },
};

export const syncWritesStep: Step = {
  id: DUAL_STEP.syncWrites,
  kind: 'manual',
  title: 'Application: synchronous double writes',
  why: 'Before reads move, a write must succeed on both sides or fail: the target then never falls behind again.',
  commands: () => [
    {
      label: 'Check before confirming',
      kind: 'config',
      text: 'every writer runs the synchronous double-write version\nwrite latency and error rate are acceptable with two synchronous writes',
    },
  ],
};

export const flipReadsStep: Step = {
  id: DUAL_STEP.flipReads,
  kind: 'gate',
  title: 'Go: flip reads to the target',
  why: 'Reads move to the target; writes still go to both, so the source stays a way back. Type the target table name.',
  confirmText: (ctx) => targetTableOf(ctx.params),
};

export const stopSourceStep: Step = {
  id: DUAL_STEP.stopSource,
  kind: 'manual',
  title: 'Stop writing to the source',
  why:
    'Once reads on the target have run without problems for the agreed time, the writes to the source stop. Until ' +
    'then keep them (async is enough) so reads can flip back.',
  commands: (ctx) => [
    {
      label: 'Check before confirming',
      kind: 'config',
      text: `reads of ${targetTableOf(ctx.params)} on the target healthy for the agreed time\nsource ${ctx.params.table}: write QPS at 0 after the change`,
    },
  ],
};
