import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import {
  DuplicatePegasusProfileNameError,
  type PegasusProfileDraft,
  PegasusProfileNotFoundError,
} from '../../../electron/store/pegasus-profiles-repo';
import type { Store } from '../../../electron/store/types';

let dir: string;
let file: string;
let store: Store;
let clock: number;

const draft = (overrides: Partial<PegasusProfileDraft> = {}): PegasusProfileDraft => ({
  name: 'onebox',
  connectionId: 'conn-1',
  clusterRoot: '/pegasus/onebox',
  metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'],
  tools: {
    shell: {
      kind: 'pegasus_shell',
      binary: '/opt/pegasus/bin/pegasus_shell',
      config: '/opt/pegasus/config.ini',
      clusterName: 'onebox',
    },
    adminCli: '/opt/pegasus/admin-cli',
  },
  ...overrides,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-pprof-'));
  file = join(dir, 'desk.sqlite');
  clock = 1_700_000_000_000;
  store = openStore({ file, secretBox: createSecretBox(randomBytes(32)), now: () => clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pegasus profiles', () => {
  it('creates a profile with defaults filled in and reads it back', () => {
    const created = store.pegasusProfiles.create({ name: '  bare  ' }, 'alice');
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'bare',
      connectionId: null,
      clusterRoot: null,
      metaServers: [],
      tools: { shell: null, adminCli: null },
      createdAt: clock,
      updatedAt: clock,
    });
    expect(store.pegasusProfiles.get(created.id)).toEqual(created);
    expect(store.pegasusProfiles.get('nope')).toBeUndefined();

    const full = store.pegasusProfiles.create(draft(), 'alice');
    expect(full.tools.shell).toEqual({
      kind: 'pegasus_shell',
      binary: '/opt/pegasus/bin/pegasus_shell',
      config: '/opt/pegasus/config.ini',
      clusterName: 'onebox',
    });
    expect(store.pegasusProfiles.get(full.id)).toEqual(full);
  });

  it('lists by name ignoring case and refuses a duplicate name in any case', () => {
    for (const name of ['charlie', 'Bravo', 'alpha']) store.pegasusProfiles.create({ name }, 'alice');
    expect(store.pegasusProfiles.list().map((p) => p.name)).toEqual(['alpha', 'Bravo', 'charlie']);
    expect(() => store.pegasusProfiles.create({ name: 'BRAVO' }, 'alice')).toThrow(
      DuplicatePegasusProfileNameError,
    );
    expect(() => store.pegasusProfiles.create({ name: 'BRAVO' }, 'alice')).toThrow(/already exists/);
    // The failed insert left no audit event behind.
    expect(store.events.list({ actionPrefix: 'pegasus-profile.' })).toHaveLength(3);
  });

  it('validates with the shared schema and names the field', () => {
    const attempts: PegasusProfileDraft[] = [
      draft({ metaServers: ['127.0.0.1'] }),
      draft({ metaServers: ['127.0.0.1:34601', '127.0.0.1:34601'] }),
      draft({ clusterRoot: 'pegasus/onebox' }),
      draft({ tools: { shell: { kind: 'run.sh', pegasusDir: 'relative/dir' }, adminCli: null } }),
      draft({ tools: { shell: null, adminCli: './admin-cli' } }),
      draft({ name: '' }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        store.pegasusProfiles.create(attempt, 'alice');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ZodError);
    }
    const messages = (() => {
      try {
        store.pegasusProfiles.create(draft({ metaServers: ['meta-1'] }), 'alice');
        return '';
      } catch (error) {
        return (error as ZodError).issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('\n');
      }
    })();
    expect(messages).toBe('metaServers.0: Meta server "meta-1" must be host:port, e.g. 10.0.0.1:34601');
    expect(store.pegasusProfiles.list()).toEqual([]);
  });

  it('keeps no secret: unknown keys are dropped before SQLite', () => {
    const sneaky = {
      ...draft(),
      digestAuth: 'alice:secret-pw',
      password: 'secret-pw',
    } as PegasusProfileDraft;
    const created = store.pegasusProfiles.create(sneaky, 'alice');
    expect(JSON.stringify(created)).not.toContain('secret-pw');
    store.close();
    const raw = new Database(file, { readonly: true });
    try {
      const row = raw.prepare('SELECT * FROM pegasus_profiles WHERE id = ?').get(created.id);
      expect(JSON.stringify(row)).not.toContain('secret-pw');
      const events = raw.prepare('SELECT detail FROM events').all();
      expect(JSON.stringify(events)).not.toContain('secret-pw');
    } finally {
      raw.close();
    }
    for (const suffix of ['', '-wal']) {
      try {
        expect(readFileSync(`${file}${suffix}`).includes('secret-pw')).toBe(false);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    store = openStore({ file, secretBox: createSecretBox(randomBytes(32)), now: () => clock });
  });

  it('updates every field, keeps createdAt and audits what changed', () => {
    const created = store.pegasusProfiles.create(draft(), 'alice');
    clock += 5000;
    const updated = store.pegasusProfiles.update(
      created.id,
      draft({ metaServers: ['10.0.0.1:34601', '10.0.0.2:34601'], tools: { shell: null, adminCli: null } }),
      'bob',
    );
    expect(updated.createdAt).toBe(created.createdAt);
    expect(updated.updatedAt).toBe(clock);
    expect(updated.tools).toEqual({ shell: null, adminCli: null });
    const [event] = store.events.list({ actionPrefix: 'pegasus-profile.changed' });
    expect(event).toMatchObject({
      actor: 'bob',
      target: created.id,
      detail: {
        name: 'onebox',
        changed: ['metaServers', 'tools'],
        before: { metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'] },
        after: { metaServers: ['10.0.0.1:34601', '10.0.0.2:34601'], tools: { shell: null, adminCli: null } },
      },
    });
    expect(() => store.pegasusProfiles.update('missing', draft(), 'bob')).toThrow(
      PegasusProfileNotFoundError,
    );
  });

  it('removes and audits, and says false for an unknown id', () => {
    const created = store.pegasusProfiles.create(draft(), 'alice');
    expect(store.pegasusProfiles.remove(created.id, 'carol')).toBe(true);
    expect(store.pegasusProfiles.get(created.id)).toBeUndefined();
    expect(store.pegasusProfiles.remove(created.id, 'carol')).toBe(false);
    const actions = store.events
      .list({ target: created.id })
      .map((event) => `${event.actor}:${event.action}`)
      .reverse();
    expect(actions).toEqual(['alice:pegasus-profile.added', 'carol:pegasus-profile.removed']);
    const removed = store.events.list({ actionPrefix: 'pegasus-profile.removed' })[0];
    expect(removed?.detail).toMatchObject({
      name: 'onebox',
      metaServers: ['127.0.0.1:34601', '127.0.0.1:34602'],
    });
  });

  it('lists a stored row that a newer rule would refuse, so the operator can fix it', () => {
    const created = store.pegasusProfiles.create(draft(), 'alice');
    store.close();
    const raw = new Database(file);
    raw
      .prepare('UPDATE pegasus_profiles SET tools = ? WHERE id = ?')
      .run(JSON.stringify({ shell: { kind: 'run.sh', pegasusDir: 'relative' }, adminCli: null }), created.id);
    raw.close();
    store = openStore({ file, secretBox: createSecretBox(randomBytes(32)), now: () => clock });
    expect(store.pegasusProfiles.list()[0]?.tools.shell).toEqual({ kind: 'run.sh', pegasusDir: 'relative' });
  });
});
