/**
 * The runner's read side: the runbook catalog, a run's view (with what only this process knows: who
 * drives it, whether something is in progress, the live progress meter), run lists, output pages and
 * tails, the audit trail and the report. Nothing here changes a run; it only flushes the output sink
 * first, so what is read is what was printed.
 */
import type { AuditEvent } from '../../shared/api/audit';
import type { RunbookInfo, RunOutputLine, RunSummary, RunView } from '../../shared/api/run-views';
import type { RunOutputRecord, RunRecord, RunsQuery } from '../store/runs-repo';
import type { JsonObject } from '../store/types';
import type { LiveRun } from './live-run';
import { heldElsewhere, isOwnLease } from './run-lease';
import type { RunLedger } from './run-ledger';
import {
  REPORT_EVENTS,
  REPORT_OUTPUT_LINES,
  type ReportFormat,
  renderRunReport,
  reportFileName,
  type StepOutputExcerpt,
} from './run-report';
import type { RunServices } from './run-services';
import { buildRunSummary, buildRunView } from './run-view';
import type { RunbookDefinition, StepDefinition } from './runbook-definition';
import { RunRefusal } from './runner-errors';
import { runDetailOf } from './step-record';

export interface RunQueriesDeps {
  services: RunServices;
  runbooks: ReadonlyMap<string, RunbookDefinition>;
  ledger: RunLedger;
  /** What this process holds for the run, when it drives it. */
  liveOf(runId: string): LiveRun | undefined;
}

/** Audit events are read in pages of this many for the report. */
const AUDIT_PAGE = 1000;
const DEFAULT_OUTPUT_PAGE = 500;

export class RunQueries {
  constructor(private readonly deps: RunQueriesDeps) {}

  private get repo() {
    return this.deps.services.store.runs;
  }

  catalog(): RunbookInfo[] {
    return [...this.deps.runbooks.values()].map((runbook) => {
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
    const runbook = this.deps.runbooks.get(id);
    if (!runbook) {
      throw new RunRefusal(
        `No runbook '${id}'. Known runbooks: ${[...this.deps.runbooks.keys()].join(', ') || 'none'}`,
        'not-found',
        'runbookId',
      );
    }
    return runbook;
  }

  get(runId: string): RunView {
    return this.viewOf(this.deps.ledger.requireRun(runId));
  }

  /** The run as the API shows it; `run` may be one just read for an event. */
  viewOf(run: RunRecord): RunView {
    const live = this.deps.liveOf(run.id);
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
    this.deps.ledger.requireRun(runId);
    this.flush(runId);
    const limit = query.limit ?? DEFAULT_OUTPUT_PAGE;
    const lines = this.repo.output(runId, { ...query, limit });
    const nextSeq = lines.length > 0 ? lines[lines.length - 1]!.seq : (query.afterSeq ?? 0);
    return { lines: lines.map(toLine), nextSeq, done: lines.length < limit };
  }

  /** The last `limit` lines of a run (or of one step). */
  tail(runId: string, query: { index?: number; limit: number }): RunOutputLine[] {
    this.flush(runId);
    return this.repo.tailOutput(runId, query).map(toLine);
  }

  /** The run's audit events, newest first. */
  auditEvents(runId: string, query: { limit?: number; beforeId?: number } = {}): AuditEvent[] {
    return this.deps.services.store.events.list({ target: `run:${runId}`, ...query });
  }

  /** The run's report (Markdown or self-contained HTML), and a file name for it. */
  report(runId: string, format: ReportFormat): { format: ReportFormat; fileName: string; content: string } {
    const run = this.get(runId);
    this.flush(runId);
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
      const page = this.auditEvents(runId, {
        limit: AUDIT_PAGE,
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      events.push(...page);
      if (page.length < AUDIT_PAGE || events.length >= REPORT_EVENTS) break;
      beforeId = page[page.length - 1]!.id;
    }
    const content = renderRunReport(
      {
        run,
        outputs,
        events: events.slice(0, REPORT_EVENTS).reverse(),
        eventsTruncated: events.length > REPORT_EVENTS,
        generatedAt: this.deps.services.now(),
        generatedBy: this.deps.services.actor,
      },
      format,
    );
    return { format, fileName: reportFileName(run, format), content };
  }

  private flush(runId: string): void {
    this.deps.liveOf(runId)?.sink.flush();
  }
}

function toLine(record: RunOutputRecord): RunOutputLine {
  return { ...record };
}
