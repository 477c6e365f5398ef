/**
 * Executing one step for the runner: building its context (parameters, earlier results, log,
 * progress, the stop signal), running its executor by kind (precheck, action, verify once; wait
 * polling until done or timed out; manual and gate shown to the operator, then their check after the
 * confirmation), turning the outcome into the step's state through the ledger, and recovering a step
 * found running after a restart. The runner decides which step runs when; this decides what running
 * it means.
 */
import type { RunProgressEvent, StepAwaiting } from '../../shared/api/run-views';
import type { StepProgressView } from '../../shared/api/runs';
import type { RunStepRecord } from '../store/runs-repo';
import type { JsonObject } from '../store/types';
import type { LiveRun, RunDefinitions } from './live-run';
import type { RunLedger } from './run-ledger';
import type { RunServices } from './run-services';
import { type RunStop, type StopKind, stopKindOf } from './run-stop';
import { decideOutcome, IDEMPOTENT_KINDS } from './run-transitions';
import type { StepContext, StepDefinition, StepOutcome } from './runbook-definition';
import { formatDuration, messageOf, outcomeView, validOutcome } from './step-outcomes';
import { StepProgressMeter } from './step-progress';
import { type StepRecord, stepRecordOf } from './step-record';

const PROGRESS_SAVE_MS = 2000;

export interface StepExecutionDeps {
  services: RunServices;
  ledger: RunLedger;
  definitions(live: LiveRun): RunDefinitions;
  emitRun(runId: string): void;
  emitProgress(event: RunProgressEvent): void;
  /** How often progress is emitted to live views. */
  progressIntervalMs: number;
}

export class StepExecution {
  constructor(private readonly deps: StepExecutionDeps) {}

  private get services(): RunServices {
    return this.deps.services;
  }

  private get ledger(): RunLedger {
    return this.deps.ledger;
  }

  private get repo() {
    return this.services.store.runs;
  }

  /** Executes a pending step (a manual step or gate: shows it and waits for the operator). */
  async execute(live: LiveRun, index: number): Promise<void> {
    const definition = this.deps.definitions(live).steps[index]!;
    const step = this.repo.step(live.id, index)!;
    if (step.state !== 'pending') return;
    const attempt = step.attempts + 1;
    if (definition.kind === 'manual' || definition.kind === 'gate') {
      await this.presentToOperator(live, index, definition, attempt);
      return;
    }
    const waitText = definition.wait ? this.describeWait(live, index, definition, attempt) : null;
    this.ledger.stepTo(live.id, index, 'running', 'started', {
      attempts: attempt,
      startedAt: this.services.now(),
      endedAt: null,
      record: {
        outcome: null,
        awaiting: null,
        commands: [],
        manualReason: null,
        fallback: false,
        confirmed: null,
        checkPending: false,
        waitingFor: waitText,
        progress: null,
      },
    });
    const execute = definition.execute;
    const { outcome, stop } = await this.run(live, index, attempt, (ctx) => {
      if (!execute || (definition.kind === 'wait' && !definition.wait)) {
        return Promise.resolve<StepOutcome>({
          status: 'failed',
          summary: `Step '${definition.id}' has nothing to execute, or a wait step has no wait settings (a runbook bug)`,
        });
      }
      return definition.kind === 'wait' ? this.pollWait(live, index, definition, ctx) : execute(ctx);
    });
    this.settle(live, index, definition, outcome, stop);
  }

  /** A manual step or gate: nothing runs; the commands (and the text to type) are shown. */
  private async presentToOperator(
    live: LiveRun,
    index: number,
    definition: StepDefinition,
    attempt: number,
  ): Promise<void> {
    let commands: StepRecord['commands'] = [];
    let expectedText: string | undefined;
    let gatePrompt = definition.title;
    try {
      const ctx = this.context(live, index, attempt, new AbortController().signal);
      commands = definition.commands ? await definition.commands(ctx) : [];
      if (definition.kind === 'gate') {
        if (!definition.confirmText)
          throw new Error(`Gate '${definition.id}' has no confirmText (a runbook bug)`);
        expectedText = String(await definition.confirmText(ctx));
        if (expectedText === '')
          throw new Error(`Gate '${definition.id}' asks for an empty text (a runbook bug)`);
        gatePrompt = definition.confirmPrompt ? await definition.confirmPrompt(ctx) : definition.title;
      }
    } catch (error) {
      this.ledger.stepTo(live.id, index, 'running', 'started', {
        attempts: attempt,
        startedAt: this.services.now(),
      });
      live.sink.write(index, `Could not prepare the step: ${messageOf(error)}`, 'stderr');
      this.ledger.stepTo(live.id, index, 'failed', 'failed', {
        endedAt: this.services.now(),
        record: { outcome: { status: 'failed', summary: `Could not prepare the step: ${messageOf(error)}` } },
      });
      return;
    }
    const awaiting: StepAwaiting =
      definition.kind === 'gate'
        ? {
            kind: 'confirm-text',
            prompt: `Type '${expectedText}' to confirm: ${gatePrompt.replace(/\.$/, '')}.`,
            expectedText,
            headless: true,
            since: this.services.now(),
          }
        : {
            kind: 'confirm',
            prompt: definition.execute
              ? 'Do this by hand with the commands shown, then confirm (with a note); the step then checks the result.'
              : 'Do this by hand with the commands shown, then confirm with a note saying what you did.',
            headless: definition.execute !== undefined,
            since: this.services.now(),
          };
    this.ledger.stepTo(live.id, index, 'waiting-for-operator', 'waiting', {
      attempts: attempt,
      startedAt: this.services.now(),
      endedAt: null,
      record: {
        commands,
        awaiting,
        fallback: false,
        confirmed: null,
        checkPending: false,
        outcome: null,
        manualReason: null,
      },
    });
  }

