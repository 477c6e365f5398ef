/** Application settings as JSON values under string keys. */
import type Database from 'better-sqlite3';
import type { SettingsRepo } from './types';

export function createSettingsRepo(db: Database.Database): SettingsRepo {
  const getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsertStmt = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');

  return {
    get<T>(key: string): T | undefined {
      const row = getStmt.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },

    /** Setting `undefined` removes the key, so a later get() returns undefined as it did before any set. */
    set<T>(key: string, value: T): void {
      if (value === undefined) {
        deleteStmt.run(key);
        return;
      }
      const json = JSON.stringify(value);
      // JSON.stringify returns undefined for functions and symbols: storing nothing silently would lose data.
      if (json === undefined) throw new Error(`The setting '${key}' cannot be stored as JSON`);
      upsertStmt.run(key, json);
    },
  };
}
