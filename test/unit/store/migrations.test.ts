import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  type Migration,
  migrate,
  StoreVersionError,
} from '../../../electron/store/migrations';
import { openStore } from '../../../electron/store/open-store';

const secretBox = createSecretBox(randomBytes(32));
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-migrate-'));
  file = join(dir, 'desk.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function schemaObjects(path: string): string[] {
  const raw = new Database(path, { readonly: true });
  try {
    return raw
      .prepare<[], { type: string; name: string }>(
        "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .all()
      .map((row) => `${row.type}:${row.name}`);
  } finally {
    raw.close();
  }
}

/** The files a process leaves behind when it dies with the store open: main file, -wal and -shm. */
function crashCopy(into: string, writeWhileOpen: (db: Database.Database) => void, seed?: string): void {
  const scratch = mkdtempSync(join(tmpdir(), 'mdesk-crash-'));
  try {
    if (seed) copyFileSync(seed, join(scratch, 'desk.sqlite'));
    const raw = new Database(join(scratch, 'desk.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    writeWhileOpen(raw);
    for (const name of readdirSync(scratch)) copyFileSync(join(scratch, name), join(into, name));
    raw.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writeForeignVersion(path: string, version: number, wal: boolean): void {
  const raw = new Database(path);
  if (wal) raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY, body TEXT)');
  raw.prepare('INSERT INTO future_things (body) VALUES (?)').run('from a newer app');
  raw.pragma(`user_version = ${version}`);
  raw.close();
}

describe('migrations', () => {
  it('migrates an empty file to the newest schema', () => {
    const store = openStore({ file, secretBox });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();

    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(schemaObjects(file)).toEqual([
      'index:engine_runs_created',
      'index:events_action',
      'index:events_target',
      'index:runs_created',
      'index:runs_state',
      'index:snapshot_nodes_children',
      'index:snapshots_created',
      'table:checkpoints',
      'table:connections',
      'table:engine_runs',
      'table:events',
      'table:pegasus_profiles',
      'table:run_output',
      'table:run_steps',
      'table:runs',
      'table:settings',
      'table:snapshot_nodes',
      'table:snapshots',
      'table:ssh_known_hosts',
      'trigger:events_no_delete',
      'trigger:events_no_update',
    ]);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps the data on reopen and does not run migrations again', () => {
    const first = openStore({ file, secretBox, now: () => 1000 });
    const created = first.connections.create({
      name: 'prod',
      connectString: 'zk1:2181',
      chroot: null,
      sessionTimeoutMs: 15000,
      connectTimeoutMs: 8000,
      digestAuth: 'alice:pw',
    });
    first.events.append({ actor: 'op', action: 'connection.created', target: created.id });
    first.settings.set('theme', 'dark');
    first.close();

    const up = vi.spyOn(MIGRATIONS[0]!, 'up');
    try {
      const second = openStore({ file, secretBox });
      expect(up).not.toHaveBeenCalled();
      expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(second.connections.list()).toEqual([created]);
      expect(second.connections.digestAuth(created.id)).toBe('alice:pw');
      expect(second.events.list().map((e) => e.action)).toEqual(['connection.created']);
      expect(second.settings.get('theme')).toBe('dark');
      // AUTOINCREMENT: ids keep growing across restarts.
      expect(second.events.append({ actor: 'op', action: 'x' }).id).toBe(2);
      second.close();
    } finally {
      up.mockRestore();
    }
  });

  it('runs each migration once, in order, and appending one is all a schema change takes', () => {
    const calls: string[] = [];
    const v1: Migration = {
      name: 'one',
      up(db) {
        calls.push('one');
        db.exec('CREATE TABLE a (x INTEGER)');
      },
    };
    const v2: Migration = {
      name: 'two',
      up(db) {
        calls.push('two');
        db.exec('CREATE TABLE b (x INTEGER)');
      },
    };
    const db = new Database(file);
    try {
      expect(migrate(db, file, [v1])).toBe(1);
      expect(migrate(db, file, [v1])).toBe(1);
      expect(migrate(db, file, [v1, v2])).toBe(2);
      expect(migrate(db, file, [v1, v2])).toBe(2);
      expect(calls).toEqual(['one', 'two']);
      expect(db.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('rolls back a failed migration together with its version bump', () => {
    const v1: Migration = { name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
    const broken: Migration = {
      name: 'half-done',
      up(db) {
        db.exec('CREATE TABLE b (x INTEGER)');
        throw new Error('disk on fire');
      },
    };
    const db = new Database(file);
    try {
      expect(() => migrate(db, file, [v1, broken])).toThrow(
        `Migrating the store ${file} to schema version 2 (half-done) failed: disk on fire. The file was left at schema version 1.`,
      );
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(['a']);
    } finally {
      db.close();
    }
  });

  for (const wal of [false, true]) {
    it(`refuses a file from a newer app, byte for byte unchanged (${wal ? 'WAL' : 'rollback journal'} file)`, () => {
      const newer = LATEST_SCHEMA_VERSION + 1;
      writeForeignVersion(file, newer, wal);
      const before = sha256(file);
      const filesBefore = readdirSync(dir).sort();

      let error: unknown;
      try {
        openStore({ file, secretBox });
      } catch (e) {
        error = e;
      }

      expect(error).toBeInstanceOf(StoreVersionError);
      const message = (error as Error).message;
      expect(message).toContain(file);
      expect(message).toContain(`schema version ${newer}`);
      expect(message).toContain(`up to ${LATEST_SCHEMA_VERSION}`);
      expect(message).toContain(
        'Update Migration Desk, or start it with another --data-dir. The file was not changed.',
      );
      expect((error as StoreVersionError).fileVersion).toBe(newer);
      expect((error as StoreVersionError).latestKnown).toBe(LATEST_SCHEMA_VERSION);

      expect(sha256(file)).toBe(before);
      expect(readdirSync(dir).sort()).toEqual(filesBefore);
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe(wal ? 'wal' : 'delete');
      expect(raw.pragma('user_version', { simple: true })).toBe(newer);
      raw.close();
    });
  }

  it('refuses a file from a newer app that crashed, without checkpointing its -wal into the file', () => {
    const newer = LATEST_SCHEMA_VERSION + 1;
    crashCopy(dir, (raw) => {
      raw.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY, body TEXT)');
      raw.pragma(`user_version = ${newer}`);
      raw.prepare('INSERT INTO future_things (body) VALUES (?)').run('only in the wal');
    });
    const before = sha256(file);
    const walBefore = sha256(`${file}-wal`);

    expect(() => openStore({ file, secretBox })).toThrow(StoreVersionError);
    expect(() => openStore({ file, secretBox })).toThrow(`has schema version ${newer}`);

    expect(sha256(file)).toBe(before);
    expect(sha256(`${file}-wal`)).toBe(walBefore);
  });

  it('opens its own store after a crash, with the rows that were only in the -wal', () => {
    const seedDir = mkdtempSync(join(tmpdir(), 'mdesk-seed-'));
    try {
      openStore({ file: join(seedDir, 'desk.sqlite'), secretBox }).close();
      crashCopy(
        dir,
        (raw) =>
          raw.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('written', '"before the crash"'),
        join(seedDir, 'desk.sqlite'),
      );
    } finally {
      rmSync(seedDir, { recursive: true, force: true });
    }
    expect(readdirSync(dir)).toContain('desk.sqlite-wal');

    const store = openStore({ file, secretBox });
    expect(store.settings.get('written')).toBe('before the crash');
    store.close();
  });
});
