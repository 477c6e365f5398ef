/**
 * subtree-migration's setup, migrate and validate steps (AtlasDB's model) over the copy engine:
 * plan (the dry run, one engine run the migrate step then executes from its checkpoints), the mirror
 * gate, migrate, and validate (compare; reconcile from the source up to the pass limit; compare).
 */
import {
  type CopyMode,
  type PlanReport,
  type RunView as EngineRunView,
  type VerifyReport,
  verifyDifferences,
} from '../../engines/zk-copy/types';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import {
  type SubtreeContext,
  continueEngineCopy,
  copyParamsFor,
  engineError,
  followEngineRun,
} from './engine-bridge';
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

function verifyResult(report: VerifyReport, extra: JsonObject = {}): JsonObject {
  return {
    ...report.counts,
    differences: verifyDifferences(report.counts),
    checkedAt: report.checkedAt,
    samples: report.samples,
    ...extra,
  };
}

function verifySummary(report: VerifyReport): string {
  const c = report.counts;
  return (
    `${number.format(c.compared)} compared: ${number.format(c.matching)} matching, ${c.mismatched} data mismatched, ` +
    `${c.aclMismatched} ACL mismatched, ${c.extraSource} only on the source, ${c.extraTarget} only on the target, ` +
    `${c.unreadable} unreadable`
  );
}

