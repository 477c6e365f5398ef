import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import {
  DuplicateRunIdError,
  EngineRunNotFoundError,
  SecretInParamsError,
} from '../../../electron/store/engine-runs-repo';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../electron/store/migrations';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';

let dir: string;
let store: Store;
let clock = 1000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-runs-'));
  clock = 1000;
  store = openStore({
    file: join(dir, 'store.db'),
    secretBox: createSecretBox(randomBytes(32)),
    now: () => clock++,
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine runs', () => {
  it('creates, reads, lists newest first and updates runs', () => {
    const a = store.engineRuns.create({
      kind: 'zk-copy',
      params: { mode: 'mirror', source: { path: '/a' } },
      state: 'created',
    });
    const b = store.engineRuns.create({
      id: 'chosen',
      kind: 'zk-diff',
      params: {},
      state: 'created',
      phase: 'verify',
    });
    expect(b.id).toBe('chosen');
    expect(store.engineRuns.get(a.id)).toEqual(a);
    expect(store.engineRuns.list().map((run) => run.id)).toEqual(['chosen', a.id]);
    expect(store.engineRuns.list({ kind: 'zk-copy' }).map((run) => run.id)).toEqual([a.id]);
    const updated = store.engineRuns.update(a.id, { state: 'running', phase: 'copy', progress: { done: 5 } });
    expect(updated).toMatchObject({ state: 'running', phase: 'copy', progress: { done: 5 }, result: null });
    expect(updated.updatedAt).toBeGreaterThan(a.updatedAt);
    expect(store.engineRuns.update(a.id, { result: { copy: 1 } })).toMatchObject({
      state: 'running',
      progress: { done: 5 },
    });
  });

  it('refuses parameters (and results) that hold a credential', () => {
    expect(() =>
      store.engineRuns.create({
        kind: 'zk-copy',
        params: { source: { digestAuth: ['u:p'] } },
        state: 'created',
      }),
    ).toThrow(SecretInParamsError);
    expect(() =>
      store.engineRuns.create({ kind: 'zk-copy', params: { password: 'x' }, state: 'created' }),
    ).toThrow(/params.password' looks like a credential/);
    // A key that names a credential but holds nothing (a flag) is fine.
    expect(
      store.engineRuns.create({
        kind: 'zk-copy',
        params: { hasDigestAuth: true, auth: '' },
        state: 'created',
      }).id,
    ).toBeTruthy();
    const run = store.engineRuns.create({ kind: 'zk-copy', params: {}, state: 'created' });
    expect(() => store.engineRuns.update(run.id, { result: { token: 'abc' } })).toThrow(SecretInParamsError);
  });

  it('names the problem for a duplicate id and a missing run', () => {
    store.engineRuns.create({ id: 'x', kind: 'zk-copy', params: {}, state: 'created' });
    expect(() => store.engineRuns.create({ id: 'x', kind: 'zk-copy', params: {}, state: 'created' })).toThrow(
      DuplicateRunIdError,
    );
    expect(() => store.engineRuns.update('nope', { state: 'failed' })).toThrow(EngineRunNotFoundError);
  });
});

describe('checkpoints', () => {
  it('upserts per (run, unit), and goes with the progress it records in one transaction', () => {
    const run = store.engineRuns.create({ kind: 'zk-copy', params: {}, state: 'running' });
    store.checkpoints.save({ runId: run.id, unit: 'copy', cursor: '/a', done: false, state: { created: 1 } });
    store.checkpoints.save({ runId: run.id, unit: 'copy', cursor: '/b', done: false, state: { created: 2 } });
    store.checkpoints.save({ runId: run.id, unit: 'verify', cursor: null, done: true });
    expect(store.checkpoints.get(run.id, 'copy')).toMatchObject({
      cursor: '/b',
      done: false,
      state: { created: 2 },
    });
    expect(store.checkpoints.list(run.id).map((c) => [c.unit, c.done])).toEqual([
      ['copy', false],
      ['verify', true],
    ]);
    expect(() =>
      store.transaction(() => {
        store.checkpoints.save({
          runId: run.id,
          unit: 'copy',
          cursor: '/z',
          done: false,
          state: { created: 99 },
        });
        store.engineRuns.update(run.id, { progress: { created: 99 } });
        throw new Error('killed between the two writes');
      }),
    ).toThrow('killed');
    expect(store.checkpoints.get(run.id, 'copy')?.cursor).toBe('/b');
    expect(store.engineRuns.get(run.id)?.progress).toBeNull();
  });

  it('belongs to an existing run', () => {
    expect(() => store.checkpoints.save({ runId: 'ghost', unit: 'copy', cursor: null, done: false })).toThrow(
      /FOREIGN KEY/,
    );
  });
});

describe('schema version 2', () => {
  it('adds the engine tables to a version 1 file, keeping its data', () => {
    const file = join(dir, 'v1.db');
    const raw = new Database(file);
    migrate(raw, file, MIGRATIONS.slice(0, 1));
    raw.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    raw.close();
    const reopened = openStore({ file, secretBox: createSecretBox(randomBytes(32)) });
    try {
      expect(reopened.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(reopened.settings.get('theme')).toBe('dark');
      expect(reopened.engineRuns.list()).toEqual([]);
    } finally {
      reopened.close();
    }
  });
});
