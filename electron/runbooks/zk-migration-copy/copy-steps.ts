/**
 * zk-migration-copy's copy with the engine: the mirror gate (mirror mode only), the dry-run plan
 * (one engine run, whose id the copy step continues: a pause, a crash or a kill resumes it from its
 * checkpoints), the copy, and the validation (compare; copy again what differs, up to two passes;
 * compare). The leader is at blind and the followers are stopped, so the tree holds still: a
 * difference that stays means something still writes (a DDL, a meta on the old config).
 */
import {
  type CopyMode,
  type CopyParams,
  type PlanReport,
  type RunView as EngineRunView,
  type VerifyReport,
  verifyDifferences,
} from '../../engines/zk-copy/types';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import {
  continueEngineCopy,
  engineError,
  followEngineRun,
  type SubtreeContext,
} from '../subtree-migration/engine-bridge';
import type { ZkMigrationCopyParams } from './params';
import { type CopyContext, clusterFacts, STEP, targetOf } from './run-facts';

type Step = StepDefinition<ZkMigrationCopyParams>;

const number = new Intl.NumberFormat('en-US');
/** Passes of "copy the differences again" before validation gives up. */
const RECONCILE_PASSES = 2;

/**
 * The engine bridge of subtree-migration, shared: it reads only the step's signal, log, progress and
 * services, never the parameters, so any runbook's context serves.
 */
function bridge(ctx: CopyContext): SubtreeContext {
  return ctx as unknown as SubtreeContext;
}

function copyParams(ctx: CopyContext, overrides: Partial<CopyParams> = {}): CopyParams | StepOutcome {
  const found = clusterFacts(ctx);
  if (!found.ok) return found.outcome;
  const { facts } = found;
  const target = targetOf(ctx);
  if (!target.ok) return target.outcome;
  return {
    source: ctx.services.connection(facts.sourceRef).endpoint(facts.root),
    target: target.connection.endpoint(facts.targetRoot),
    mode: ctx.params.mode as CopyMode,
    copyAcl: true,
    include: [],
    exclude: [],
    reconcilePasses: 0,
    verify: false,
    ...overrides,
  };
}

function isOutcome(value: CopyParams | StepOutcome): value is StepOutcome {
  return 'status' in value;
}

function planEngineRunId(ctx: CopyContext): string | null {
  const id = ctx.results[STEP.plan]?.engineRunId;
  return typeof id === 'string' ? id : null;
}

function mirrorConfirmed(ctx: CopyContext): boolean {
  return ctx.params.mode === 'mirror' && ctx.results[STEP.mirrorGate]?.confirmed === true;
}

function planSummary(plan: PlanReport): string {
  return (
    `${number.format(plan.creates)} to create, ${number.format(plan.updates)} to update, ` +
    `${number.format(plan.deletes)} to delete, ${number.format(plan.unchanged)} unchanged, ` +
    `${number.format(plan.skippedEphemeral)} ephemeral skipped (${number.format(plan.sourceNodes)} source nodes, ${number.format(plan.bytes)} bytes)`
  );
}

function verifySummary(report: VerifyReport): string {
  const c = report.counts;
  return (
    `${number.format(c.compared)} compared: ${number.format(c.matching)} matching, ${c.mismatched} data mismatched, ` +
    `${c.aclMismatched} ACL mismatched, ${c.extraSource} only on the old ensemble, ${c.extraTarget} only on the new, ` +
    `${c.unreadable} unreadable`
  );
}

export const confirmMirrorStep: Step = {
  id: STEP.mirrorGate,
  kind: 'gate',
  title: 'Confirm mirror mode',
  why:
    'Mirror mode deletes every node under the target root that the cluster lacks. Typing the target root ' +
    'back confirms that this is the right place on the right ensemble.',
  confirmText(ctx) {
    const found = clusterFacts(ctx);
    return found.ok ? found.facts.targetRoot : ctx.params.targetRoot || '(the cluster root)';
  },
  async execute(ctx) {
    return {
      status: 'succeeded',
      summary: 'Mirror mode confirmed',
      result: { confirmed: true, targetRoot: ctx.operator?.confirmedText ?? null },
    };
  },
};

