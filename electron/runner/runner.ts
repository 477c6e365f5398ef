/**
 * The runbook runner (design section 6): creates runs from runbooks, executes their steps in order,
 * and owns every state change: each one is checked against run-transitions.ts, written to the store
 * together with its audit event (target `run:<id>`), and emitted for live views. Executors only
 * report outcomes; the runner decides what they mean.
 *
 * - A failed step stops the run until the operator chooses retry, skip (with a reason) or abort;
 *   nothing is retried by itself.
 * - Pause aborts the running step's signal; the step goes back to pending (it runs again on resume)
 *   unless it finished anyway. A step waiting for the operator stays waiting.
 * - After a crash, `recover()` resumes runs the store says are running: an action that was running
 *   re-checks its postcondition, an idempotent step runs again, anything else waits for the operator.
 * - One process drives a run at a time (run-lease.ts): the app and a CLI never both execute it.
 *
 * This file holds the public API: the controls, each checked before it claims the run, and recovery.
 * run-queries.ts answers the read side, run-creation.ts checks a new run, run-rollback.ts runs the
 * rollback control, live-runs.ts holds the runs this process drives (leases, stops), run-driver.ts
 * picks the next step, step-execution.ts runs it, and run-ledger.ts records every state change with
 * its audit event.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AuditEvent } from '../../shared/api/audit';
import type { RunAction, RunbookInfo, RunOutputLine, RunSummary, RunView } from '../../shared/api/run-views';
import type { StepState } from '../../shared/api/runs';
import type { RunsQuery } from '../store/runs-repo';
import type { LiveRun, RunDefinitions } from './live-run';
import { LiveRuns } from './live-runs';
import { checkRunParams, checkStepList, draftDetail, draftSteps } from './run-creation';
import { checkedDefinitions } from './run-definitions';
import { heldElsewhere } from './run-lease';
import { RunDriver } from './run-driver';
import { RunLedger } from './run-ledger';
import { redactSecrets } from './output-redaction';
import { RunQueries } from './run-queries';
import type { ReportFormat } from './run-report';
import { RunRollback } from './run-rollback';
import type { RunServices } from './run-services';
import { nextStepIndex } from './run-transitions';
import type { RunbookDefinition, StepDefinition } from './runbook-definition';
import { RunRefusal, shortRunId } from './runner-errors';
import { StepExecution } from './step-execution';
import { messageOf } from './step-outcomes';
import { runDetailOf, stepRecordOf } from './step-record';

export interface RunnerOptions {
  services: RunServices;
  runbooks: readonly RunbookDefinition[];
  /** Output lines kept per step; more are counted, not kept (default 20,000). */
  outputLimitPerStep?: number;
  /** How often progress is emitted to live views (default 250 ms). */
  progressIntervalMs?: number;
  /** How long pause, abort and shutdown wait for a running step to stop before they return. */
  settleTimeoutMs?: number;
}

export interface CreateRunOptions {
  /** Run the prechecks (now, for create), then pause before the first other step (the wizard's check). */
  precheckOnly?: boolean;
}

const DEFAULT_SETTLE_MS = 30_000;
const MIN_SKIP_REASON = 3;

export class Runner {
  /** 'run' (RunView), 'output' (RunOutputLine), 'progress' (RunProgressEvent). */
  readonly events = new EventEmitter();
  private readonly runbooks: ReadonlyMap<string, RunbookDefinition>;
  private closing = false;

  private readonly ledger: RunLedger;
  private readonly live: LiveRuns;
  private readonly queries: RunQueries;
  private readonly execution: StepExecution;
  private readonly rollbacks: RunRollback;
  private readonly driver: RunDriver;

