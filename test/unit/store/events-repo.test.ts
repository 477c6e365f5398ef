import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../electron/platform/secret-box';
import { prefixUpperBound } from '../../../electron/store/events-repo';
import { openStore } from '../../../electron/store/open-store';
import type { Store } from '../../../electron/store/types';

let dir: string;
let file: string;
let store: Store;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mdesk-events-'));
  file = join(dir, 'desk.sqlite');
  clock = 1_000;
  store = openStore({ file, secretBox: createSecretBox(randomBytes(32)), now: () => clock++ });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function appendMany(count: number, action = 'zk.write'): void {
  store.transaction(() => {
    for (let i = 0; i < count; i++)
      store.events.append({ actor: 'op', action, target: `t${i % 3}`, detail: { i } });
  });
}

describe('events', () => {
  it('appends with time, defaults and detail parsed back', () => {
    const event = store.events.append({
      actor: 'alice',
      action: 'connection.created',
      target: 'c1',
      detail: { name: 'prod', nested: { ok: true }, skipped: undefined },
    });
    expect(event).toEqual({
      id: 1,
      at: 1000,
      actor: 'alice',
      action: 'connection.created',
      target: 'c1',
      detail: { name: 'prod', nested: { ok: true } },
    });
    expect(store.events.list()).toEqual([event]);

    const bare = store.events.append({ actor: 'alice', action: 'host.started' });
    expect(bare.target).toBeNull();
    expect(bare.detail).toEqual({});
  });

  it('needs an actor and an action', () => {
    expect(() => store.events.append({ actor: '', action: 'x' })).toThrow('An audit event needs an actor');
    expect(() => store.events.append({ actor: 'op', action: '' })).toThrow('An audit event needs an action');
  });

  it('lists newest first, 200 by default and at most 1000', () => {
    appendMany(1005);
    const page = store.events.list();
    expect(page).toHaveLength(200);
    expect(page[0]!.id).toBe(1005);
    expect(page[199]!.id).toBe(806);
    expect(store.events.list({ limit: 5000 })).toHaveLength(1000);
    expect(store.events.list({ limit: 3 }).map((e) => e.id)).toEqual([1005, 1004, 1003]);
    expect(store.events.list({ limit: 0 })).toHaveLength(1);
  });

  it('pages with beforeId through every event exactly once', () => {
    appendMany(25);
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = store.events.list({ limit: 10, beforeId });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      beforeId = page.at(-1)!.id;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it('filters by action prefix literally and by target', () => {
    for (const action of [
      'connection.created',
      'connection.updated',
      'connectionX',
      'zk.connection.lost',
      'Connection.created',
      'a_b.x',
      'aXb.y',
      'a%.z',
    ]) {
      store.events.append({ actor: 'op', action, target: action.startsWith('connection.') ? 'c1' : 'c2' });
    }
    const actions = (query: Parameters<Store['events']['list']>[0]) =>
      store.events.list(query).map((e) => e.action);

    expect(actions({ actionPrefix: 'connection.' })).toEqual(['connection.updated', 'connection.created']);
    expect(actions({ actionPrefix: 'a_' })).toEqual(['a_b.x']);
    expect(actions({ actionPrefix: 'a%' })).toEqual(['a%.z']);
    expect(actions({ actionPrefix: '' })).toHaveLength(8);
    expect(actions({ target: 'c1' })).toEqual(['connection.updated', 'connection.created']);
    expect(actions({ actionPrefix: 'connection', target: 'c2' })).toEqual(['connectionX']);
    expect(actions({ actionPrefix: 'connection.', beforeId: 2 })).toEqual(['connection.created']);
  });

  it('filters by a prefix ending in the highest code point', () => {
    store.events.append({ actor: 'op', action: 'x\u{10FFFF}' });
    store.events.append({ actor: 'op', action: 'x\u{10FFFF}y' });
    store.events.append({ actor: 'op', action: 'y' });
    expect(store.events.list({ actionPrefix: '\u{10FFFF}' })).toEqual([]);
    expect(store.events.list({ actionPrefix: 'x\u{10FFFF}' }).map((e) => e.action)).toEqual([
      'x\u{10FFFF}y',
      'x\u{10FFFF}',
    ]);
  });

  it('is append-only in SQLite itself, whoever connects', () => {
    store.events.append({ actor: 'op', action: 'zk.write', detail: { path: '/a' } });
    const raw = new Database(file);
    try {
      expect(() => raw.prepare("UPDATE events SET actor = 'mallory'").run()).toThrow(
        'events are append-only',
      );
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow('events are append-only');
      expect(() => raw.prepare('DELETE FROM events WHERE id = 1').run()).toThrow('events are append-only');
      expect(() =>
        raw.prepare("INSERT INTO events (at, actor, action, detail) VALUES (1, 'op', 'x', 'not json')").run(),
      ).toThrow(/CHECK constraint failed/);
      expect(raw.prepare('SELECT actor FROM events').pluck().all()).toEqual(['op']);
    } finally {
      raw.close();
    }
    expect(store.events.list()).toHaveLength(1);
  });
});

describe('prefixUpperBound', () => {
  it('increments the last code point, carrying over U+10FFFF and skipping surrogates', () => {
    expect(prefixUpperBound('connection.')).toBe('connection/');
    expect(prefixUpperBound('a')).toBe('b');
    expect(prefixUpperBound('\uD7FF')).toBe('\uE000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('é')).toBe('ê');
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });
});
