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
  verifyDifferences,
} from '../../engines/zk-copy/types';
import { type CopyOptions, copyParams } from '../../engines/zk-copy/copy-params';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { runEngineToEnd } from '../subtree-migration/engine-bridge';
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
} from '../subtree-migration/engine-outcomes';
import type { ZkMigrationCopyParams } from './params';
import { type CopyContext, clusterFacts, STEP, targetOf } from './run-facts';

type Step = StepDefinition<ZkMigrationCopyParams>;

const number = new Intl.NumberFormat('en-US');
/** Passes of "copy the differences again" before validation gives up. */
const RECONCILE_PASSES = 2;

const SIDES: SideNames = { source: 'the old ensemble', target: 'the new' };

function copyParamsFor(ctx: CopyContext, overrides: CopyOptions = {}): CopyParams | StepOutcome {
  const found = clusterFacts(ctx);
  if (!found.ok) return found.outcome;
  const { facts } = found;
  const target = targetOf(ctx);
  if (!target.ok) return target.outcome;
  return copyParams(
    ctx.services.connection(facts.sourceRef).endpoint(facts.root),
    target.connection.endpoint(facts.targetRoot),
    {
      mode: ctx.params.mode as CopyMode,
      verify: false,
      // Absent in runs made before the parameter existed, and when the operator left it empty.
      maxNodesPerSecond: ctx.params.maxNodesPerSecond,
      ...overrides,
    },
  );
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
    const params = copyParamsFor(ctx);
    if (isOutcome(params)) return params;
    const planned = await planEngineCopy(
      ctx,
      params,
      (id) => `Engine run ${id}: planning ${params.mode} copy ${params.source.path} -> ${params.target.path}`,
    );
    if (!planned) return { status: 'failed', summary: 'Stopped before the plan was finished' };
    const report = planned.plan;
    const result: JsonObject = {
      engineRunId: planned.engineRunId,
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
    return engineRunCompleted(ctx, planEngineRunId(ctx));
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
    const copied = await continuePlannedCopy(ctx, id, mirrorConfirmed(ctx));
    if (!copied.ok) return copied.outcome;
    const counts = copied.final.result?.copy?.counts;
    return copiedOutcome({
      engineRunId: id,
      ...copyCountsOf(counts, [
        'created',
        'updated',
        'deleted',
        'unchanged',
        'skippedEphemeral',
        'errors',
        'bytes',
      ]),
    });
  },
};

export const copyVerifyStep: Step = {
  id: 'copy-verify',
  kind: 'verify',
  title: 'Validate the copy',
  why:
    'Compares both trees node by node (paths, data bytes, ACLs). What differs is copied again from the old ' +
    'ensemble, up to two passes, then compared again. Only an exact match goes on: the restarted leader ' +
    'will load whatever is there, and a node only on the new side (a stray table) would load as well.',
  async execute(ctx) {
    const base = copyParamsFor(ctx);
    if (isOutcome(base)) return base;
    const reconcileMode: CopyMode = ctx.params.mode === 'mirror' ? 'mirror' : 'overwrite';
    const confirmed = mirrorConfirmed(ctx);
    ctx.log('Comparing the old and the new ensemble');
    const checked = await compareAndReconcile(ctx, {
      compare: () => runEngineToEnd(ctx, 'zk-diff', { ...base, verify: true }, confirmed),
      reconcile: () =>
        runEngineToEnd(ctx, 'zk-copy', { ...base, mode: reconcileMode, verify: true }, confirmed),
      passLimit: RECONCILE_PASSES,
      passLog: (pass, differences) =>
        `Pass ${pass} of ${RECONCILE_PASSES}: ${differences} differences, copying them again (${reconcileMode})`,
      stoppedDuring: (pass) => `Stopped during pass ${pass}`,
      sides: SIDES,
    });
    if (!checked.ok) return checked.outcome;
    const { report, engineRunIds } = checked;
    const result = verifyResult(report, { passes: engineRunIds.length - 1, engineRunIds });
    const differences = verifyDifferences(report.counts);
    if (differences === 0) {
      return {
        status: 'succeeded',
        summary: `The new ensemble matches: ${verifySummary(report, SIDES)}`,
        result,
      };
    }
    const samples = sampleList(report);
    return {
      status: 'failed',
      summary: `${differences} differences remain: ${verifySummary(report, SIDES)}${samples ? `. Samples: ${samples}` : ''}`,
      hint:
        report.counts.extraTarget > 0 && ctx.params.mode !== 'mirror'
          ? 'Nodes only on the new ensemble would load as cluster data: delete them (or run again in mirror mode), then retry this step.'
          : 'Something still writes the old tree (a DDL at blind level, a meta on the old config): stop it, then retry this step.',
      result,
    };
  },
};