  /** After a confirmation: the manual step or gate checks its own result. */
  async check(live: LiveRun, index: number): Promise<void> {
    const definition = this.deps.definitions(live).steps[index]!;
    const step = this.repo.step(live.id, index)!;
    const record = stepRecordOf(step.record);
    this.ledger.stepTo(live.id, index, 'running', 'started', {
      record: { checkPending: false },
      detail: { cause: 'check after confirmation' },
    });
    const { outcome, stop } = await this.run(live, index, step.attempts, (ctx) => definition.execute!(ctx));
    if (outcome.status === 'manual' && !stop) {
      // It cannot check here (offline, no tool): the operator's word stands, with the reason kept.
      this.ledger.stepTo(live.id, index, 'succeeded', 'succeeded', {
        endedAt: this.services.now(),
        record: {
          awaiting: null,
          outcome: {
            status: 'succeeded',
            summary: `Confirmed by ${record.confirmed?.by ?? this.services.actor}; the check could not run here: ${outcome.reason}`,
          },
        },
      });
      return;
    }
    this.settle(live, index, definition, outcome, stop);
  }

  private describeWait(
    live: LiveRun,
    index: number,
    definition: StepDefinition,
    attempt: number,
  ): string | null {
    try {
      return definition.wait!.describe(this.context(live, index, attempt, new AbortController().signal));
    } catch {
      return null;
    }
  }

  /** A wait step: poll until it succeeds, fails, or its timeout passes. */
  private async pollWait(
    live: LiveRun,
    index: number,
    definition: StepDefinition,
    ctx: StepContext,
  ): Promise<StepOutcome> {
    const wait = definition.wait!;
    const started = this.services.now();
    let lastWaitingFor: string | null = null;
    for (;;) {
      const outcome = await definition.execute!(ctx);
      if (outcome.status !== 'pending') return outcome;
      if (outcome.waitingFor !== lastWaitingFor) {
        lastWaitingFor = outcome.waitingFor;
        ctx.log(`Waiting for: ${outcome.waitingFor}`);
      }
      this.setWaitingFor(live, index, outcome.waitingFor);
      const elapsed = this.services.now() - started;
      if (elapsed >= wait.timeoutMs) {
        return {
          status: 'failed',
          summary: `Timed out after ${formatDuration(wait.timeoutMs)}, still waiting for: ${outcome.waitingFor}`,
          hint: 'Find out why it did not happen, then retry the step (it waits again), or skip it with a reason.',
          ...(outcome.result ? { result: outcome.result } : {}),
        };
      }
      await this.services.sleep(Math.min(wait.intervalMs, wait.timeoutMs - elapsed), ctx.signal);
      if (ctx.signal.aborted) {
        return { status: 'failed', summary: `Stopped while waiting for: ${outcome.waitingFor}` };
      }
    }
  }

