/**
 * Runbook runs: the runs table (one row per run: parameters, state, where it stands), run_steps (the
 * step list copied in when the run is created, each step's state, attempts, times and its record) and
 * run_output (the lines steps printed). The runner owns what states mean and which changes are
 * allowed; this repository stores them, refuses secrets in anything it keeps as JSON, and bounds
 * what it returns.
 */
import type Database from 'better-sqlite3';
import { assertNoSecrets, SecretInParamsError } from './engine-runs-repo';
import type { JsonObject } from './types';

export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`No run with id '${runId}' in this store (check the id, or the --data-dir)`);
  }
}

export class RunSecretError extends Error {
  override name = 'RunSecretError';
  constructor(readonly field: string) {
    super(
      `Runs must not store secrets, but '${field}' looks like a credential: keep credentials in the saved ` +
        'connection (or MDESK_ZK_AUTH for the CLI), never in a run parameter or result',
    );
  }
}

export type OutputStream = 'log' | 'stdout' | 'stderr';

export interface RunRecord {
  id: string;
  runbookId: string;
  title: string;
  params: JsonObject;
  state: string;
  currentStep: number | null;
  operator: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  /** The runner's bookkeeping (lease, message, rollbacks, precheck-only): never a secret. */
  detail: JsonObject | null;
}

export interface RunStepRecord {
  runId: string;
  index: number;
  stepId: string;
  kind: string;
  title: string;
  state: string;
  attempts: number;
  startedAt: number | null;
  endedAt: number | null;
  /** The step's record (column `result`): the executor's result plus what the runner tracks for it. */
  record: JsonObject | null;
  note: string | null;
  skipReason: string | null;
}

export interface RunOutputRecord {
  runId: string;
  index: number;
  seq: number;
  at: number;
  stream: OutputStream;
  line: string;
}

export interface NewRun {
  id: string;
  runbookId: string;
  title: string;
  params: JsonObject;
  state: string;
  operator: string;
  detail?: JsonObject | null;
  steps: { stepId: string; kind: string; title: string; state: string; record?: JsonObject | null }[];
}

export interface RunChanges {
  state?: string;
  currentStep?: number | null;
  startedAt?: number | null;
  endedAt?: number | null;
  detail?: JsonObject | null;
}

export interface RunStepChanges {
  state?: string;
  attempts?: number;
  startedAt?: number | null;
  endedAt?: number | null;
  record?: JsonObject | null;
  note?: string | null;
  skipReason?: string | null;
}

export interface RunsQuery {
  runbookId?: string;
  states?: readonly string[];
  /** Matched (case-insensitive, literally) against the id, runbook, title and parameters. */
  text?: string;
  /** created_at bounds, epoch ms, inclusive. */
  from?: number;
  to?: number;
  limit?: number;
  /** Paging: runs created before this run (newest first). */
  beforeId?: string;
}

export interface RunsRepo {
  create(run: NewRun): RunRecord;
  get(id: string): RunRecord | undefined;
  /** Runs whose id starts with `prefix` (at most `limit`), so an operator can type a short id. */
  findByPrefix(prefix: string, limit?: number): RunRecord[];
  /** Newest first. */
  list(query?: RunsQuery): RunRecord[];
  /** Runs in one of these states, oldest first (crash recovery). */
  listByState(states: readonly string[]): RunRecord[];
  update(id: string, changes: RunChanges): RunRecord;
  steps(runId: string): RunStepRecord[];
  step(runId: string, index: number): RunStepRecord | undefined;
  updateStep(runId: string, index: number, changes: RunStepChanges): RunStepRecord;
  /** Appends lines with the given (run-wide, increasing) sequence numbers. */
  appendOutput(lines: readonly RunOutputRecord[]): void;
  /** Lines in print order; `afterSeq` pages forward, `index` keeps one step's lines. */
  output(runId: string, query?: { index?: number; afterSeq?: number; limit?: number }): RunOutputRecord[];
  /** The last `limit` lines (of one step, or of the run), in print order. */
  tailOutput(runId: string, query: { index?: number; limit: number }): RunOutputRecord[];
  /** Stored lines per step index. */
  outputCounts(runId: string): Map<number, number>;
  /** The highest sequence number stored for the run (0 when none). */
  maxOutputSeq(runId: string): number;
}

