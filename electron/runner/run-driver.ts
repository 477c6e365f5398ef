/**
 * The drive loop of a run this process drives: picks the next step (run-transitions.ts), runs it
 * through the step execution (a row of pending prechecks as one batch), and goes round until the run
 * stops, waits for the operator, fails or completes. It also holds a precheck-only run before its
 * first other step. A control that changes what comes next kicks it again; a loop already running
 * goes round once more instead of starting a second one.
 */
import type { StepState } from '../../shared/api/runs';
import type { LiveRun } from './live-run';
import type { LiveRuns } from './live-runs';
import type { RunLedger } from './run-ledger';
import type { RunServices } from './run-services';
import { nextStepIndex, precheckBatch } from './run-transitions';
import type { StepDefinition } from './runbook-definition';
import type { StepExecution } from './step-execution';
import { messageOf } from './step-outcomes';
import { runDetailOf, stepRecordOf } from './step-record';

export interface RunDriverDeps {
  services: RunServices;
  ledger: RunLedger;
  execution: StepExecution;
  live: LiveRuns;
  emitRun(runId: string): void;
  /** True once the runner shuts down: no loop starts or goes round again. */
  closing(): boolean;
}

type StepKind = StepDefinition['kind'];

export class RunDriver {
  constructor(private readonly deps: RunDriverDeps) {}

  private get repo() {
    return this.deps.services.store.runs;
  }

  /** Starts the loop for the run, or makes a running one go round once more. */
  kick(live: LiveRun): void {
    if (this.deps.closing()) return;
    if (live.driving) {
      live.again = true;
      return;
    }
    live.driving = (async () => {
      try {
        do {
          live.again = false;
          await this.drive(live);
        } while (live.again && !this.deps.closing());
      } catch (error) {
        this.driveFailed(live, error);
      } finally {
        live.driving = null;
      }
    })();
  }

  private async drive(live: LiveRun): Promise<void> {
    for (;;) {
      if (this.deps.closing()) return;
      const run = this.deps.ledger.requireRun(live.id);
      if (run.state !== 'running') return;
      const steps = this.repo.steps(live.id);
      const typed = steps.map((step) => ({ state: step.state as StepState, kind: step.kind as StepKind }));
      const index = nextStepIndex(typed);
      if (index === null) {
        this.deps.ledger.runTo(live.id, 'completed', 'completed', {
          endedAt: this.deps.services.now(),
          message: runDetailOf(run.detail).precheckOnly
            ? 'Completed: the prechecks passed and every step ran.'
            : null,
        });
        this.deps.live.release(live);
        return;
      }
      if (run.currentStep !== index) {
        this.repo.update(live.id, { currentStep: index });
        this.deps.emitRun(live.id);
      }
      const detail = runDetailOf(run.detail);
      if (detail.holdBefore !== null && detail.holdBefore !== undefined && index >= detail.holdBefore) {
        this.deps.services.store.transaction(() => {
          this.deps.ledger.updateDetail(live.id, { holdBefore: null });
          this.deps.ledger.runTo(live.id, 'paused', 'paused', {
            message:
              'The prechecks are done: review their results, then resume the run to start the first step (or abort it).',
          });
        });
        return;
      }
      const step = steps[index]!;
      switch (step.state as StepState) {
        case 'pending': {
          const batch = precheckBatch(typed, index);
          for (const member of batch.length > 1 ? batch : [index]) {
            await this.deps.execution.execute(live, member);
            if (live.stop || this.deps.ledger.requireRun(live.id).state !== 'running') break;
          }
          break;
        }
        case 'waiting-for-operator':
          if (stepRecordOf(step.record).checkPending) {
            await this.deps.execution.check(live, index);
            break;
          }
          return;
        case 'failed':
          this.deps.ledger.runTo(live.id, 'failed', 'failed', { message: null });
          return;
        case 'running':
          // Only a run this process did not start can have a running step here: recover it.
          await this.deps.execution.recover(live, step);
          break;
        default:
          return;
      }
    }
  }

  private driveFailed(live: LiveRun, error: unknown): void {
    const message = messageOf(error);
    try {
      const run = this.deps.ledger.requireRun(live.id);
      const index = run.currentStep ?? 0;
      live.sink.write(index, `Internal error in the runner: ${message}`, 'stderr');
      live.sink.flush();
      if (run.state === 'running') {
        this.deps.ledger.runTo(live.id, 'failed', 'failed', {
          message: `Internal error in the runner: ${message}`,
        });
      }
    } catch {
      // The store itself failed; nothing more can be recorded.
    }
  }
}