  /**
   * Runs an executor with a fresh signal and context; an exception becomes a failed outcome, and a
   * malformed outcome a runbook bug. `stop` says whether the runner stopped it meanwhile.
   */
  async run(
    live: LiveRun,
    index: number,
    attempt: number,
    execute: (ctx: StepContext) => Promise<StepOutcome>,
  ): Promise<{ outcome: StepOutcome; stop: StopKind | null }> {
    const controller = new AbortController();
    live.meter = new StepProgressMeter(() => this.services.now());
    live.progressEmittedAt = 0;
    live.progressSavedAt = 0;
    let outcome: StepOutcome;
    const settled = (async () => {
      try {
        const ctx = this.context(live, index, attempt, controller.signal);
        const result = await execute(ctx);
        outcome = validOutcome(result);
      } catch (error) {
        const stopped = stopKindOf(controller.signal);
        outcome = {
          status: 'failed',
          summary: stopped ? `Stopped: ${(controller.signal.reason as RunStop).message}` : messageOf(error),
        };
        if (!stopped) live.sink.write(index, `Error: ${messageOf(error)}`, 'stderr');
      }
    })();
    live.execution = { index, controller, settled };
    try {
      await settled;
    } finally {
      live.execution = null;
      live.sink.flush();
    }
    const stop = live.stop;
    live.stop = null;
    const progress = live.meter?.current ?? null;
    live.meter = null;
    if (progress) this.ledger.patchRecord(live.id, index, { progress });
    return { outcome: outcome!, stop };
  }

  /** Turns an executor's outcome into the step's state (or puts the step back after a stop). */
  private settle(
    live: LiveRun,
    index: number,
    definition: StepDefinition,
    outcome: StepOutcome,
    stop: StopKind | null,
  ): void {
    const step = this.repo.step(live.id, index)!;
    if (step.state !== 'running') return;
    const stopping = stop !== null && outcome.status !== 'succeeded';
    const view = outcomeView(outcome, definition.kind, definition.severity);
    const dropped = live.sink.droppedFor(index);
    const extra: Partial<StepRecord> = dropped > 0 ? { outputDropped: dropped } : {};
    if (stop && stopping) {
      if (stop === 'shutdown') return;
      if (stop === 'pause') {
        live.sink.write(index, 'Paused: this step runs again when the run is resumed.');
        this.ledger.stepTo(live.id, index, 'pending', 'reset', {
          record: { ...extra, waitingFor: null },
          detail: { cause: 'paused' },
        });
        return;
      }
      this.ledger.stepTo(live.id, index, 'failed', 'failed', {
        endedAt: this.services.now(),
        record: { ...extra, outcome: { status: 'failed', summary: 'Stopped: the run was aborted' } },
      });
      return;
    }
    const decision = decideOutcome(definition.kind, definition.severity, outcome);
    const now = this.services.now();
    const result = 'result' in outcome && outcome.result ? { result: outcome.result } : {};
    switch (decision.state) {
      case 'succeeded':
        this.ledger.stepTo(live.id, index, 'succeeded', 'succeeded', {
          endedAt: now,
          record: { ...extra, ...result, outcome: view, waitingFor: null, awaiting: null },
        });
        return;
      case 'failed':
        this.ledger.stepTo(live.id, index, 'failed', 'failed', {
          endedAt: now,
          record: { ...extra, ...result, outcome: view },
        });
        return;
      case 'waiting-for-operator': {
        const manual = outcome.status === 'manual' ? outcome : null;
        const awaiting: StepAwaiting = manual
          ? {
              kind: 'confirm',
              prompt: `This step cannot run here (${manual.reason}): do it by hand with the commands shown, then confirm with a note.`,
              headless: false,
              since: now,
            }
          : {
              kind: 'acknowledge',
              prompt: `Read the warning and acknowledge it to go on: ${view.summary}`,
              headless: true,
              since: now,
            };
        this.ledger.stepTo(live.id, index, 'waiting-for-operator', 'waiting', {
          record: {
            ...extra,
            ...result,
            outcome: view,
            awaiting,
            ...(manual ? { commands: manual.commands, manualReason: manual.reason, fallback: true } : {}),
          },
        });
        return;
      }
      case 'running':
        // A wait step's 'pending' ends in pollWait; anything else here is a failure already decided.
        return;
    }
  }

