/**
 * Engine runs: what ran, with which parameters, where it stands, and its result. Parameters are kept
 * so a run can be resumed and reported; they must never hold a secret (design, section 8), so this
 * repository refuses any parameter that looks like a credential rather than trusting every caller.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EngineRun, EngineRunChanges, EngineRunsRepo, JsonObject, NewEngineRun } from './types';

export class EngineRunNotFoundError extends Error {
  override name = 'EngineRunNotFoundError';
  constructor(readonly runId: string) {
    super(`No engine run with id '${runId}' exists in this store (check the id, or the --data-dir)`);
  }
}

export class SecretInParamsError extends Error {
  override name = 'SecretInParamsError';
  constructor(readonly field: string) {
    super(
      `Engine run parameters must not hold secrets, but '${field}' looks like a credential: pass credentials at run time, never as a stored parameter`,
    );
  }
}

export class DuplicateRunIdError extends Error {
  override name = 'DuplicateRunIdError';
  constructor(readonly runId: string) {
    super(
      `An engine run with id '${runId}' already exists: choose another --run-id, or resume it with --resume ${runId}`,
    );
  }
}

interface EngineRunRow {
  id: string;
  kind: string;
  params: string;
  state: string;
  phase: string | null;
  progress: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, kind, params, state, phase, progress, result, created_at, updated_at';
const SECRET_KEY = /^(digest_?auth|password|passwd|secret|credentials?|auth|token)$/i;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Throws SecretInParamsError when any key that names a credential holds a value. */
export function assertNoSecrets(value: unknown, path = 'params'): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertNoSecrets(item, `${path}[${index}]`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const field = `${path}.${key}`;
    const holdsValue =
      (typeof child === 'string' && child !== '') ||
      (Array.isArray(child) && child.some((item) => typeof item === 'string' && item !== ''));
    if (SECRET_KEY.test(key) && holdsValue) throw new SecretInParamsError(field);
    assertNoSecrets(child, field);
  }
}

export function createEngineRunsRepo(db: Database.Database, now: () => number): EngineRunsRepo {
  const insertStmt = db.prepare<[EngineRunRow]>(
    `INSERT INTO engine_runs (${COLUMNS}) VALUES (@id, @kind, @params, @state, @phase, @progress, @result, @created_at, @updated_at)`,
  );
  const getStmt = db.prepare<[string], EngineRunRow>(`SELECT ${COLUMNS} FROM engine_runs WHERE id = ?`);
  const listAllStmt = db.prepare<[number], EngineRunRow>(
    `SELECT ${COLUMNS} FROM engine_runs ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const listKindStmt = db.prepare<[string, number], EngineRunRow>(
    `SELECT ${COLUMNS} FROM engine_runs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const updateStmt = db.prepare<[EngineRunRow]>(
    `UPDATE engine_runs SET state = @state, phase = @phase, progress = @progress, result = @result,
       updated_at = @updated_at WHERE id = @id`,
  );

  return {
    create(run: NewEngineRun): EngineRun {
      assertNoSecrets(run.params);
      const at = now();
      const row: EngineRunRow = {
        id: run.id ?? randomUUID(),
        kind: run.kind,
        params: JSON.stringify(run.params),
        state: run.state,
        phase: run.phase ?? null,
        progress: null,
        result: null,
        created_at: at,
        updated_at: at,
      };
      try {
        insertStmt.run(row);
      } catch (error) {
        const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicateRunIdError(row.id);
        throw error;
      }
      return toRun(row);
    },

    get(id) {
      const row = getStmt.get(id);
      return row ? toRun(row) : undefined;
    },

    list(query = {}) {
      const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)));
      const rows = query.kind ? listKindStmt.all(query.kind, limit) : listAllStmt.all(limit);
      return rows.map(toRun);
    },

    update(id: string, changes: EngineRunChanges): EngineRun {
      const current = getStmt.get(id);
      if (!current) throw new EngineRunNotFoundError(id);
      if (changes.result) assertNoSecrets(changes.result, 'result');
      const next: EngineRunRow = {
        ...current,
        state: changes.state ?? current.state,
        phase: changes.phase === undefined ? current.phase : changes.phase,
        progress: changes.progress === undefined ? current.progress : json(changes.progress),
        result: changes.result === undefined ? current.result : json(changes.result),
        updated_at: now(),
      };
      updateStmt.run(next);
      return toRun(next);
    },
  };
}

function json(value: JsonObject | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

function toRun(row: EngineRunRow): EngineRun {
  return {
    id: row.id,
    kind: row.kind,
    params: JSON.parse(row.params) as JsonObject,
    state: row.state,
    phase: row.phase,
    progress: row.progress === null ? null : (JSON.parse(row.progress) as JsonObject),
    result: row.result === null ? null : (JSON.parse(row.result) as JsonObject),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