export const planStep: Step = {
  id: STEP.plan,
  kind: 'action',
  title: 'Plan the copy (dry run)',
  why:
    'Counts what the copy will create, overwrite and delete before anything is written, and gives the copy ' +
    'its total for an honest progress bar. The engine run it creates is the one the copy step executes, so ' +
    'a resumed run continues the same copy. Ephemeral nodes (the lock nodes) are not copied: they belong to live sessions.',
  // A plan only reads: after a restart it is simply made again.
  async postcondition() {
    return 'not-done';
  },
  async execute(ctx) {
    const params = copyParams(ctx);
    if (isOutcome(params)) return params;
    const engine = ctx.services.copyEngine;
    const view = engine.create('zk-copy', params);
    ctx.log(
      `Engine run ${view.id}: planning ${params.mode} copy ${params.source.path} -> ${params.target.path}`,
    );
    let plan: PlanReport | null = null;
    const final = await followEngineRun(
      bridge(ctx),
      view.id,
      async () => {
        plan = await engine.plan(view.id);
        return engine.get(view.id);
      },
      { onStop: 'cancel' },
    );
    if (!final || !plan) return { status: 'failed', summary: 'Stopped before the plan was finished' };
    const report = plan as PlanReport;
    const result: JsonObject = {
      engineRunId: view.id,
      creates: report.creates,
      updates: report.updates,
      deletes: report.deletes,
      unchanged: report.unchanged,
      conflicts: report.conflicts,
      skippedEphemeral: report.skippedEphemeral,
      unreadable: report.unreadable,
      sourceNodes: report.sourceNodes,
      bytes: report.bytes,
      samples: report.samples,
    };
    const warnings: string[] = [];
    if (report.unreadable > 0)
      warnings.push(
        `${report.unreadable} nodes cannot be read (ACL): they would be missing on the new ensemble`,
      );
    if (report.conflicts > 0)
      warnings.push(
        `${report.conflicts} target nodes differ and ${params.mode} mode will not change them: validation will fail on them`,
      );
    if (warnings.length > 0)
      return { status: 'warning', summary: `${planSummary(report)}. ${warnings.join('. ')}`, result };
    return { status: 'succeeded', summary: planSummary(report), result };
  },
};

