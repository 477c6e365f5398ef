import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';

const secretBox = createSecretBox(randomBytes(32));
let dir: string;
let file: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-settings-'));
  file = join(dir, 'desk.sqlite');
  store = openStore({ file, secretBox });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('returns undefined for a key never set', () => {
    expect(store.settings.get('nothing')).toBeUndefined();
  });

  it('round-trips JSON values of every kind and replaces on set', () => {
    const values: unknown[] = ['text', 42, 0, false, null, [1, 'two'], { nested: { list: [true] } }];
    for (const [index, value] of values.entries()) {
      store.settings.set(`k${index}`, value);
      expect(store.settings.get(`k${index}`)).toEqual(value);
    }
    store.settings.set('k0', { replaced: true });
    expect(store.settings.get('k0')).toEqual({ replaced: true });
  });

  it('removes a key set to undefined', () => {
    store.settings.set('k', 1);
    store.settings.set('k', undefined);
    expect(store.settings.get('k')).toBeUndefined();
  });

  it('refuses a value JSON cannot hold instead of storing nothing', () => {
    expect(() => store.settings.set('fn', () => 1)).toThrow("The setting 'fn' cannot be stored as JSON");
  });

  it('stores JSON text and survives a reopen', () => {
    store.settings.set('layout', { sidebar: 240 });
    store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('layout')).toBe(
      '{"sidebar":240}',
    );
    raw.close();
    store = openStore({ file, secretBox });
    expect(store.settings.get('layout')).toEqual({ sidebar: 240 });
  });
});
