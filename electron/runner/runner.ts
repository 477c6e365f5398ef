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
 * This file holds the public API (queries, controls, recovery) and the drive loop that picks the next
 * step; step-execution.ts runs a step, run-ledger.ts records every state change with its audit event.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RunAction, RunbookInfo, RunOutputLine, RunSummary, RunView } from '../../shared/api/run-views';
import type { StepState } from '../../shared/api/runs';
import type { AuditEvent } from '../../shared/api/audit';
import type { JsonObject } from '../store/types';
import type { RunOutputRecord, RunRecord, RunsQuery } from '../store/runs-repo';
import type { LiveRun, RunDefinitions } from './live-run';
import { heldElsewhere, isOwnLease, ownLease } from './run-lease';
import { RunLedger } from './run-ledger';
import { redactSecrets } from './output-redaction';
import { RunOutputSink } from './run-output';
import {
  REPORT_EVENTS,
  REPORT_OUTPUT_LINES,
  type ReportFormat,
  renderRunReport,
  reportFileName,
  type StepOutputExcerpt,
} from './run-report';
import type { RunServices } from './run-services';
import { nextStepIndex, precheckBatch } from './run-transitions';
import { buildRunSummary, buildRunView } from './run-view';
import type { RunbookDefinition, StepDefinition } from './runbook-definition';
import { RunRefusal } from './runner-errors';
import { RunStop, type StopKind } from './run-stop';
import { StepExecution } from './step-execution';
import { messageOf, outcomeSummary } from './step-outcomes';
import { asJson, type RunDetail, runDetailOf, type StepRecord, stepRecordOf } from './step-record';

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

const SHORT_ID = 8;
const DEFAULT_SETTLE_MS = 30_000;
const MIN_SKIP_REASON = 3;

export class Runner {
  /** 'run' (RunView), 'output' (RunOutputLine), 'progress' (RunProgressEvent). */
  readonly events = new EventEmitter();
  private readonly live = new Map<string, LiveRun>();
  private readonly runbooks: ReadonlyMap<string, RunbookDefinition>;
  private closing = false;

  private readonly ledger: RunLedger;
  private readonly execution: StepExecution;

