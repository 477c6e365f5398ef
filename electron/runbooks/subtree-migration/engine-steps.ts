/**
 * subtree-migration's setup, migrate and validate steps (AtlasDB's model) over the copy engine:
 * plan (the dry run, one engine run the migrate step then executes from its checkpoints), the mirror
 * gate, migrate, and validate (compare; reconcile from the source up to the pass limit; compare).
 */
import { type CopyMode, type PlanReport, verifyDifferences } from '../../engines/zk-copy/types';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { copyParamsFor, runEngineToEnd, type SubtreeContext } from './engine-bridge';
import {
  compareAndReconcile,
  continuePlannedCopy,
  copiedOutcome,
  copyCountsOf,
  engineRunCompleted,
  planEngineCopy,
  type SideNames,
  sampleList,
  verifyResult,
  verifySummary,
} from './engine-outcomes';
import type { SubtreeMigrationParams } from './params';

type Step = StepDefinition<SubtreeMigrationParams>;

const number = new Intl.NumberFormat('en-US');

function planResult(ctx: SubtreeContext): { engineRunId: string } | undefined {
  const result = ctx.results.plan as { engineRunId?: unknown } | undefined;
  return typeof result?.engineRunId === 'string' ? { engineRunId: result.engineRunId } : undefined;
}

function mirrorConfirmed(ctx: SubtreeContext): boolean {
  return ctx.params.mode === 'mirror' && ctx.results['confirm-mirror']?.confirmed === true;
}

function planSummary(plan: PlanReport): string {
  return (
    `${number.format(plan.creates)} to create, ${number.format(plan.updates)} to update, ` +
    `${number.format(plan.deletes)} to delete, ${number.format(plan.unchanged)} unchanged ` +
    `(${number.format(plan.sourceNodes)} source nodes, ${number.format(plan.bytes)} data bytes)`
  );
}

const SIDES: SideNames = { source: 'the source', target: 'the target' };

export const planStep: Step = {
  id: 'plan',
  kind: 'action',
  title: 'Plan the copy (dry run)',
  why:
    'Counts what the copy will create, update and delete before anything is written, so the operator ' +
    'sees the size of the change (and, in mirror mode, what will be deleted) first. The plan also gives ' +
    'the copy its total, for an honest progress bar.',
  async execute(ctx) {
    const planned = await planEngineCopy(
      ctx,
      copyParamsFor(ctx),
      (id) =>
        `Engine run ${id}: planning ${ctx.params.mode} from ${ctx.params.sourcePath} to ${ctx.params.targetPath}${ctx.params.acl ? ' with ACLs' : ' without ACLs'}`,
    );
    if (!planned) {
      return { status: 'failed', summary: 'Stopped before the plan was finished' };
    }
    const report = planned.plan;
    const result: JsonObject = {
      engineRunId: planned.engineRunId,
      creates: report.creates,
      updates: report.updates,
      aclUpdates: report.aclUpdates,
      unchanged: report.unchanged,
      deletes: report.deletes,
      conflicts: report.conflicts,
      skippedEphemeral: report.skippedEphemeral,
      unreadable: report.unreadable,
      sourceNodes: report.sourceNodes,
      bytes: report.bytes,
      sequentialNames: report.warnings.sequentialNames,
      samples: report.samples,
    };
    const summary = planSummary(report);
    const warnings: string[] = [];
    if (report.unreadable > 0) {
      warnings.push(
        `${report.unreadable} source nodes cannot be read (ACL): they will not be copied, and validate will report them`,
      );
    }
    if (report.conflicts > 0) {
      warnings.push(
        `${report.conflicts} target nodes differ and ${ctx.params.mode} mode will not change them`,
      );
    }
    if (report.warnings.sequentialNames > 0) {
      warnings.push(
        `${report.warnings.sequentialNames} node names end in a sequence counter: the parent's counter is not copied, so new sequential nodes on the target may reuse numbers (e.g. ${report.warnings.sequentialSamples.slice(0, 3).join(', ')})`,
      );
    }
    if (warnings.length > 0)
      return { status: 'warning', summary: `${summary}. ${warnings.join('. ')}`, result };
    return { status: 'succeeded', summary, result };
  },
};

export const confirmMirrorStep: Step = {
  id: 'confirm-mirror',
  kind: 'gate',
  title: 'Confirm mirror mode',
  why:
    'Mirror mode deletes every node under the target path that the source lacks (the plan above counts ' +
    'them). Typing the target path back is the confirmation that this is the right target.',
  confirmText: (ctx) => ctx.params.targetPath,
  // The confirmation is the result the migrate step requires: a skipped gate never starts a mirror.
  async execute(ctx) {
    return {
      status: 'succeeded',
      summary: `Mirror mode confirmed for ${ctx.params.targetPath}`,
      result: { confirmed: true, targetPath: ctx.params.targetPath },
    };
  },
};