  constructor(private readonly options: RunnerOptions) {
    this.events.setMaxListeners(200);
    this.runbooks = new Map(options.runbooks.map((runbook) => [runbook.id, runbook]));
    this.ledger = new RunLedger(options.services.store, options.services.actor, {
      beforeChange: (runId) => this.live.get(runId)?.sink.flush(),
      changed: (runId) => this.emitRun(runId),
    });
    this.live = new LiveRuns({
      services: options.services,
      ledger: this.ledger,
      emitOutput: (line) => this.events.emit('output', line),
      emitRun: (runId) => this.emitRun(runId),
      outputLimitPerStep: options.outputLimitPerStep,
      settleTimeoutMs: options.settleTimeoutMs ?? DEFAULT_SETTLE_MS,
    });
    this.queries = new RunQueries({
      services: options.services,
      runbooks: this.runbooks,
      ledger: this.ledger,
      liveOf: (runId) => this.live.get(runId),
    });
    this.execution = new StepExecution({
      services: options.services,
      ledger: this.ledger,
      definitions: (live) => this.definitions(live),
      emitRun: (runId) => this.emitRun(runId),
      emitProgress: (event) => this.events.emit('progress', event),
      progressIntervalMs: options.progressIntervalMs ?? 250,
    });
    this.driver = new RunDriver({
      services: options.services,
      ledger: this.ledger,
      execution: this.execution,
      live: this.live,
      emitRun: (runId) => this.emitRun(runId),
      closing: () => this.closing,
    });
    this.rollbacks = new RunRollback({
      services: options.services,
      ledger: this.ledger,
      execution: this.execution,
      emitRun: (runId) => this.emitRun(runId),
    });
  }

  private get services(): RunServices {
    return this.options.services;
  }

  private get repo() {
    return this.services.store.runs;
  }

  private get actor(): string {
    return this.services.actor;
  }

  // ------------------------------------------------------------------ runbooks and queries

  catalog(): RunbookInfo[] {
    return this.queries.catalog();
  }

  runbook(id: string): RunbookDefinition {
    return this.queries.runbook(id);
  }

  get(runId: string): RunView {
    return this.queries.get(runId);
  }

  /** A run by its id or a unique prefix of it (at least 4 characters), as an operator types it. */
  resolveId(idOrPrefix: string): string {
    return this.queries.resolveId(idOrPrefix);
  }

  list(query: RunsQuery = {}): RunSummary[] {
    return this.queries.list(query);
  }

  /** Output lines in print order, paged forward from `afterSeq`. */
  output(
    runId: string,
    query: { index?: number; afterSeq?: number; limit?: number } = {},
  ): { lines: RunOutputLine[]; nextSeq: number; done: boolean } {
    return this.queries.output(runId, query);
  }

  /** The last `limit` lines of a run (or of one step). */
  tail(runId: string, query: { index?: number; limit: number }): RunOutputLine[] {
    return this.queries.tail(runId, query);
  }

  /** The run's audit events, newest first. */
  auditEvents(runId: string, query: { limit?: number; beforeId?: number } = {}): AuditEvent[] {
    return this.queries.auditEvents(runId, query);
  }

  /** The run's report (Markdown or self-contained HTML), and a file name for it. */
  report(runId: string, format: ReportFormat): { format: ReportFormat; fileName: string; content: string } {
    return this.queries.report(runId, format);
  }