interface RunRow {
  id: string;
  runbook_id: string;
  title: string;
  params: string;
  state: string;
  current_step: number | null;
  operator: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number;
  detail: string | null;
}

interface StepRow {
  run_id: string;
  idx: number;
  step_id: string;
  kind: string;
  title: string;
  state: string;
  attempts: number;
  started_at: number | null;
  ended_at: number | null;
  result: string | null;
  note: string | null;
  skip_reason: string | null;
}

interface OutputRow {
  run_id: string;
  idx: number;
  seq: number;
  at: number;
  stream: OutputStream;
  line: string;
}

const RUN_COLUMNS =
  'id, runbook_id, title, params, state, current_step, operator, created_at, started_at, ended_at, updated_at, detail';
const STEP_COLUMNS =
  'run_id, idx, step_id, kind, title, state, attempts, started_at, ended_at, result, note, skip_reason';
const OUTPUT_COLUMNS = 'run_id, idx, seq, at, stream, line';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_OUTPUT_PAGE = 5000;

function clamp(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}

/** assertNoSecrets with a message about runs rather than engine runs. */
function refuseSecrets(value: unknown, path: string): void {
  try {
    assertNoSecrets(value, path);
  } catch (error) {
    if (error instanceof SecretInParamsError) throw new RunSecretError(error.field);
    throw error;
  }
}

