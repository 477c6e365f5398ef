/**
 * The rollback control: runs a step's rollback in the background (live.rollback) while the run stays
 * paused, records it in the run detail (rollbacks[]) with 'run.rollback-started' / '-finished' audit
 * events, and leaves the operator to resume, retry or abort. The runner has checked that the control
 * applies and claimed the run before it calls this.
 */
import type { RunView } from '../../shared/api/run-views';
import type { LiveRun, RunDefinitions } from './live-run';
import type { RunLedger } from './run-ledger';
import type { RunServices } from './run-services';
import { RunRefusal } from './runner-errors';
import type { StepExecution } from './step-execution';
import { outcomeSummary } from './step-outcomes';
import { runDetailOf } from './step-record';

export interface RunRollbackDeps {
  services: RunServices;
  ledger: RunLedger;
  execution: StepExecution;
  emitRun(runId: string): void;
}

export class RunRollback {
  constructor(private readonly deps: RunRollbackDeps) {}

  /**
   * Starts the rollback of step `stepIndex` (default: the one the view offers) and returns once it is
   * recorded as running; `live.rollback` settles when it has finished.
   */
  start(live: LiveRun, view: RunView, definitions: RunDefinitions, stepIndex?: number): void {
    const { services, ledger } = this.deps;
    const runId = live.id;
    const actor = services.actor;
    const index = stepIndex ?? view.rollback!.stepIndex;
    const definition = definitions.steps[index];
    const step = view.steps[index];
    if (!definition?.rollback || !step || step.attempts === 0 || index > (view.currentStep ?? -1)) {
      throw new RunRefusal(
        `Step ${index + 1} has no rollback that applies now (it must define one and have run)`,
        'invalid',
        'stepIndex',
      );
    }
    const { label, execute } = definition.rollback;
    if (view.state === 'running') {
      ledger.runTo(runId, 'paused', 'paused', { message: `Paused for the rollback '${label}'.` });
    }
    const startedAt = services.now();
    const rollbacks = [...(runDetailOf(ledger.requireRun(runId).detail).rollbacks ?? [])];
    const position = rollbacks.length;
    rollbacks.push({
      stepIndex: index,
      label,
      state: 'running',
      summary: null,
      startedAt,
      endedAt: null,
      by: actor,
    });
    services.store.transaction(() => {
      ledger.updateDetail(runId, { rollbacks });
      ledger.audit(runId, 'run.rollback-started', { stepIndex: index, stepId: step.id, label });
    });
    this.deps.emitRun(runId);
    live.rollback = (async () => {
      live.sink.write(index, `Rollback '${label}' started by ${actor}`);
      const { outcome } = await this.deps.execution.run(live, index, step.attempts, (ctx) => execute(ctx));
      const succeeded = outcome.status === 'succeeded';
      const summary = outcomeSummary(outcome);
      live.sink.write(index, `Rollback ${succeeded ? 'succeeded' : 'did not succeed'}: ${summary}`);
      live.sink.flush();
      const now = services.now();
      const after = [...(runDetailOf(ledger.requireRun(runId).detail).rollbacks ?? [])];
      after[position] = {
        ...after[position]!,
        state: succeeded ? 'succeeded' : 'failed',
        summary,
        endedAt: now,
      };
      services.store.transaction(() => {
        const current = ledger.requireRun(runId);
        const message =
          current.state === 'aborted'
            ? undefined
            : `Rollback '${label}' ${succeeded ? 'succeeded' : 'failed'}: ${summary.replace(/\.+$/, '')}. Resume, retry, or abort the run.`;
        ledger.updateDetail(runId, { rollbacks: after, ...(message ? { message } : {}) });
        ledger.audit(runId, 'run.rollback-finished', {
          stepIndex: index,
          stepId: step.id,
          label,
          status: outcome.status,
          summary,
        });
      });
    })().finally(() => {
      // Not busy any more: emitted only now, or the view would keep offering nothing but Abort.
      live.rollback = null;
      this.deps.emitRun(runId);
    });
  }
}
