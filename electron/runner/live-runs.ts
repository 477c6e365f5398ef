/**
 * The runs this process drives: claiming one writes this process's lease into the run (refused while
 * another live process holds it) and opens its output sink; releasing one clears the lease; stopping
 * one aborts its running executor and waits, bounded, for it to settle. The runner decides when; this
 * keeps the map and the lease consistent.
 */
import type { RunOutputLine } from '../../shared/api/run-views';
import type { LiveRun } from './live-run';
import { heldElsewhere, isOwnLease, ownLease } from './run-lease';
import type { RunLedger } from './run-ledger';
import { RunOutputSink } from './run-output';
import type { RunServices } from './run-services';
import { RunStop, type StopKind } from './run-stop';
import { RunRefusal, shortRunId } from './runner-errors';
import { runDetailOf } from './step-record';

export interface LiveRunsDeps {
  services: RunServices;
  ledger: RunLedger;
  emitOutput(line: RunOutputLine): void;
  emitRun(runId: string): void;
  /** Output lines kept per step (the sink's cap). */
  outputLimitPerStep: number | undefined;
  /** How long a stop waits for a running step to settle. */
  settleTimeoutMs: number;
}

/** How long a stop waits for the drive loop to record the stopped step's state. */
const DRIVE_SETTLE_MS = 1000;

export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  constructor(private readonly deps: LiveRunsDeps) {}

  private get repo() {
    return this.deps.services.store.runs;
  }

  get(runId: string): LiveRun | undefined {
    return this.runs.get(runId);
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  /** This process drives the run from now on (its lease is written). */
  claim(runId: string): LiveRun {
    let live = this.runs.get(runId);
    const run = this.deps.ledger.requireRun(runId);
    const detail = runDetailOf(run.detail);
    if (!isOwnLease(detail.lease)) {
      if (heldElsewhere(detail.lease)) {
        throw new RunRefusal(
          `Run ${shortRunId(runId)} is being run by process ${detail.lease!.pid} on this machine: stop that process first`,
          'busy',
        );
      }
      this.deps.ledger.updateDetail(runId, { lease: ownLease(this.deps.services.now()) });
    }
    if (!live) {
      live = {
        id: runId,
        sink: new RunOutputSink(
          runId,
          this.repo,
          (line) => this.deps.emitOutput(line),
          () => this.deps.services.now(),
          this.deps.outputLimitPerStep,
        ),
        driving: null,
        again: false,
        execution: null,
        stop: null,
        rollback: null,
        meter: null,
        progressEmittedAt: 0,
        progressSavedAt: 0,
        definitions: null,
      };
      this.runs.set(runId, live);
    }
    return live;
  }

  /** The run is no longer driven by this process (it ended): its lease is cleared. */
  release(live: LiveRun): void {
    live.sink.flush();
    const run = this.repo.get(live.id);
    if (run && isOwnLease(runDetailOf(run.detail).lease))
      this.deps.ledger.updateDetail(live.id, { lease: null });
    this.deps.emitRun(live.id);
  }

  /** Aborts the running executor's signal as `kind` and waits (bounded) until the step settled. */
  async stop(live: LiveRun, kind: StopKind): Promise<void> {
    const execution = live.execution;
    if (!execution) return;
    live.stop = kind;
    execution.controller.abort(new RunStop(kind));
    await withTimeout(execution.settled, this.deps.settleTimeoutMs);
    // The drive loop settles the step; let it finish its state change before answering.
    if (live.driving) await withTimeout(live.driving, DRIVE_SETTLE_MS);
  }

  /** Stops every step (they stay 'running' for recovery), waits for them, and releases every run. */
  async shutdown(): Promise<void> {
    const lives = [...this.runs.values()];
    await Promise.all(lives.map((live) => this.stop(live, 'shutdown')));
    await withTimeout(
      Promise.allSettled(lives.flatMap((live) => [live.driving, live.rollback].filter(isPromise))),
      this.deps.settleTimeoutMs,
    );
    for (const live of lives) {
      this.release(live);
      live.sink.close();
    }
    this.runs.clear();
  }
}

function isPromise(value: Promise<void> | null): value is Promise<void> {
  return value !== null;
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    }),
  ]);
  if (timer) clearTimeout(timer);
}
