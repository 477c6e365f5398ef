import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import {
  ConnectionNotFoundError,
  DuplicateConnectionNameError,
} from '../../../electron/store/connections-repo';
import { openStore } from '../../../electron/store/open-store';
import type { NewConnection, Store } from '../../../electron/store/types';

const key = randomBytes(32);
let dir: string;
let file: string;
let store: Store;
let clock: number;

const input = (overrides: Partial<NewConnection> = {}): NewConnection => ({
  name: 'prod',
  connectString: 'zk1:2181,zk2:2181',
  chroot: '/pegasus',
  sessionTimeoutMs: 15000,
  connectTimeoutMs: 8000,
  digestAuth: null,
  ...overrides,
});

function sealedColumn(id: string): string | null {
  const raw = new Database(file, { readonly: true });
  try {
    return raw
      .prepare<[string], string | null>('SELECT digest_auth_sealed FROM connections WHERE id = ?')
      .pluck()
      .get(id)!;
  } finally {
    raw.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-conn-'));
  file = join(dir, 'desk.sqlite');
  clock = 1_700_000_000_000;
  store = openStore({ file, secretBox: createSecretBox(key), now: () => clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('connections', () => {
  it('creates a read-only profile with a random UUID and no secret in it', () => {
    const created = store.connections.create(input({ digestAuth: 'alice:pw' }));
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: 'prod',
      connectString: 'zk1:2181,zk2:2181',
      chroot: '/pegasus',
      sessionTimeoutMs: 15000,
      connectTimeoutMs: 8000,
      hasDigestAuth: true,
      sshTunnel: null,
      readOnly: true,
      createdAt: clock,
      updatedAt: clock,
    });
    expect(JSON.stringify(created)).not.toContain('pw');
    expect(store.connections.get(created.id)).toEqual(created);
    expect(store.connections.create(input({ name: 'other' })).id).not.toBe(created.id);
  });

  it('lists by name, ignoring case', () => {
    for (const name of ['charlie', 'Bravo', 'alpha', 'Delta']) store.connections.create(input({ name }));
    expect(store.connections.list().map((c) => c.name)).toEqual(['alpha', 'Bravo', 'charlie', 'Delta']);
  });

  it('refuses a duplicate name, also in another case, with a clear message', () => {
    store.connections.create(input({ name: 'prod' }));
    expect(() => store.connections.create(input({ name: 'prod' }))).toThrow(DuplicateConnectionNameError);
    expect(() => store.connections.create(input({ name: 'prod' }))).toThrow(
      "A connection named 'prod' already exists",
    );
    expect(() => store.connections.create(input({ name: 'PROD' }))).toThrow(
      "A connection named 'PROD' already exists",
    );
    expect(store.connections.list()).toHaveLength(1);
  });

  it('refuses a rename onto another connection, and allows changing the case of its own name', () => {
    store.connections.create(input({ name: 'prod' }));
    const staging = store.connections.create(input({ name: 'staging' }));
    expect(() => store.connections.update(staging.id, { name: 'prod' })).toThrow(
      "A connection named 'prod' already exists",
    );
    expect(store.connections.get(staging.id)!.name).toBe('staging');
    expect(store.connections.update(staging.id, { name: 'Staging' }).name).toBe('Staging');
  });

  it('updates only the fields given, and moves updatedAt', () => {
    const created = store.connections.create(input());
    clock += 5000;
    const updated = store.connections.update(created.id, {
      connectString: 'zk9:2181',
      sessionTimeoutMs: 30000,
    });
    expect(updated).toEqual({
      ...created,
      connectString: 'zk9:2181',
      sessionTimeoutMs: 30000,
      updatedAt: created.createdAt + 5000,
    });
    expect(store.connections.get(created.id)).toEqual(updated);
  });

  it('keeps the chroot when not given and clears it on null', () => {
    const created = store.connections.create(input({ chroot: '/pegasus' }));
    expect(store.connections.update(created.id, { name: 'renamed' }).chroot).toBe('/pegasus');
    expect(store.connections.update(created.id, { chroot: null }).chroot).toBeNull();
  });

  it('switches read-only off and on', () => {
    const created = store.connections.create(input());
    expect(store.connections.update(created.id, { readOnly: false }).readOnly).toBe(false);
    expect(store.connections.get(created.id)!.readOnly).toBe(false);
    expect(store.connections.update(created.id, { readOnly: true }).readOnly).toBe(true);
  });

  it('keeps, replaces and clears the digest credential, sealed in SQLite each time', () => {
    const created = store.connections.create(input({ digestAuth: 'alice:first-secret' }));
    const firstSealed = sealedColumn(created.id);
    expect(firstSealed).toMatch(/^v1:/);
    expect(firstSealed).not.toContain('first-secret');
    expect(store.connections.digestAuth(created.id)).toBe('alice:first-secret');

    const kept = store.connections.update(created.id, { name: 'renamed' });
    expect(kept.hasDigestAuth).toBe(true);
    expect(sealedColumn(created.id)).toBe(firstSealed);
    expect(store.connections.digestAuth(created.id)).toBe('alice:first-secret');

    const replaced = store.connections.update(created.id, { digestAuth: 'bob:second-secret' });
    expect(replaced.hasDigestAuth).toBe(true);
    expect(sealedColumn(created.id)).toMatch(/^v1:/);
    expect(sealedColumn(created.id)).not.toBe(firstSealed);
    expect(store.connections.digestAuth(created.id)).toBe('bob:second-secret');

    const cleared = store.connections.update(created.id, { digestAuth: null });
    expect(cleared.hasDigestAuth).toBe(false);
    expect(sealedColumn(created.id)).toBeNull();
    expect(store.connections.digestAuth(created.id)).toBeNull();
  });

  it('adds a digest credential to a connection that had none', () => {
    const created = store.connections.create(input());
    expect(created.hasDigestAuth).toBe(false);
    expect(store.connections.digestAuth(created.id)).toBeNull();
    expect(store.connections.update(created.id, { digestAuth: 'carol:pw3' }).hasDigestAuth).toBe(true);
    expect(store.connections.digestAuth(created.id)).toBe('carol:pw3');
  });

  it('says a credential sealed with another key must be re-entered, naming the connection', () => {
    const created = store.connections.create(input({ name: 'prod', digestAuth: 'alice:pw' }));
    store.close();
    store = openStore({ file, secretBox: createSecretBox(randomBytes(32)) });
    expect(store.connections.get(created.id)!.hasDigestAuth).toBe(true);
    expect(() => store.connections.digestAuth(created.id)).toThrow(
      "The digest credential of connection 'prod' cannot be opened. This secret was sealed with another key: re-enter the credential",
    );
    store.connections.update(created.id, { digestAuth: 'alice:new' });
    expect(store.connections.digestAuth(created.id)).toBe('alice:new');
  });

  it('gives a clear error for an update or a credential of a missing id', () => {
    expect(() => store.connections.update('no-such-id', { name: 'x' })).toThrow(ConnectionNotFoundError);
    expect(() => store.connections.update('no-such-id', { name: 'x' })).toThrow(
      "No connection with id 'no-such-id' exists",
    );
    expect(() => store.connections.digestAuth('no-such-id')).toThrow(
      "No connection with id 'no-such-id' exists",
    );
    expect(store.connections.get('no-such-id')).toBeUndefined();
  });

  it('removes a connection and says whether it existed', () => {
    const created = store.connections.create(input());
    expect(store.connections.remove(created.id)).toBe(true);
    expect(store.connections.remove(created.id)).toBe(false);
    expect(store.connections.get(created.id)).toBeUndefined();
    expect(store.connections.list()).toEqual([]);
    // The name is free again.
    expect(store.connections.create(input()).name).toBe('prod');
  });
});