  constructor(private readonly options: RunnerOptions) {
    this.events.setMaxListeners(200);
    this.runbooks = new Map(options.runbooks.map((runbook) => [runbook.id, runbook]));
    this.ledger = new RunLedger(options.services.store, options.services.actor, {
      beforeChange: (runId) => this.live.get(runId)?.sink.flush(),
      changed: (runId) => this.emitRun(runId),
    });
    this.execution = new StepExecution({
      services: options.services,
      ledger: this.ledger,
      definitions: (live) => this.definitions(live),
      emitRun: (runId) => this.emitRun(runId),
      emitProgress: (event) => this.events.emit('progress', event),
      progressIntervalMs: options.progressIntervalMs ?? 250,
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
    return [...this.runbooks.values()].map((runbook) => {
      // The steps for the defaults: required parameters without a default are blank, which only the
      // choice of steps may look at (a runbook's steps() must not need real values).
      const defaults: JsonObject = {};
      for (const param of runbook.params) defaults[param.name] = param.default ?? '';
      let steps: StepDefinition[] = [];
      try {
        steps = runbook.steps(defaults);
      } catch {
        steps = [];
      }
      return {
        id: runbook.id,
        title: runbook.title,
        summary: runbook.summary,
        params: runbook.params.map((param) => ({ ...param })),
        steps: steps.map((step) => ({
          id: step.id,
          kind: step.kind,
          title: step.title,
          why: step.why,
          severity: step.severity ?? null,
        })),
      };
    });
  }

  runbook(id: string): RunbookDefinition {
    const runbook = this.runbooks.get(id);
    if (!runbook) {
      throw new RunRefusal(
        `No runbook '${id}'. Known runbooks: ${[...this.runbooks.keys()].join(', ') || 'none'}`,
        'not-found',
        'runbookId',
      );
    }
    return runbook;
  }

  get(runId: string): RunView {
    const run = this.ledger.requireRun(runId);
    return this.viewOf(run);
  }

  /** A run by its id or a unique prefix of it (at least 4 characters), as an operator types it. */
  resolveId(idOrPrefix: string): string {
    if (this.repo.get(idOrPrefix)) return idOrPrefix;
    if (idOrPrefix.length >= 4) {
      const matches = this.repo.findByPrefix(idOrPrefix, 2);
      if (matches.length === 1) return matches[0]!.id;
      if (matches.length > 1) {
        throw new RunRefusal(`'${idOrPrefix}' matches several runs: type more of the id`, 'invalid', 'runId');
      }
    }
    throw new RunRefusal(
      `No run with id '${idOrPrefix}' in this store (check the id, or the --data-dir)`,
      'not-found',
      'runId',
    );
  }

  list(query: RunsQuery = {}): RunSummary[] {
    return this.repo.list(query).map((run) => buildRunSummary(run, this.repo.steps(run.id)));
  }

  /** Output lines in print order, paged forward from `afterSeq`. */
  output(
    runId: string,
    query: { index?: number; afterSeq?: number; limit?: number } = {},
  ): { lines: RunOutputLine[]; nextSeq: number; done: boolean } {
    this.ledger.requireRun(runId);
    this.live.get(runId)?.sink.flush();
    const limit = query.limit ?? 500;
    const lines = this.repo.output(runId, { ...query, limit });
    const nextSeq = lines.length > 0 ? lines[lines.length - 1]!.seq : (query.afterSeq ?? 0);
    return { lines: lines.map(toLine), nextSeq, done: lines.length < limit };
  }

  /** The last `limit` lines of a run (or of one step). */
  tail(runId: string, query: { index?: number; limit: number }): RunOutputLine[] {
    this.live.get(runId)?.sink.flush();
    return this.repo.tailOutput(runId, query).map(toLine);
  }

  /** The run's audit events, newest first. */
  auditEvents(runId: string, query: { limit?: number; beforeId?: number } = {}): AuditEvent[] {
    return this.services.store.events.list({ target: `run:${runId}`, ...query });
  }

  /** The run's report (Markdown or self-contained HTML), and a file name for it. */
  report(runId: string, format: ReportFormat): { format: ReportFormat; fileName: string; content: string } {
    const run = this.get(runId);
    this.live.get(runId)?.sink.flush();
    const outputs = new Map<number, StepOutputExcerpt>();
    for (const step of run.steps) {
      if (step.outputLines === 0) continue;
      outputs.set(step.index, {
        lines: this.repo.tailOutput(runId, { index: step.index, limit: REPORT_OUTPUT_LINES }).map(toLine),
        stored: step.outputLines,
        dropped: step.outputDropped,
      });
    }
    const events: AuditEvent[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = this.auditEvents(runId, { limit: 1000, ...(beforeId !== undefined ? { beforeId } : {}) });
      events.push(...page);
      if (page.length < 1000 || events.length >= REPORT_EVENTS) break;
      beforeId = page[page.length - 1]!.id;
    }
    const content = renderRunReport(
      {
        run,
        outputs,
        events: events.slice(0, REPORT_EVENTS).reverse(),
        eventsTruncated: events.length > REPORT_EVENTS,
        generatedAt: this.services.now(),
        generatedBy: this.actor,
      },
      format,
    );
    return { format, fileName: reportFileName(run, format), content };
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
    // A misspelt optional parameter must not silently run with its default (mode=mirror typed as mdoe).
    const known = new Set(runbook.params.map((param) => param.name));
    const unknown = Object.keys((rawParams ?? {}) as object).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new RunRefusal(
        `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')} for ${runbook.id}; it takes ${[...known].join(', ')}`,
        'invalid',
        unknown[0],
        unknown.map((name) => ({
          field: name,
          message: `unknown parameter; ${runbook.id} takes ${[...known].join(', ')}`,
        })),
      );
    }
    const parsed = runbook.schema.safeParse(rawParams ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const message = issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('; ');
      throw new RunRefusal(
        `Invalid parameters for ${runbook.id}: ${message}`,
        'invalid',
        issues[0]?.path.join('.') || undefined,
        issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
      );
    }
    const params = parsed.data;
    for (const param of runbook.params) {
      const value = params[param.name];
      if (param.input !== 'connection' || typeof value !== 'string' || value === '') continue;
      try {
        this.services.connection(value);
      } catch (error) {
        throw new RunRefusal(`${param.name}: ${messageOf(error)}`, 'invalid', param.name, [
          { field: param.name, message: messageOf(error) },
        ]);
      }
    }
    const steps = runbook.steps(params);
    checkStepList(runbook.id, steps);
    const id = randomUUID();
    const detail: RunDetail = {
      precheckOnly: false,
      holdBefore: null,
      lease: null,
      message: null,
      rollbacks: [],
    };
    this.services.store.transaction(() => {
      this.repo.create({
        id,
        runbookId: runbook.id,
        title: runbook.title,
        params,
        state: 'draft',
        operator: this.actor,
        detail: asJson(detail),
        steps: steps.map((step) => {
          const record: StepRecord = { why: step.why };
          if (step.severity) record.severity = step.severity;
          if (step.rollback) record.rollbackLabel = step.rollback.label;
          return {
            stepId: step.id,
            kind: step.kind,
            title: step.title,
            state: 'pending',
            record: asJson(record),
          };
        }),
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
    this.kick(live);
    return this.get(runId);
  }

  async pause(runId: string): Promise<RunView> {
    const live = this.control(runId, 'pause');
    this.ledger.runTo(live.id, 'paused', 'paused', { message: `Paused by ${this.actor}. Resume to go on.` });
    await this.stopExecution(live, 'pause');
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
    this.kick(live);
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
    this.kick(live);
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
      this.kick(live);
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
    if (typed !== run.id && typed !== run.id.slice(0, SHORT_ID)) {
      throw new RunRefusal(
        `To abort, type the run id (${run.id.slice(0, SHORT_ID)}): an aborted run cannot be resumed`,
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
    await this.stopExecution(live, 'abort');
    const current = this.ledger.requireRun(runId).currentStep;
    const step = current === null ? undefined : this.repo.step(runId, current);
    if (step?.state === 'waiting-for-operator') {
      this.ledger.stepTo(live.id, step.index, 'skipped', 'skipped', {
        skipReason: `The run was aborted${reason ? `: ${reason}` : ''}`,
        endedAt: this.services.now(),
        record: { awaiting: null },
      });
    }
    this.release(live);
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
    this.kick(live);
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
    this.kick(live);
    return this.get(runId);
  }

  /** Runs the rollback of the latest step (at or before the current one) that defines one. */
  rollback(runId: string, input: { stepIndex?: number } = {}): RunView {
    const live = this.control(runId, 'rollback');
    const view = this.get(runId);
    const index = input.stepIndex ?? view.rollback!.stepIndex;
    const definition = this.definitions(live).steps[index];
    const step = view.steps[index];
    if (!definition?.rollback || !step || step.attempts === 0 || index > (view.currentStep ?? -1)) {
      throw new RunRefusal(
        `Step ${index + 1} has no rollback that applies now (it must define one and have run)`,
        'invalid',
        'stepIndex',
      );
    }
    if (view.state === 'running') {
      this.ledger.runTo(live.id, 'paused', 'paused', {
        message: `Paused for the rollback '${definition.rollback.label}'.`,
      });
    }
    const startedAt = this.services.now();
    const detail = runDetailOf(this.ledger.requireRun(runId).detail);
    const rollbacks = [...(detail.rollbacks ?? [])];
    const position = rollbacks.length;
    rollbacks.push({
      stepIndex: index,
      label: definition.rollback.label,
      state: 'running',
      summary: null,
      startedAt,
      endedAt: null,
      by: this.actor,
    });
    this.services.store.transaction(() => {
      this.ledger.updateDetail(runId, { rollbacks });
      this.ledger.audit(runId, 'run.rollback-started', {
        stepIndex: index,
        stepId: step.id,
        label: definition.rollback!.label,
      });
    });
    this.emitRun(runId);
    const execute = definition.rollback.execute;
    live.rollback = (async () => {
      live.sink.write(index, `Rollback '${definition.rollback!.label}' started by ${this.actor}`);
      const { outcome } = await this.execution.run(live, index, step.attempts, (ctx) => execute(ctx));
      const succeeded = outcome.status === 'succeeded';
      const summary = outcomeSummary(outcome);
      live.sink.write(index, `Rollback ${succeeded ? 'succeeded' : 'did not succeed'}: ${summary}`);
      live.sink.flush();
      const now = this.services.now();
      const after = [...(runDetailOf(this.ledger.requireRun(runId).detail).rollbacks ?? [])];
      after[position] = {
        ...after[position]!,
        state: succeeded ? 'succeeded' : 'failed',
        summary,
        endedAt: now,
      };
      this.services.store.transaction(() => {
        const current = this.ledger.requireRun(runId);
        const message =
          current.state === 'aborted'
            ? undefined
            : `Rollback '${definition.rollback!.label}' ${succeeded ? 'succeeded' : 'failed'}: ${summary.replace(/\.+$/, '')}. Resume, retry, or abort the run.`;
        this.ledger.updateDetail(runId, { rollbacks: after, ...(message ? { message } : {}) });
        this.ledger.audit(runId, 'run.rollback-finished', {
          stepIndex: index,
          stepId: step.id,
          label: definition.rollback!.label,
          status: outcome.status,
          summary,
        });
      });
    })().finally(() => {
      // Not busy any more: emitted only now, or the view would keep offering nothing but Abort.
      live.rollback = null;
      this.emitRun(runId);
    });
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
    const lives = [...this.live.values()];
    await Promise.all(lives.map((live) => this.stopExecution(live, 'shutdown')));
    await withTimeout(
      Promise.allSettled(lives.flatMap((live) => [live.driving, live.rollback].filter(isPromise))),
      this.options.settleTimeoutMs ?? DEFAULT_SETTLE_MS,
    );
    for (const live of lives) {
      this.release(live);
      live.sink.close();
    }
    this.live.clear();
  }

  // ------------------------------------------------------------------ driving

  private kick(live: LiveRun): void {
    if (this.closing) return;
    if (live.driving) {
      live.again = true;
      return;
    }
    live.driving = (async () => {
      try {
        do {
          live.again = false;
          await this.drive(live);
        } while (live.again && !this.closing);
      } catch (error) {
        this.driveFailed(live, error);
      } finally {
        live.driving = null;
      }
    })();
  }

  private async drive(live: LiveRun): Promise<void> {
    for (;;) {
      if (this.closing) return;
      const run = this.ledger.requireRun(live.id);
      if (run.state !== 'running') return;
      const steps = this.repo.steps(live.id);
      const typed = steps.map((step) => ({ state: step.state as StepState, kind: step.kind as StepKind }));
      const index = nextStepIndex(typed);
      if (index === null) {
        this.ledger.runTo(live.id, 'completed', 'completed', {
          endedAt: this.services.now(),
          message: runDetailOf(run.detail).precheckOnly
            ? 'Completed: the prechecks passed and every step ran.'
            : null,
        });
        this.release(live);
        return;
      }
      if (run.currentStep !== index) {
        this.repo.update(live.id, { currentStep: index });
        this.emitRun(live.id);
      }
      const detail = runDetailOf(run.detail);
      if (detail.holdBefore !== null && detail.holdBefore !== undefined && index >= detail.holdBefore) {
        this.services.store.transaction(() => {
          this.ledger.updateDetail(live.id, { holdBefore: null });
          this.ledger.runTo(live.id, 'paused', 'paused', {
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
            await this.execution.execute(live, member);
            if (live.stop || this.ledger.requireRun(live.id).state !== 'running') break;
          }
          break;
        }
        case 'waiting-for-operator':
          if (stepRecordOf(step.record).checkPending) {
            await this.execution.check(live, index);
            break;
          }
          return;
        case 'failed':
          this.ledger.runTo(live.id, 'failed', 'failed', { message: null });
          return;
        case 'running':
          // Only a run this process did not start can have a running step here: recover it.
          await this.execution.recover(live, step);
          break;
        default:
          return;
      }
    }
  }

  private async recoverRun(runId: string): Promise<void> {
    const live = this.claim(runId);
    const running = this.repo.steps(runId).filter((step) => step.state === 'running');
    this.ledger.audit(runId, 'run.recovered', {
      runningSteps: running.map((step) => ({ stepIndex: step.index, stepId: step.stepId })),
    });
    for (const step of running) await this.execution.recover(live, step);
    this.emitRun(runId);
    this.kick(live);
  }

  private driveFailed(live: LiveRun, error: unknown): void {
    const message = messageOf(error);
    try {
      const run = this.ledger.requireRun(live.id);
      const index = run.currentStep ?? 0;
      live.sink.write(index, `Internal error in the runner: ${message}`, 'stderr');
      live.sink.flush();
      if (run.state === 'running') {
        this.ledger.runTo(live.id, 'failed', 'failed', {
          message: `Internal error in the runner: ${message}`,
        });
      }
    } catch {
      // The store itself failed; nothing more can be recorded.
    }
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
        `Run ${shortId(runId)} is being run by process ${lease!.pid} on this machine (the app or an mdesk command): control it there, or stop that process first`,
        'busy',
      );
    }
    const view = this.get(runId);
    if (!view.allowedActions.includes(action)) {
      const current = view.currentStep === null ? undefined : view.steps[view.currentStep];
      const where = current ? `; step ${current.index + 1} '${current.title}' is ${current.state}` : '';
      throw new RunRefusal(
        `Cannot ${action} run ${shortId(runId)} now: it is ${view.state}${where}. Allowed now: ${view.allowedActions.join(', ') || 'nothing'}`,
        'conflict',
      );
    }
    return this.claim(runId);
  }

  /** This process drives the run from now on (its lease is written). */
  private claim(runId: string): LiveRun {
    let live = this.live.get(runId);
    const run = this.ledger.requireRun(runId);
    const detail = runDetailOf(run.detail);
    if (!isOwnLease(detail.lease)) {
      if (heldElsewhere(detail.lease)) {
        throw new RunRefusal(
          `Run ${shortId(runId)} is being run by process ${detail.lease!.pid} on this machine: stop that process first`,
          'busy',
        );
      }
      this.ledger.updateDetail(runId, { lease: ownLease(this.services.now()) });
    }
    if (!live) {
      live = {
        id: runId,
        sink: new RunOutputSink(
          runId,
          this.repo,
          (line) => this.events.emit('output', line),
          () => this.services.now(),
          this.options.outputLimitPerStep,
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
      this.live.set(runId, live);
    }
    return live;
  }

  private release(live: LiveRun): void {
    live.sink.flush();
    const run = this.repo.get(live.id);
    if (run && isOwnLease(runDetailOf(run.detail).lease)) this.ledger.updateDetail(live.id, { lease: null });
    this.emitRun(live.id);
  }

  private async stopExecution(live: LiveRun, kind: StopKind): Promise<void> {
    const execution = live.execution;
    if (!execution) return;
    live.stop = kind;
    execution.controller.abort(new RunStop(kind));
    await withTimeout(execution.settled, this.options.settleTimeoutMs ?? DEFAULT_SETTLE_MS);
    // The drive loop settles the step; let it finish its state change before answering.
    if (live.driving) await withTimeout(live.driving, 1000);
  }

  /** The run's parameters and step definitions, checked against the steps it was created with. */
  private definitions(live: LiveRun): RunDefinitions {
    if (live.definitions) return live.definitions;
    const run = this.ledger.requireRun(live.id);
    const runbook = this.runbooks.get(run.runbookId);
    if (!runbook) {
      throw new RunRefusal(
        `Run ${shortId(run.id)} uses runbook '${run.runbookId}', which this version of Migration Desk does not have: abort the run`,
        'conflict',
      );
    }
    const parsed = runbook.schema.safeParse(run.params);
    if (!parsed.success) {
      throw new RunRefusal(
        `Run ${shortId(run.id)} has parameters this version of runbook '${run.runbookId}' no longer accepts: abort it and start a new run`,
        'conflict',
      );
    }
    const steps = runbook.steps(parsed.data);
    const stored = this.repo.steps(run.id);
    const mismatch = stored.find((step) => steps[step.index]?.id !== step.stepId);
    if (mismatch || stored.length !== steps.length) {
      throw new RunRefusal(
        `Run ${shortId(run.id)} was created with another version of runbook '${run.runbookId}' (its steps differ): abort it and start a new run`,
        'conflict',
      );
    }
    live.definitions = { params: parsed.data, steps };
    return live.definitions;
  }

  private viewOf(run: RunRecord): RunView {
    const live = this.live.get(run.id);
    const lease = runDetailOf(run.detail).lease;
    const self = isOwnLease(lease);
    const driver =
      lease && (self || heldElsewhere(lease)) ? { pid: lease.pid, host: lease.host, self } : null;
    const counts = live ? live.sink.counts() : this.repo.outputCounts(run.id);
    const view = buildRunView(run, this.repo.steps(run.id), {
      driver,
      busy: Boolean(live?.rollback) || Boolean(live?.stop),
      outputCounts: counts,
    });
    // A live meter is fresher than the record it is saved to every few seconds.
    if (live?.meter?.current && live.execution) {
      const step = view.steps[live.execution.index];
      if (step) step.progress = live.meter.current;
    }
    return view;
  }

  private emitRun(runId: string): void {
    if (this.events.listenerCount('run') === 0) return;
    const run = this.repo.get(runId);
    if (run) this.events.emit('run', this.viewOf(run));
  }
}

type StepKind = StepDefinition['kind'];

function toLine(record: RunOutputRecord): RunOutputLine {
  return { ...record };
}

function isPromise(value: Promise<void> | null): value is Promise<void> {
  return value !== null;
}

function checkStepList(runbookId: string, steps: readonly StepDefinition[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) {
      throw new RunRefusal(
        `Runbook ${runbookId} has two steps with the id '${step.id}' (a runbook bug)`,
        'invalid',
      );
    }
    seen.add(step.id);
  }
  if (steps.length === 0)
    throw new RunRefusal(`Runbook ${runbookId} has no steps for these parameters`, 'invalid');
}

function shortId(runId: string): string {
  return runId.slice(0, SHORT_ID);
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
