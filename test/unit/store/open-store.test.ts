import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { LATEST_SCHEMA_VERSION } from '../../../electron/store/migrations';
import { openStore, StoreOpenError } from '../../../electron/store/open-store';

const secretBox = createSecretBox(randomBytes(32));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-open-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('openStore', () => {
  it('creates missing parent folders (0700) and a private store file (0600)', () => {
    const file = join(dir, 'a', 'b', 'desk.sqlite');
    const store = openStore({ file, secretBox });
    store.settings.set('x', 1);
    expect(store.file).toBe(file);
    expect(modeOf(join(dir, 'a'))).toBe(0o700);
    expect(modeOf(join(dir, 'a', 'b'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    store.close();
  });

  it('sets busy_timeout and reads the version before switching to WAL, then NORMAL sync and foreign keys', () => {
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    const store = openStore({ file: join(dir, 'desk.sqlite'), secretBox, busyTimeoutMs: 1234 });
    const calls = pragma.mock.calls.map((call) => call[0]);
    expect(calls.slice(0, 5)).toEqual([
      'busy_timeout = 1234',
      'user_version',
      'journal_mode = WAL',
      'synchronous = NORMAL',
      'foreign_keys = ON',
    ]);
    store.close();
  });

  it('refuses a file that is not a SQLite database and leaves it unchanged', () => {
    const file = join(dir, 'desk.sqlite');
    writeFileSync(file, 'name,connect string\nprod,zk1:2181\n'.repeat(100));
    const before = sha256(file);

    expect(() => openStore({ file, secretBox })).toThrow(StoreOpenError);
    expect(() => openStore({ file, secretBox })).toThrow(
      `The store ${file} is not a SQLite database (or is damaged). The file was not changed.`,
    );
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['desk.sqlite']);
  });

  it('refuses a file with a SQLite header but a damaged body, and leaves it unchanged', () => {
    const file = join(dir, 'desk.sqlite');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080, 0xee)]),
    );
    const before = sha256(file);

    expect(() => openStore({ file, secretBox })).toThrow(
      /is not a SQLite database \(or is damaged\)\. The file was not changed\./,
    );
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['desk.sqlite']);
  });

  it('refuses a folder in place of the store file', () => {
    const file = join(dir, 'desk.sqlite');
    openStore({ file: join(file, 'inner.sqlite'), secretBox }).close();
    expect(() => openStore({ file, secretBox })).toThrow(`The store ${file} is not a file.`);
  });

  it('names the path when a parent of the store is a file', () => {
    writeFileSync(join(dir, 'blocker'), 'x');
    const parent = join(dir, 'blocker', 'sub');
    expect(() => openStore({ file: join(parent, 'desk.sqlite'), secretBox })).toThrow(
      `Cannot create the folder for the store ${parent}: a part of this path is a file, not a folder.`,
    );
  });

  it('opens an empty file as a new store', () => {
    const file = join(dir, 'desk.sqlite');
    writeFileSync(file, '');
    const store = openStore({ file, secretBox });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });

  it('runs a transaction as one unit and rolls it back on error', () => {
    const store = openStore({ file: join(dir, 'desk.sqlite'), secretBox });
    const result = store.transaction(() => {
      store.settings.set('a', 1);
      store.events.append({ actor: 'op', action: 'settings.changed' });
      return 'done';
    });
    expect(result).toBe('done');

    expect(() =>
      store.transaction(() => {
        store.settings.set('b', 2);
        store.events.append({ actor: 'op', action: 'settings.changed' });
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(store.settings.get('a')).toBe(1);
    expect(store.settings.get('b')).toBeUndefined();
    expect(store.events.list()).toHaveLength(1);
    store.close();
  });

  it('close is idempotent, checkpoints the WAL and the store is unusable afterwards', () => {
    const file = join(dir, 'desk.sqlite');
    const store = openStore({ file, secretBox });
    store.settings.set('a', 1);
    store.close();
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(() => store.settings.get('a')).toThrow(/not open/);
  });
});
