/**
 * Opens (creating and migrating as needed) the SQLite store. Everything that can be checked without
 * writing is checked first, so a file this app must not touch (another program's, a newer app's) is
 * refused byte for byte unchanged.
 */
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createCheckpointsRepo } from './checkpoints-repo';
import { createConnectionsRepo } from './connections-repo';
import { createEngineRunsRepo } from './engine-runs-repo';
import { createEventsRepo } from './events-repo';
import { assertKnownVersion, migrate } from './migrations';
import { createPegasusProfilesRepo } from './pegasus-profiles-repo';
import { createRunsRepo } from './runs-repo';
import { createSettingsRepo } from './settings-repo';
import { createSshKnownHostsRepo } from './ssh-known-hosts-repo';
import { createSnapshotsRepo } from './snapshots-repo';
import type { SecretBox, Store } from './types';

export interface OpenStoreOptions {
  file: string;
  secretBox: SecretBox;
  /** Clock for created/updated/event times (ms since the epoch); tests pin it. */
  now?: () => number;
  /** How long a statement waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** The store file or its folder cannot be used; the message names the path and what to do. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const POSIX = process.platform !== 'win32';

export function openStore(options: OpenStoreOptions): Store {
  const file = resolve(options.file);
  const now = options.now ?? Date.now;
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  const { db, schemaVersion } = openDatabase(file, busyTimeoutMs);

  return {
    file,
    schemaVersion,
    connections: createConnectionsRepo(db, options.secretBox, now),
    events: createEventsRepo(db, now),
    settings: createSettingsRepo(db),
    engineRuns: createEngineRunsRepo(db, now),
    checkpoints: createCheckpointsRepo(db, now),
    snapshots: createSnapshotsRepo(db, now, randomUUID),
    sshKnownHosts: createSshKnownHostsRepo(db, now),
    pegasusProfiles: createPegasusProfilesRepo(db, createEventsRepo(db, now), now),
    runs: createRunsRepo(db, now),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close() {
      if (db.open) db.close();
    },
  };
}

function openDatabase(file: string, busyTimeoutMs: number): { db: Database.Database; schemaVersion: number } {
  const dir = dirname(file);
  ensureFolder(dir);
  const existed = checkExistingFile(file);

  // A leftover -wal (another app crashed, or is running) is checked through a read-only connection: a
  // read-write one would checkpoint it into the file when it closes, changing the file we refuse.
  // Without one, the read-write connection below reads the version before it writes anything, and
  // removes the -wal and -shm it created when it closes.
  if (existed && existsSync(`${file}-wal`)) checkVersionReadOnly(file, busyTimeoutMs);

  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw cannotOpen(file, error);
  }

  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // The first read, before any write: a newer or foreign file is refused here untouched. Repeated
    // after a read-only probe, since another process may have migrated the file in between.
    assertReadable(db, file);
    if (!existed && POSIX) {
      // The store holds connection details and the audit trail; SQLite gives its -wal and -shm files
      // the same mode as the main file.
      chmodSync(file, 0o600);
    }
    db.pragma('journal_mode = WAL');
    // NORMAL is durable in WAL mode except for the last transactions before a power cut, never corrupt.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const schemaVersion = migrate(db, file);
    return { db, schemaVersion };
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkVersionReadOnly(file: string, busyTimeoutMs: number): void {
  let probe: Database.Database;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw cannotOpen(file, error);
  }
  try {
    probe.pragma(`busy_timeout = ${busyTimeoutMs}`);
    assertReadable(probe, file);
  } finally {
    probe.close();
  }
}

/** Reads the schema version, which is also the first read of the file: a non-database fails here. */
function assertReadable(db: Database.Database, file: string): void {
  try {
    assertKnownVersion(db, file);
  } catch (error) {
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notADatabase(file, error);
    throw error;
  }
}

function cannotOpen(file: string, error: unknown): StoreOpenError {
  return new StoreOpenError(
    `Cannot open the store ${file}: ${messageOf(error)}. Check that it and its folder are readable and writable ` +
      'by your user, or start Migration Desk with another --data-dir.',
    file,
    { cause: error },
  );
}

function ensureFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fsError(dir, 'create the folder for the store', error);
  }
  try {
    // SQLite creates the -wal and -shm files next to the store, so the folder itself must be writable.
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fsError(dir, 'use the folder of the store', error);
  }
}

/** Returns whether the file exists; throws when it exists but is not ours to open. */
function checkExistingFile(file: string): boolean {
  if (!existsSync(file)) return false;
  if (!statSync(file).isFile()) {
    throw new StoreOpenError(
      `The store ${file} is not a file. Move it away, or start Migration Desk with another --data-dir.`,
      file,
    );
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (path !== file && !existsSync(path)) continue;
    try {
      // SQLite would otherwise fall back to read-only without a word and fail at the first write.
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw fsError(path, 'open the store file', error);
    }
  }

  const size = statSync(file).size;
  // SQLite treats an empty file as a new database.
  if (size === 0) return true;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < header.length || !header.equals(SQLITE_HEADER)) throw notADatabase(file);
  return true;
}

function notADatabase(file: string, cause?: unknown): StoreOpenError {
  return new StoreOpenError(
    `The store ${file} is not a SQLite database (or is damaged). The file was not changed. ` +
      'Move it away or restore it from a backup, or start Migration Desk with another --data-dir.',
    file,
    cause === undefined ? undefined : { cause },
  );
}

function fsError(path: string, what: string, error: unknown): StoreOpenError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const elsewhere = 'or start Migration Desk with another --data-dir.';
  let advice: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      advice =
        `permission denied (${code}). Make it readable and writable by your user (it may have been created ` +
        `with sudo), ${elsewhere}`;
      break;
    case 'EROFS':
      advice = `the file system is read-only. Use a writable location: ${elsewhere}`;
      break;
    case 'ENOTDIR':
    case 'EEXIST':
      advice = `a part of this path is a file, not a folder. Move that file away, ${elsewhere}`;
      break;
    default:
      advice = `${messageOf(error)}. Fix the cause, ${elsewhere}`;
  }
  return new StoreOpenError(`Cannot ${what} ${path}: ${advice}`, path, { cause: error });
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