export const copyStep: Step = {
  id: 'copy',
  kind: 'action',
  title: 'Copy the cluster root',
  why:
    'Copies the tree with the engine: multi batches sized under jute.maxbuffer, bytes and ACLs as they are, ' +
    'checkpoints written with the batches they record. A pause, a crash or a killed process continues the ' +
    "same engine run where it stopped (the plan step's engine run id is kept for that).",
  async postcondition(ctx) {
    const id = planEngineRunId(ctx);
    if (!id) return 'not-done';
    try {
      return ctx.services.copyEngine.get(id).state === 'completed' ? 'done' : 'not-done';
    } catch {
      return 'not-done';
    }
  },
  async execute(ctx) {
    const id = planEngineRunId(ctx);
    if (!id) {
      return {
        status: 'failed',
        summary: 'The plan step left no engine run to execute',
        hint: 'Abort this run and start a new one (the plan must succeed first).',
      };
    }
    if (ctx.params.mode === 'mirror' && !mirrorConfirmed(ctx)) {
      return {
        status: 'failed',
        summary: 'Mirror mode was not confirmed (its gate was skipped)',
        hint: 'Abort this run and start a new one, confirming mirror mode at its gate, or use another mode.',
      };
    }
    const engine = ctx.services.copyEngine;
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
      unchanged: counts?.unchanged ?? 0,
      skippedEphemeral: counts?.skippedEphemeral ?? 0,
      errors: counts?.errors ?? 0,
      bytes: counts?.bytes ?? 0,
    };
    const summary =
      `Copied: ${number.format(Number(result.created))} created, ${number.format(Number(result.updated))} updated, ` +
      `${number.format(Number(result.deleted))} deleted, ${number.format(Number(result.unchanged))} unchanged, ${number.format(Number(result.bytes))} bytes`;
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

/** One engine run of `kind` to its end; null when the step was stopped. */
async function runToEnd(
  ctx: CopyContext,
  kind: 'zk-diff' | 'zk-copy',
  params: CopyParams,
): Promise<EngineRunView | null> {
  const engine = ctx.services.copyEngine;
  const view = engine.create(kind, params);
  return followEngineRun(
    bridge(ctx),
    view.id,
    () => engine.start(view.id, { mirrorConfirmed: mirrorConfirmed(ctx) }),
    {
      onStop: 'cancel',
    },
  );
}

export const copyVerifyStep: Step = {
  id: 'copy-verify',
  kind: 'verify',
  title: 'Validate the copy',
  why:
    'Compares both trees node by node (paths, data bytes, ACLs). What differs is copied again from the old ' +
    'ensemble, up to two passes, then compared again. Only an exact match goes on: the restarted leader ' +
    'will load whatever is there, and a node only on the new side (a stray table) would load as well.',
  async execute(ctx) {
    const base = copyParams(ctx);
    if (isOutcome(base)) return base;
    const reconcileMode: CopyMode = ctx.params.mode === 'mirror' ? 'mirror' : 'overwrite';
    const engineRunIds: string[] = [];
    ctx.log('Comparing the old and the new ensemble');
    const first = await runToEnd(ctx, 'zk-diff', { ...base, verify: true });
    if (!first) return { status: 'failed', summary: 'Stopped before the comparison finished' };
    engineRunIds.push(first.id);
    if (first.state !== 'completed' || !first.result?.verify)
      return { status: 'failed', ...engineError(first) };
    let report = first.result.verify;
    ctx.log(verifySummary(report));
    for (let pass = 1; pass <= RECONCILE_PASSES && verifyDifferences(report.counts) > 0; pass += 1) {
      ctx.log(
        `Pass ${pass} of ${RECONCILE_PASSES}: ${verifyDifferences(report.counts)} differences, copying them again (${reconcileMode})`,
      );
      const fix = await runToEnd(ctx, 'zk-copy', { ...base, mode: reconcileMode, verify: true });
      if (!fix) return { status: 'failed', summary: `Stopped during pass ${pass}` };
      engineRunIds.push(fix.id);
      if (fix.state !== 'completed' || !fix.result?.verify) return { status: 'failed', ...engineError(fix) };
      report = fix.result.verify;
      ctx.log(verifySummary(report));
    }
    const differences = verifyDifferences(report.counts);
    const result: JsonObject = {
      ...report.counts,
      differences,
      checkedAt: report.checkedAt,
      samples: report.samples,
      passes: engineRunIds.length - 1,
      engineRunIds,
    };
    if (differences === 0) {
      return { status: 'succeeded', summary: `The new ensemble matches: ${verifySummary(report)}`, result };
    }
    const samples = Object.entries(report.samples)
      .filter(([, paths]) => paths.length > 0)
      .map(([category, paths]) => `${category}: ${paths.slice(0, 5).join(', ')}`)
      .join('; ');
    return {
      status: 'failed',
      summary: `${differences} differences remain: ${verifySummary(report)}${samples ? `. Samples: ${samples}` : ''}`,
      hint:
        report.counts.extraTarget > 0 && ctx.params.mode !== 'mirror'
          ? 'Nodes only on the new ensemble would load as cluster data: delete them (or run again in mirror mode), then retry this step.'
          : 'Something still writes the old tree (a DDL at blind level, a meta on the old config): stop it, then retry this step.',
      result,
    };
  },
};