  /** A step found 'running' in a run no process drives (after a crash). */
  async recover(live: LiveRun, step: RunStepRecord): Promise<void> {
    const definition = this.deps.definitions(live).steps[step.index]!;
    const index = step.index;
    const record = stepRecordOf(step.record);
    live.sink.write(index, 'Migration Desk stopped while this step was running.');
    if (definition.kind === 'action' && definition.postcondition) {
      const postcondition = definition.postcondition;
      let verdict: Awaited<ReturnType<typeof postcondition>> | undefined;
      let failure: string | undefined;
      const controller = new AbortController();
      const settled = (async () => {
        try {
          verdict = await postcondition(this.context(live, index, step.attempts, controller.signal));
        } catch (error) {
          failure = messageOf(error);
        }
      })();
      live.execution = { index, controller, settled };
      try {
        await settled;
      } finally {
        live.execution = null;
      }
      if (verdict === 'done') {
        this.ledger.stepTo(live.id, index, 'succeeded', 'recovered', {
          endedAt: this.services.now(),
          note: 'found done after restart',
          record: { outcome: { status: 'succeeded', summary: 'Found done after restart' } },
        });
      } else if (typeof verdict === 'object') {
        // Done, and the step rebuilt the result the stopped process did not get to record.
        live.sink.write(index, `Found done after the restart: ${verdict.summary}`);
        this.ledger.stepTo(live.id, index, 'succeeded', 'recovered', {
          endedAt: this.services.now(),
          note: 'found done after restart',
          record: {
            outcome: { status: 'succeeded', summary: `Found done after restart: ${verdict.summary}` },
            ...(verdict.result ? { result: verdict.result } : {}),
          },
        });
      } else if (verdict === 'not-done') {
        live.sink.write(index, 'Its result is not there yet: it runs again.');
        this.ledger.stepTo(live.id, index, 'pending', 'reset', { detail: { cause: 'restart: not done' } });
      } else {
        this.ledger.stepTo(live.id, index, 'failed', 'failed', {
          endedAt: this.services.now(),
          record: {
            outcome: {
              status: 'failed',
              summary: `Could not check whether it finished before the restart: ${failure ?? 'no answer'}`,
              hint: 'Retry runs it again (it is idempotent); skip it with a reason if you know it finished.',
            },
          },
        });
      }
      return;
    }
    if (IDEMPOTENT_KINDS.includes(definition.kind)) {
      live.sink.write(index, 'It only reads: it runs again.');
      this.ledger.stepTo(live.id, index, 'pending', 'reset', { detail: { cause: 'restart: runs again' } });
      return;
    }
    if ((definition.kind === 'manual' || definition.kind === 'gate') && record.awaiting) {
      // Its check was running: ask for the confirmation again, which runs the check again.
      this.ledger.stepTo(live.id, index, 'waiting-for-operator', 'waiting', {
        record: {
          awaiting: { ...record.awaiting, since: this.services.now() },
          confirmed: null,
          checkPending: false,
        },
        detail: { cause: 'restart' },
      });
      return;
    }
    this.ledger.stepTo(live.id, index, 'waiting-for-operator', 'waiting', {
      record: {
        awaiting: {
          kind: 'interrupted',
          prompt:
            'Migration Desk stopped while this step was running and cannot tell whether it finished. Check, then confirm it finished, or retry it.',
          headless: false,
          since: this.services.now(),
        },
      },
      detail: { cause: 'restart' },
    });
  }

  private context(live: LiveRun, index: number, attempt: number, signal: AbortSignal): StepContext {
    const definitions = this.deps.definitions(live);
    const definition = definitions.steps[index]!;
    const steps = this.repo.steps(live.id);
    const results: Record<string, JsonObject | undefined> = {};
    for (const step of steps) {
      if (step.index < index) results[step.stepId] = stepRecordOf(step.record).result ?? undefined;
    }
    const record = stepRecordOf(steps[index]?.record ?? null);
    return {
      runId: live.id,
      params: definitions.params,
      step: { index, id: definition.id, kind: definition.kind, attempt },
      results,
      ...(record.confirmed
        ? { operator: { note: record.confirmed.note, confirmedText: record.confirmed.text } }
        : {}),
      signal,
      log: (line, stream) => live.sink.write(index, line, stream ?? 'log'),
      progress: (progress) => this.onProgress(live, index, progress),
      services: this.services,
    };
  }

  private onProgress(live: LiveRun, index: number, progress: Parameters<StepContext['progress']>[0]): void {
    if (!live.meter) return;
    const view = live.meter.update(progress);
    const now = this.services.now();
    const interval = this.deps.progressIntervalMs ?? 250;
    const finished = view.fraction === 1;
    if (finished || now - live.progressEmittedAt >= interval) {
      live.progressEmittedAt = now;
      this.emitProgress(live.id, index, view, null);
    }
    if (now - live.progressSavedAt >= PROGRESS_SAVE_MS) {
      live.progressSavedAt = now;
      this.ledger.patchRecord(live.id, index, { progress: view });
    }
  }

  private setWaitingFor(live: LiveRun, index: number, waitingFor: string): void {
    this.ledger.patchRecord(live.id, index, { waitingFor });
    this.emitProgress(live.id, index, live.meter?.current ?? null, waitingFor);
    this.deps.emitRun(live.id);
  }

  private emitProgress(
    runId: string,
    index: number,
    progress: StepProgressView | null,
    waitingFor: string | null,
  ): void {
    const event: RunProgressEvent = { runId, index, progress, waitingFor };
    this.deps.emitProgress(event);
  }
}
