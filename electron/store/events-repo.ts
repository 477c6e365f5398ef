/** The audit trail: append and read only. SQLite triggers refuse UPDATE and DELETE on the table. */
import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../shared/api/audit';
import type { AppendEvent, EventsRepo } from './types';

export const DEFAULT_EVENTS_LIMIT = 200;
export const MAX_EVENTS_LIMIT = 1000;

export type EventsQuery = NonNullable<Parameters<EventsRepo['list']>[0]>;

interface EventRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string;
}

export function createEventsRepo(db: Database.Database, now: () => number): EventsRepo {
  const insertStmt = db.prepare<[Omit<EventRow, 'id'>]>(
    'INSERT INTO events (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)',
  );
  // One statement per combination of filters (at most 12), prepared on first use.
  const listStmts = new Map<string, Database.Statement<[Record<string, unknown>], EventRow>>();

  const listStatement = (hasBefore: boolean, prefix: 'none' | 'range' | 'open', hasTarget: boolean) => {
    const key = `${hasBefore}:${prefix}:${hasTarget}`;
    let stmt = listStmts.get(key);
    if (!stmt) {
      const where: string[] = [];
      if (hasBefore) where.push('id < @beforeId');
      // A range rather than LIKE: LIKE is case-insensitive and treats '_' and '%' as wildcards, and a
      // range can use the index on action.
      if (prefix === 'range') where.push('action >= @prefixFrom AND action < @prefixTo');
      if (prefix === 'open')
        where.push('action >= @prefixFrom AND substr(action, 1, length(@prefixFrom)) = @prefixFrom');
      if (hasTarget) where.push('target = @target');
      stmt = db.prepare<[Record<string, unknown>], EventRow>(
        `SELECT id, at, actor, action, target, detail FROM events
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT @limit`,
      );
      listStmts.set(key, stmt);
    }
    return stmt;
  };

  return {
    append(event: AppendEvent): AuditEvent {
      if (!event.actor) throw new Error('An audit event needs an actor');
      if (!event.action) throw new Error('An audit event needs an action');
      const detail = JSON.stringify(event.detail ?? {});
      const row = {
        at: now(),
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        detail,
      };
      const id = Number(insertStmt.run(row).lastInsertRowid);
      // Parsed back from what was stored, so the caller sees exactly what a later list() returns.
      return toEvent({ id, ...row });
    },

    list(query: EventsQuery = {}): AuditEvent[] {
      const params: Record<string, unknown> = { limit: clampLimit(query.limit) };
      const hasBefore = query.beforeId !== undefined;
      if (hasBefore) params.beforeId = query.beforeId;
      let prefix: 'none' | 'range' | 'open' = 'none';
      if (query.actionPrefix !== undefined && query.actionPrefix !== '') {
        params.prefixFrom = query.actionPrefix;
        const bound = prefixUpperBound(query.actionPrefix);
        if (bound === undefined) {
          prefix = 'open';
        } else {
          prefix = 'range';
          params.prefixTo = bound;
        }
      }
      const hasTarget = query.target !== undefined;
      if (hasTarget) params.target = query.target;
      return listStatement(hasBefore, prefix, hasTarget).all(params).map(toEvent);
    },
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_EVENTS_LIMIT;
  return Math.min(MAX_EVENTS_LIMIT, Math.max(1, Math.trunc(limit)));
}

/**
 * The smallest string greater than every string that starts with `prefix`: the prefix with its last
 * code point incremented. SQLite compares TEXT as UTF-8 bytes, and UTF-8 byte order is code point
 * order, so [prefix, bound) holds exactly the strings with that prefix. Undefined when no such string
 * exists (the prefix is all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (char) => char.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < 0x10ffff) {
      // Surrogates are not code points a string can hold; the next one after them is U+E000.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return undefined;
}

function toEvent(row: EventRow): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