function json(value: JsonObject | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** LIKE with the operator's text taken literally: %, _ and the escape itself are escaped. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function createRunsRepo(db: Database.Database, now: () => number): RunsRepo {
  const insertRun = db.prepare<[RunRow]>(
    `INSERT INTO runs (${RUN_COLUMNS}) VALUES (@id, @runbook_id, @title, @params, @state, @current_step,
       @operator, @created_at, @started_at, @ended_at, @updated_at, @detail)`,
  );
  const insertStep = db.prepare<[StepRow]>(
    `INSERT INTO run_steps (${STEP_COLUMNS}) VALUES (@run_id, @idx, @step_id, @kind, @title, @state,
       @attempts, @started_at, @ended_at, @result, @note, @skip_reason)`,
  );
  const getRun = db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`);
  const prefixRuns = db.prepare<[{ prefix: string; limit: number }], RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE id >= @prefix AND substr(id, 1, length(@prefix)) = @prefix
     ORDER BY id LIMIT @limit`,
  );
  const byState = (count: number) =>
    db.prepare<string[], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE state IN (${Array.from({ length: count }, () => '?').join(', ')})
       ORDER BY created_at, rowid`,
    );
  const updateRun = db.prepare<[RunRow]>(
    `UPDATE runs SET state = @state, current_step = @current_step, started_at = @started_at,
       ended_at = @ended_at, updated_at = @updated_at, detail = @detail WHERE id = @id`,
  );
  const listSteps = db.prepare<[string], StepRow>(
    `SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = ? ORDER BY idx`,
  );
  const getStep = db.prepare<[string, number], StepRow>(
    `SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = ? AND idx = ?`,
  );
  const updateStepStmt = db.prepare<[StepRow]>(
    `UPDATE run_steps SET state = @state, attempts = @attempts, started_at = @started_at,
       ended_at = @ended_at, result = @result, note = @note, skip_reason = @skip_reason
     WHERE run_id = @run_id AND idx = @idx`,
  );
  const touchRun = db.prepare<[number, string]>('UPDATE runs SET updated_at = ? WHERE id = ?');
  const insertOutput = db.prepare<[OutputRow]>(
    `INSERT INTO run_output (${OUTPUT_COLUMNS}) VALUES (@run_id, @idx, @seq, @at, @stream, @line)`,
  );
  const outputAll = db.prepare<[string, number, number], OutputRow>(
    `SELECT ${OUTPUT_COLUMNS} FROM run_output WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const outputStep = db.prepare<[string, number, number, number], OutputRow>(
    `SELECT ${OUTPUT_COLUMNS} FROM run_output WHERE run_id = ? AND idx = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const tailAll = db.prepare<[string, number], OutputRow>(
    `SELECT ${OUTPUT_COLUMNS} FROM run_output WHERE run_id = ? ORDER BY seq DESC LIMIT ?`,
  );
  const tailStep = db.prepare<[string, number, number], OutputRow>(
    `SELECT ${OUTPUT_COLUMNS} FROM run_output WHERE run_id = ? AND idx = ? ORDER BY seq DESC LIMIT ?`,
  );
  const counts = db.prepare<[string], { idx: number; lines: number }>(
    'SELECT idx, count(*) AS lines FROM run_output WHERE run_id = ? GROUP BY idx',
  );
  const maxSeq = db.prepare<[string], { seq: number | null }>(
    'SELECT max(seq) AS seq FROM run_output WHERE run_id = ?',
  );
  const listStatements = new Map<string, Database.Statement<[Record<string, unknown>], RunRow>>();

  const listStatement = (query: RunsQuery, stateCount: number) => {
    const where: string[] = [];
    if (query.runbookId !== undefined) where.push('runbook_id = @runbookId');
    if (stateCount > 0)
      where.push(`state IN (${Array.from({ length: stateCount }, (_, i) => `@state${i}`).join(', ')})`);
    if (query.text) {
      where.push(
        "(id LIKE @text ESCAPE '\\' OR runbook_id LIKE @text ESCAPE '\\' OR title LIKE @text ESCAPE '\\' OR params LIKE @text ESCAPE '\\')",
      );
    }
    if (query.from !== undefined) where.push('created_at >= @from');
    if (query.to !== undefined) where.push('created_at <= @to');
    if (query.beforeId !== undefined) {
      where.push('(created_at, rowid) < (SELECT created_at, rowid FROM runs WHERE id = @beforeId)');
    }
    const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`;
    let stmt = listStatements.get(sql);
    if (!stmt) {
      stmt = db.prepare<[Record<string, unknown>], RunRow>(sql);
      listStatements.set(sql, stmt);
    }
    return stmt;
  };

  const requireRun = (id: string): RunRow => {
    const row = getRun.get(id);
    if (!row) throw new RunNotFoundError(id);
    return row;
  };

  return {
    create(run) {
      refuseSecrets(run.params, 'params');
      if (run.detail) refuseSecrets(run.detail, 'detail');
      const at = now();
      const row: RunRow = {
        id: run.id,
        runbook_id: run.runbookId,
        title: run.title,
        params: JSON.stringify(run.params),
        state: run.state,
        current_step: null,
        operator: run.operator,
        created_at: at,
        started_at: null,
        ended_at: null,
        updated_at: at,
        detail: json(run.detail),
      };
      db.transaction(() => {
        insertRun.run(row);
        run.steps.forEach((step, idx) => {
          if (step.record) refuseSecrets(step.record, `steps[${idx}]`);
          insertStep.run({
            run_id: run.id,
            idx,
            step_id: step.stepId,
            kind: step.kind,
            title: step.title,
            state: step.state,
            attempts: 0,
            started_at: null,
            ended_at: null,
            result: json(step.record),
            note: null,
            skip_reason: null,
          });
        });
      })();
      return toRun(row);
    },

    get(id) {
      const row = getRun.get(id);
      return row ? toRun(row) : undefined;
    },

    findByPrefix(prefix, limit = 2) {
      if (prefix === '') return [];
      return prefixRuns.all({ prefix, limit: clamp(limit, 2, MAX_LIMIT) }).map(toRun);
    },

    list(query = {}) {
      const states = query.states ?? [];
      const params: Record<string, unknown> = { limit: clamp(query.limit, DEFAULT_LIMIT, MAX_LIMIT) };
      if (query.runbookId !== undefined) params.runbookId = query.runbookId;
      states.forEach((state, i) => {
        params[`state${i}`] = state;
      });
      if (query.text) params.text = likePattern(query.text);
      if (query.from !== undefined) params.from = query.from;
      if (query.to !== undefined) params.to = query.to;
      if (query.beforeId !== undefined) params.beforeId = query.beforeId;
      return listStatement(query, states.length).all(params).map(toRun);
    },

    listByState(states) {
      if (states.length === 0) return [];
      return byState(states.length)
        .all(...states)
        .map(toRun);
    },

    update(id, changes) {
      const current = requireRun(id);
      if (changes.detail) refuseSecrets(changes.detail, 'detail');
      const next: RunRow = {
        ...current,
        state: changes.state ?? current.state,
        current_step: changes.currentStep === undefined ? current.current_step : changes.currentStep,
        started_at: changes.startedAt === undefined ? current.started_at : changes.startedAt,
        ended_at: changes.endedAt === undefined ? current.ended_at : changes.endedAt,
        detail: changes.detail === undefined ? current.detail : json(changes.detail),
        updated_at: now(),
      };
      updateRun.run(next);
      return toRun(next);
    },

    steps(runId) {
      return listSteps.all(runId).map(toStep);
    },

    step(runId, index) {
      const row = getStep.get(runId, index);
      return row ? toStep(row) : undefined;
    },

    updateStep(runId, index, changes) {
      const current = getStep.get(runId, index);
      if (!current) throw new RunNotFoundError(`${runId} (step ${index})`);
      if (changes.record) refuseSecrets(changes.record, `steps[${index}]`);
      const next: StepRow = {
        ...current,
        state: changes.state ?? current.state,
        attempts: changes.attempts ?? current.attempts,
        started_at: changes.startedAt === undefined ? current.started_at : changes.startedAt,
        ended_at: changes.endedAt === undefined ? current.ended_at : changes.endedAt,
        result: changes.record === undefined ? current.result : json(changes.record),
        note: changes.note === undefined ? current.note : changes.note,
        skip_reason: changes.skipReason === undefined ? current.skip_reason : changes.skipReason,
      };
      db.transaction(() => {
        updateStepStmt.run(next);
        touchRun.run(now(), runId);
      })();
      return toStep(next);
    },

    appendOutput(lines) {
      if (lines.length === 0) return;
      db.transaction(() => {
        for (const line of lines) {
          insertOutput.run({
            run_id: line.runId,
            idx: line.index,
            seq: line.seq,
            at: line.at,
            stream: line.stream,
            line: line.line,
          });
        }
      })();
    },

    output(runId, query = {}) {
      const after = query.afterSeq ?? 0;
      const limit = clamp(query.limit, 500, MAX_OUTPUT_PAGE);
      const rows =
        query.index === undefined
          ? outputAll.all(runId, after, limit)
          : outputStep.all(runId, query.index, after, limit);
      return rows.map(toOutput);
    },

    tailOutput(runId, query) {
      const limit = clamp(query.limit, 100, MAX_OUTPUT_PAGE);
      const rows =
        query.index === undefined ? tailAll.all(runId, limit) : tailStep.all(runId, query.index, limit);
      return rows.reverse().map(toOutput);
    },

    outputCounts(runId) {
      return new Map(counts.all(runId).map((row) => [row.idx, row.lines]));
    },

    maxOutputSeq(runId) {
      return maxSeq.get(runId)?.seq ?? 0;
    },
  };
}

function parse(text: string | null): JsonObject | null {
  return text === null ? null : (JSON.parse(text) as JsonObject);
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    runbookId: row.runbook_id,
    title: row.title,
    params: JSON.parse(row.params) as JsonObject,
    state: row.state,
    currentStep: row.current_step,
    operator: row.operator,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    updatedAt: row.updated_at,
    detail: parse(row.detail),
  };
}

function toStep(row: StepRow): RunStepRecord {
  return {
    runId: row.run_id,
    index: row.idx,
    stepId: row.step_id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    attempts: row.attempts,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    record: parse(row.result),
    note: row.note,
    skipReason: row.skip_reason,
  };
}

function toOutput(row: OutputRow): RunOutputRecord {
  return {
    runId: row.run_id,
    index: row.idx,
    seq: row.seq,
    at: row.at,
    stream: row.stream,
    line: row.line,
  };
}