export const planStep: Step = {
  id: 'plan',
  kind: 'action',
  title: 'Plan the copy (dry run)',
  why:
    'Counts what the copy will create, update and delete before anything is written, so the operator ' +
    'sees the size of the change (and, in mirror mode, what will be deleted) first. The plan also gives ' +
    'the copy its total, for an honest progress bar.',
  async execute(ctx) {
    const engine = ctx.services.copyEngine;
    const view = engine.create('zk-copy', copyParamsFor(ctx));
    ctx.log(
      `Engine run ${view.id}: planning ${ctx.params.mode} from ${ctx.params.sourcePath} to ${ctx.params.targetPath}${ctx.params.acl ? ' with ACLs' : ' without ACLs'}`,
    );
    let plan: PlanReport | null = null;
    const planned = followEngineRun(
      ctx,
      view.id,
      async () => {
        plan = await engine.plan(view.id);
        return engine.get(view.id);
      },
      { onStop: 'cancel' },
    );
    const final = await planned;
    if (!final || !plan) {
      return { status: 'failed', summary: 'Stopped before the plan was finished' };
    }
    const report = plan as PlanReport;
    const result: JsonObject = {
      engineRunId: view.id,
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
    const plan = planResult(ctx);
    if (!plan) return 'not-done';
    try {
      return ctx.services.copyEngine.get(plan.engineRunId).state === 'completed' ? 'done' : 'not-done';
    } catch {
      return 'not-done';
    }
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
    const engine = ctx.services.copyEngine;
    const id = plan.engineRunId;
    const view = engine.get(id);
    if (view.state === 'cancelled') {
      return {
        status: 'failed',
        summary: `The engine run ${id.slice(0, 8)} was cancelled`,
        hint: 'Abort this run and start a new one.',
      };
    }
    const final = await continueEngineCopy(ctx, view, mirrorConfirmed(ctx));
    if (!final) return { status: 'failed', summary: 'Stopped; the engine run is paused at its checkpoint' };
    if (final.state !== 'completed') return { status: 'failed', ...engineError(final) };
    const counts = final.result?.copy?.counts;
    const result: JsonObject = {
      engineRunId: id,
      created: counts?.created ?? 0,
      updated: counts?.updated ?? 0,
      deleted: counts?.deleted ?? 0,
      aclUpdated: counts?.aclUpdated ?? 0,
      unchanged: counts?.unchanged ?? 0,
      conflicts: counts?.conflicts ?? 0,
      skippedEphemeral: counts?.skippedEphemeral ?? 0,
      errors: counts?.errors ?? 0,
      bytes: counts?.bytes ?? 0,
      seconds: final.result?.copy?.seconds ?? final.result?.seconds ?? 0,
    };
    const summary =
      `Copied: ${number.format(Number(result.created))} created, ${number.format(Number(result.updated))} updated, ` +
      `${number.format(Number(result.deleted))} deleted, ${number.format(Number(result.unchanged))} unchanged, ` +
      `${number.format(Number(result.bytes))} bytes`;
    if (Number(result.errors) > 0) {
      return {
        status: 'failed',
        summary: `${summary}; ${result.errors} nodes failed`,
        hint: 'See the engine run report for the paths; fix the cause and retry (the copy continues).',
        result,
      };
    }
    return { status: 'succeeded', summary, result };
  },
};

/** Runs one engine run of `kind` to its end; null when the step was stopped. */
async function runToEnd(
  ctx: SubtreeContext,
  kind: 'zk-diff' | 'zk-copy',
  overrides: Parameters<typeof copyParamsFor>[1],
): Promise<EngineRunView | null> {
  const engine = ctx.services.copyEngine;
  const view = engine.create(kind, copyParamsFor(ctx, overrides));
  return followEngineRun(
    ctx,
    view.id,
    () => engine.start(view.id, { mirrorConfirmed: mirrorConfirmed(ctx) }),
    {
      onStop: 'cancel',
    },
  );
}

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
    const engineRunIds: string[] = [];
    ctx.log('Comparing source and target');
    const first = await runToEnd(ctx, 'zk-diff', { mode: ctx.params.mode as CopyMode, verify: true });
    if (!first) return { status: 'failed', summary: 'Stopped before the comparison finished' };
    engineRunIds.push(first.id);
    if (first.state !== 'completed' || !first.result?.verify)
      return { status: 'failed', ...engineError(first) };
    let report = first.result.verify;
    ctx.log(verifySummary(report));
    for (let pass = 1; pass <= ctx.params.passLimit && verifyDifferences(report.counts) > 0; pass += 1) {
      ctx.log(
        `Reconcile pass ${pass} of ${ctx.params.passLimit}: ${verifyDifferences(report.counts)} differences, copying them again from the source (${reconcileMode})`,
      );
      const fix = await runToEnd(ctx, 'zk-copy', { mode: reconcileMode, verify: true, reconcilePasses: 0 });
      if (!fix) return { status: 'failed', summary: `Stopped during reconcile pass ${pass}` };
      engineRunIds.push(fix.id);
      if (fix.state !== 'completed' || !fix.result?.verify) return { status: 'failed', ...engineError(fix) };
      report = fix.result.verify;
      ctx.log(verifySummary(report));
    }
    const passes = engineRunIds.length - 1;
    const differences = verifyDifferences(report.counts);
    const result = verifyResult(report, { passes, engineRunIds });
    if (differences === 0) {
      return {
        status: 'succeeded',
        summary: `Source and target match: ${verifySummary(report)}${passes > 0 ? ` (after ${passes} reconcile pass${passes > 1 ? 'es' : ''})` : ''}`,
        result,
      };
    }
    const samples = Object.entries(report.samples)
      .filter(([, paths]) => paths.length > 0)
      .map(([category, paths]) => `${category}: ${paths.slice(0, 5).join(', ')}`)
      .join('; ');
    return {
      status: 'failed',
      summary: `${differences} differences remain after ${passes} reconcile pass${passes === 1 ? '' : 'es'}: ${verifySummary(report)}${samples ? `. Samples: ${samples}` : ''}`,
      hint:
        report.counts.extraTarget > 0 && ctx.params.mode !== 'mirror'
          ? 'Nodes deleted on the source during the copy are still on the target: delete them, or stop the writers, then retry this step.'
          : 'Something may still be writing to the source or the target: stop it, then retry this step.',
      result,
    };
  },
};
