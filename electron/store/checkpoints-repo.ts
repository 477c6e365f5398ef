/**
 * Checkpoints of engine runs: per (run, unit) a cursor, a done flag and the counters that go with
 * them. Callers write a checkpoint inside the same Store.transaction as the progress it records
 * (design, section 4), so the file never says "done up to X" without the matching counts.
 */
import type Database from 'better-sqlite3';
import type { Checkpoint, CheckpointsRepo, JsonObject } from './types';

interface CheckpointRow {
  run_id: string;
  unit: string;
  cursor: string | null;
  done: number;
  state: string | null;
  updated_at: number;
}

const COLUMNS = 'run_id, unit, cursor, done, state, updated_at';

export function createCheckpointsRepo(db: Database.Database, now: () => number): CheckpointsRepo {
  const getStmt = db.prepare<[string, string], CheckpointRow>(
    `SELECT ${COLUMNS} FROM checkpoints WHERE run_id = ? AND unit = ?`,
  );
  const listStmt = db.prepare<[string], CheckpointRow>(
    `SELECT ${COLUMNS} FROM checkpoints WHERE run_id = ? ORDER BY rowid`,
  );
  const upsertStmt = db.prepare<[CheckpointRow]>(
    `INSERT INTO checkpoints (${COLUMNS}) VALUES (@run_id, @unit, @cursor, @done, @state, @updated_at)
     ON CONFLICT (run_id, unit) DO UPDATE SET cursor = excluded.cursor, done = excluded.done,
       state = excluded.state, updated_at = excluded.updated_at`,
  );

  return {
    get(runId, unit) {
      const row = getStmt.get(runId, unit);
      return row ? toCheckpoint(row) : undefined;
    },

    list(runId) {
      return listStmt.all(runId).map(toCheckpoint);
    },

    save(checkpoint) {
      const row: CheckpointRow = {
        run_id: checkpoint.runId,
        unit: checkpoint.unit,
        cursor: checkpoint.cursor,
        done: checkpoint.done ? 1 : 0,
        state: checkpoint.state ? JSON.stringify(checkpoint.state) : null,
        updated_at: now(),
      };
      upsertStmt.run(row);
      return toCheckpoint(row);
    },
  };
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    runId: row.run_id,
    unit: row.unit,
    cursor: row.cursor,
    done: row.done === 1,
    state: row.state === null ? null : (JSON.parse(row.state) as JsonObject),
    updatedAt: row.updated_at,
  };
}