  /** Resolves once this process is doing nothing for the run (it waits, stopped, or ended). */
  async whenIdle(runId: string): Promise<RunView> {
    for (;;) {
      const live = this.live.get(runId);
      const pending = live?.driving ?? live?.rollback ?? live?.execution?.settled;
      if (!pending) return this.get(runId);
      await pending.catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ creating and controlling runs

  create(runbookId: string, rawParams: unknown, options: CreateRunOptions = {}): RunView {
    const runbook = this.runbook(runbookId);
    const params = checkRunParams(runbook, rawParams, (ref) => this.services.connection(ref));
    const steps = runbook.steps(params);
    checkStepList(runbook.id, steps);
    const id = randomUUID();
    this.services.store.transaction(() => {
      this.repo.create({
        id,
        runbookId: runbook.id,
        title: runbook.title,
        params,
        state: 'draft',
        operator: this.actor,
        detail: draftDetail(),
        steps: draftSteps(steps),
      });
      this.ledger.audit(id, 'run.created', {
        runbookId: runbook.id,
        params,
        steps: steps.map((step) => step.id),
        precheckOnly: options.precheckOnly === true,
      });
    });
    this.emitRun(id);
    if (options.precheckOnly) return this.start(id, { precheckOnly: true });
    return this.get(id);
  }

  /** Starts a draft run; with precheckOnly it pauses before the first step that is not a precheck. */
  start(runId: string, options: CreateRunOptions = {}): RunView {
    const live = this.control(runId, 'start');
    if (options.precheckOnly) {
      const steps = this.repo.steps(runId);
      const firstOther = steps.findIndex((step) => step.kind !== 'precheck');
      this.ledger.updateDetail(runId, {
        precheckOnly: true,
        holdBefore: firstOther < 0 ? steps.length : firstOther,
      });
    }
    this.ledger.runTo(
      live.id,
      'running',
      'started',
      { startedAt: this.services.now() },
      options.precheckOnly ? { precheckOnly: true } : {},
    );
    this.driver.kick(live);
    return this.get(runId);
  }

  async pause(runId: string): Promise<RunView> {
    const live = this.control(runId, 'pause');
    this.ledger.runTo(live.id, 'paused', 'paused', { message: `Paused by ${this.actor}. Resume to go on.` });
    await this.live.stop(live, 'pause');
    return this.get(runId);
  }

  /** Resumes a paused run, or takes over an interrupted one (see continueRun). */
  resume(runId: string): RunView {
    if (this.ledger.requireRun(runId).state === 'running') {
      this.control(runId, 'resume');
      void this.continueRun(runId).catch((error: unknown) =>
        this.ledger.audit(runId, 'run.recovery-failed', { message: messageOf(error) }),
      );
      return this.get(runId);
    }
    const live = this.control(runId, 'resume');
    this.ledger.runTo(live.id, 'running', 'resumed', { message: null });
    this.driver.kick(live);
    return this.get(runId);
  }

  retry(runId: string): RunView {
    const live = this.control(runId, 'retry');
    const run = this.ledger.requireRun(runId);
    const index = run.currentStep!;
    this.ledger.stepTo(live.id, index, 'pending', 'retried', {
      record: { awaiting: null, confirmed: null, checkPending: false, waitingFor: null, progress: null },
      endedAt: null,
    });
    if (run.state === 'failed')
      this.ledger.runTo(live.id, 'running', 'resumed', { message: null }, { cause: 'retry' });
    this.driver.kick(live);
    return this.get(runId);
  }

  skip(runId: string, reason: string): RunView {
    const text = (reason ?? '').trim();
    if (text.length < MIN_SKIP_REASON) {
      throw new RunRefusal(
        'A skip needs a reason: say why the run can go on without this step (it goes into the audit trail and the report)',
        'invalid',
        'reason',
      );
    }
    const live = this.control(runId, 'skip');
    const run = this.ledger.requireRun(runId);
    const index = run.currentStep!;
    this.ledger.stepTo(live.id, index, 'skipped', 'skipped', {
      skipReason: text,
      endedAt: this.services.now(),
      record: { awaiting: null },
    });
    if (run.state === 'failed')
      this.ledger.runTo(live.id, 'running', 'resumed', { message: null }, { cause: 'skip' });
    if (run.state !== 'paused') {
      this.driver.kick(live);
    } else {
      // A paused run shows (and offers to skip) the step it will resume at.
      const steps = this.repo
        .steps(runId)
        .map((step) => ({ state: step.state as StepState, kind: step.kind as StepKind }));
      this.repo.update(runId, { currentStep: nextStepIndex(steps) });
      this.emitRun(runId);
    }
    return this.get(runId);
  }

  /** Final. `confirm` is the run id (or its first 8 characters) typed back. */
  async abort(runId: string, input: { confirm: string; reason?: string }): Promise<RunView> {
    const run = this.ledger.requireRun(runId);
    const typed = (input.confirm ?? '').trim();
    if (typed !== run.id && typed !== shortRunId(run.id)) {
      throw new RunRefusal(
        `To abort, type the run id (${shortRunId(run.id)}): an aborted run cannot be resumed`,
        'invalid',
        'confirm',
      );
    }
    const live = this.control(runId, 'abort');
    const reason = input.reason?.trim() || null;
    this.ledger.runTo(live.id, 'aborted', 'aborted', {
      endedAt: this.services.now(),
      message: `Aborted by ${this.actor}${reason ? `: ${reason}` : ''}.`,
    });
    await this.live.stop(live, 'abort');
    const current = this.ledger.requireRun(runId).currentStep;
    const step = current === null ? undefined : this.repo.step(runId, current);
    if (step?.state === 'waiting-for-operator') {
      this.ledger.stepTo(live.id, step.index, 'skipped', 'skipped', {
        skipReason: `The run was aborted${reason ? `: ${reason}` : ''}`,
        endedAt: this.services.now(),
        record: { awaiting: null },
      });
    }
    this.live.release(live);
    return this.get(runId);
  }

  acknowledge(runId: string, note?: string): RunView {
    const live = this.control(runId, 'acknowledge');
    const index = this.ledger.requireRun(runId).currentStep!;
    this.ledger.stepTo(live.id, index, 'succeeded', 'acknowledged', {
      note: note?.trim() || null,
      endedAt: this.services.now(),
      record: { awaiting: null },
    });
    this.driver.kick(live);
    return this.get(runId);
  }

  /** A manual step done, a gate's text typed, or an interrupted step the operator knows finished. */
  confirm(runId: string, input: { note?: string; text?: string } = {}): RunView {
    const live = this.control(runId, 'confirm');
    const run = this.ledger.requireRun(runId);
    const index = run.currentStep!;
    const step = this.repo.step(runId, index)!;
    const record = stepRecordOf(step.record);
    const awaiting = record.awaiting!;
    const note = input.note?.trim() || null;
    const now = this.services.now();
    if (awaiting.kind === 'confirm-text') {
      if (input.text !== awaiting.expectedText) {
        this.ledger.audit(runId, 'step.confirm-refused', {
          stepIndex: index,
          stepId: step.stepId,
          // What was typed, masked: an operator may paste the wrong clipboard.
          typed: input.text === undefined ? null : redactSecrets(input.text),
        });
        throw new RunRefusal(
          `The typed text does not match: type exactly '${awaiting.expectedText}' to confirm '${step.title}'`,
          'invalid',
          'text',
        );
      }
    }
    const confirmed = { note, text: input.text ?? null, at: now, by: this.actor };
    const definition = this.definitions(live).steps[index]!;
    const check = awaiting.kind !== 'interrupted' && !record.fallback && definition.execute !== undefined;
    if (check) {
      // The step checks its own result now (e.g. "one lock node left"): confirmed, not yet done.
      this.ledger.patchRecord(live.id, index, { confirmed, checkPending: true });
      this.repo.updateStep(runId, index, { note });
      this.ledger.audit(runId, 'step.confirmed', {
        stepIndex: index,
        stepId: step.stepId,
        note,
        text: input.text ?? null,
        check: true,
      });
      this.emitRun(runId);
    } else {
      const summary =
        awaiting.kind === 'interrupted'
          ? `Confirmed finished by ${this.actor} after the restart`
          : awaiting.kind === 'confirm-text'
            ? `Confirmed by ${this.actor}`
            : `Done by hand, confirmed by ${this.actor}`;
      this.ledger.stepTo(live.id, index, 'succeeded', 'confirmed', {
        note,
        endedAt: now,
        record: {
          confirmed,
          awaiting: null,
          outcome: { status: 'succeeded', summary: note ? `${summary}: ${note}` : summary },
        },
      });
    }
    this.driver.kick(live);
    return this.get(runId);
  }

  /** Runs the rollback of the latest step (at or before the current one) that defines one. */
  rollback(runId: string, input: { stepIndex?: number } = {}): RunView {
    const live = this.control(runId, 'rollback');
    this.rollbacks.start(live, this.get(runId), this.definitions(live), input.stepIndex);
    return this.get(runId);
  }

  // ------------------------------------------------------------------ recovery and shutdown

  /**
   * Resumes, in this process, every run the store says is running and no live process drives (the
   * app was killed, the machine rebooted). Returns their ids.
   */
  async recover(): Promise<string[]> {
    const recovered: string[] = [];
    for (const run of this.repo.listByState(['running'])) {
      if (this.live.has(run.id) || heldElsewhere(runDetailOf(run.detail).lease)) continue;
      try {
        await this.recoverRun(run.id);
        recovered.push(run.id);
      } catch (error) {
        // One run that cannot be recovered (its runbook is gone, its parameters no longer parse)
        // must not keep the others from resuming; it stays as it is, with the reason in its log.
        this.ledger.audit(run.id, 'run.recovery-failed', { message: messageOf(error) });
      }
    }
    return recovered;
  }

  /** Resumes one stopped run in this process: recovers it when interrupted, resumes it when paused. */
  async continueRun(runId: string): Promise<RunView> {
    const run = this.ledger.requireRun(runId);
    if (run.state === 'running' && !this.live.get(runId)?.driving) {
      await this.recoverRun(runId);
      return this.get(runId);
    }
    if (run.state === 'paused') return this.resume(runId);
    if (run.state === 'draft') return this.start(runId);
    return this.get(runId);
  }

  /** Stops every step this process runs (they stay 'running' for recovery) and releases the runs. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await this.live.shutdown();
  }

  private async recoverRun(runId: string): Promise<void> {
    const live = this.live.claim(runId);
    const running = this.repo.steps(runId).filter((step) => step.state === 'running');
    this.ledger.audit(runId, 'run.recovered', {
      runningSteps: running.map((step) => ({ stepIndex: step.index, stepId: step.stepId })),
    });
    for (const step of running) await this.execution.recover(live, step);
    this.emitRun(runId);
    this.driver.kick(live);
  }

  // ------------------------------------------------------------------ bookkeeping

  /** Checks that `action` applies now and that no other process drives the run; claims it. */
  private control(runId: string, action: RunAction): LiveRun {
    if (this.closing)
      throw new RunRefusal('Migration Desk is stopping: try again after it restarted', 'busy');
    const run = this.ledger.requireRun(runId);
    const lease = runDetailOf(run.detail).lease;
    if (heldElsewhere(lease)) {
      throw new RunRefusal(
        `Run ${shortRunId(runId)} is being run by process ${lease!.pid} on this machine (the app or an mdesk command): control it there, or stop that process first`,
        'busy',
      );
    }
    const view = this.get(runId);
    if (!view.allowedActions.includes(action)) {
      const current = view.currentStep === null ? undefined : view.steps[view.currentStep];
      const where = current ? `; step ${current.index + 1} '${current.title}' is ${current.state}` : '';
      throw new RunRefusal(
        `Cannot ${action} run ${shortRunId(runId)} now: it is ${view.state}${where}. Allowed now: ${view.allowedActions.join(', ') || 'nothing'}`,
        'conflict',
      );
    }
    return this.live.claim(runId);
  }

  /** The run's parameters and step definitions, checked against the steps it was created with. */
  private definitions(live: LiveRun): RunDefinitions {
    if (live.definitions) return live.definitions;
    const run = this.ledger.requireRun(live.id);
    live.definitions = checkedDefinitions(run, this.runbooks.get(run.runbookId), this.repo.steps(run.id));
    return live.definitions;
  }

  private emitRun(runId: string): void {
    if (this.events.listenerCount('run') === 0) return;
    const run = this.repo.get(runId);
    if (run) this.events.emit('run', this.queries.viewOf(run));
  }
}

type StepKind = StepDefinition['kind'];