export const migrateStep: Step = {
  id: 'migrate',
  kind: 'action',
  title: 'Migrate (copy)',
  why:
    'Copies the subtree with the engine: multi batches sized under jute.maxbuffer, ACLs as chosen, ' +
    'unchanged nodes not rewritten. Its checkpoints are written with the batches they record, so a pause, ' +
    'a crash or a kill continues the same engine run where it stopped instead of starting over.',
  async postcondition(ctx) {
    return engineRunCompleted(ctx, planResult(ctx)?.engineRunId);
  },
  async execute(ctx) {
    const plan = planResult(ctx);
    if (!plan) {
      return {
        status: 'failed',
        summary: 'The plan step left no engine run to execute',
        hint: 'Abort this run and start a new one (the plan step must succeed first).',
      };
    }
    if (ctx.params.mode === 'mirror' && !mirrorConfirmed(ctx)) {
      return {
        status: 'failed',
        summary: 'Mirror mode was not confirmed (the confirmation step was skipped)',
        hint: 'Abort this run and start a new one, confirming mirror mode at its gate, or use create-only mode.',
      };
    }
    const id = plan.engineRunId;
    const copied = await continuePlannedCopy(ctx, id, mirrorConfirmed(ctx));
    if (!copied.ok) return copied.outcome;
    const { final } = copied;
    const counts = final.result?.copy?.counts;
    return copiedOutcome({
      engineRunId: id,
      ...copyCountsOf(counts, [
        'created',
        'updated',
        'deleted',
        'aclUpdated',
        'unchanged',
        'conflicts',
        'skippedEphemeral',
        'errors',
        'bytes',
      ]),
      seconds: final.result?.copy?.seconds ?? final.result?.seconds ?? 0,
    });
  },
};

export const validateStep: Step = {
  id: 'validate',
  kind: 'verify',
  title: 'Validate (compare, reconcile)',
  why:
    'Compares both trees node by node: paths, data bytes and (when copied) ACLs. What changed on the ' +
    'source during the copy is copied again from the source of truth, up to the pass limit, then compared ' +
    'again. In create-only mode these passes overwrite: the target path was empty at the precheck, so ' +
    'whatever differs there was written by this migration from an older source value. The migration is ' +
    'only done when nothing differs.',
  async execute(ctx): Promise<StepOutcome> {
    const reconcileMode: CopyMode = ctx.params.mode === 'mirror' ? 'mirror' : 'overwrite';
    const confirmed = mirrorConfirmed(ctx);
    ctx.log('Comparing source and target');
    const checked = await compareAndReconcile(ctx, {
      compare: () =>
        runEngineToEnd(
          ctx,
          'zk-diff',
          copyParamsFor(ctx, { mode: ctx.params.mode as CopyMode, verify: true }),
          confirmed,
        ),
      reconcile: () =>
        runEngineToEnd(
          ctx,
          'zk-copy',
          copyParamsFor(ctx, { mode: reconcileMode, verify: true, reconcilePasses: 0 }),
          confirmed,
        ),
      passLimit: ctx.params.passLimit,
      passLog: (pass, differences) =>
        `Reconcile pass ${pass} of ${ctx.params.passLimit}: ${differences} differences, copying them again from the source (${reconcileMode})`,
      stoppedDuring: (pass) => `Stopped during reconcile pass ${pass}`,
      sides: SIDES,
    });
    if (!checked.ok) return checked.outcome;
    const { report, engineRunIds } = checked;
    const passes = engineRunIds.length - 1;
    const differences = verifyDifferences(report.counts);
    const result = verifyResult(report, { passes, engineRunIds });
    if (differences === 0) {
      return {
        status: 'succeeded',
        summary: `Source and target match: ${verifySummary(report, SIDES)}${passes > 0 ? ` (after ${passes} reconcile pass${passes > 1 ? 'es' : ''})` : ''}`,
        result,
      };
    }
    const samples = sampleList(report);
    return {
      status: 'failed',
      summary: `${differences} differences remain after ${passes} reconcile pass${passes === 1 ? '' : 'es'}: ${verifySummary(report, SIDES)}${samples ? `. Samples: ${samples}` : ''}`,
      hint:
        report.counts.extraTarget > 0 && ctx.params.mode !== 'mirror'
          ? 'Nodes deleted on the source during the copy are still on the target: delete them, or stop the writers, then retry this step.'
          : 'Something may still be writing to the source or the target: stop it, then retry this step.',
      result,
    };
  },
};
