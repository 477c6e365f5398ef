/**
 * Pegasus cluster profiles (schema v3 `pegasus_profiles`): how to reach a cluster and which tools
 * to run for it. Every input goes through the shared zod schema, whose closed shape is also what
 * keeps secrets out (unknown keys are dropped, and no field is meant for one). Every write appends
 * its audit event in the same transaction, so the trail cannot miss a change nor record one that
 * did not happen.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type PegasusProfile,
  type PegasusProfileInput,
  pegasusProfileInputSchema,
  type PegasusTools,
  pegasusToolsSchema,
} from '../../shared/api/pegasus-profile';
import type { EventsRepo } from './types';

/** What callers may pass: the schema's input side (defaults filled in by the repository). */
export type PegasusProfileDraft = z.input<typeof pegasusProfileInputSchema>;

export interface PegasusProfilesRepo {
  /** Ordered by name, ignoring case. */
  list(): PegasusProfile[];
  get(id: string): PegasusProfile | undefined;
  /** Validates, stores and audits ('pegasus-profile.added'). */
  create(input: PegasusProfileDraft, actor: string): PegasusProfile;
  /** Replaces every field; audits the fields that changed ('pegasus-profile.changed'). */
  update(id: string, input: PegasusProfileDraft, actor: string): PegasusProfile;
  /** Audits 'pegasus-profile.removed'; false when there was no such profile. */
  remove(id: string, actor: string): boolean;
}

export class DuplicatePegasusProfileNameError extends Error {
  override name = 'DuplicatePegasusProfileNameError';
  constructor(readonly profileName: string) {
    super(
      `A cluster profile named '${profileName}' already exists (names ignore case): choose another name, or edit that profile`,
    );
  }
}

export class PegasusProfileNotFoundError extends Error {
  override name = 'PegasusProfileNotFoundError';
  constructor(readonly profileId: string) {
    super(`No cluster profile with id '${profileId}' exists (it may have been removed)`);
  }
}

interface ProfileRow {
  id: string;
  name: string;
  connection_id: string | null;
  cluster_root: string | null;
  meta_servers: string;
  tools: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, connection_id, cluster_root, meta_servers, tools, created_at, updated_at';
const FIELDS = ['name', 'connectionId', 'clusterRoot', 'metaServers', 'tools'] as const;

export function createPegasusProfilesRepo(
  db: Database.Database,
  events: EventsRepo,
  now: () => number,
): PegasusProfilesRepo {
  const listStmt = db.prepare<[], ProfileRow>(
    `SELECT ${COLUMNS} FROM pegasus_profiles ORDER BY name COLLATE NOCASE, id`,
  );
  const getStmt = db.prepare<[string], ProfileRow>(`SELECT ${COLUMNS} FROM pegasus_profiles WHERE id = ?`);
  const insertStmt = db.prepare<[ProfileRow]>(
    `INSERT INTO pegasus_profiles (${COLUMNS}) VALUES (@id, @name, @connection_id, @cluster_root,
       @meta_servers, @tools, @created_at, @updated_at)`,
  );
  const updateStmt = db.prepare<[ProfileRow]>(
    `UPDATE pegasus_profiles SET name = @name, connection_id = @connection_id, cluster_root = @cluster_root,
       meta_servers = @meta_servers, tools = @tools, updated_at = @updated_at WHERE id = @id`,
  );
  const removeStmt = db.prepare<[string]>('DELETE FROM pegasus_profiles WHERE id = ?');

  const write = (stmt: Database.Statement<[ProfileRow]>, row: ProfileRow): void => {
    try {
      stmt.run(row);
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new DuplicatePegasusProfileNameError(row.name);
      throw error;
    }
  };

  const create = db.transaction((draft: PegasusProfileDraft, actor: string): PegasusProfile => {
    const input = pegasusProfileInputSchema.parse(draft);
    const at = now();
    const row = toRow(randomUUID(), input, at, at);
    write(insertStmt, row);
    const profile = toProfile(row);
    events.append({
      actor,
      action: 'pegasus-profile.added',
      target: profile.id,
      detail: describe(profile),
    });
    return profile;
  });

  const update = db.transaction((id: string, draft: PegasusProfileDraft, actor: string): PegasusProfile => {
    const input = pegasusProfileInputSchema.parse(draft);
    const current = getStmt.get(id);
    if (!current) throw new PegasusProfileNotFoundError(id);
    const before = toProfile(current);
    const row = toRow(id, input, current.created_at, now());
    write(updateStmt, row);
    const after = toProfile(row);
    const changed = FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
    events.append({
      actor,
      action: 'pegasus-profile.changed',
      target: id,
      detail: {
        name: after.name,
        changed,
        before: pick(describe(before), changed),
        after: pick(describe(after), changed),
      },
    });
    return after;
  });

  const remove = db.transaction((id: string, actor: string): boolean => {
    const current = getStmt.get(id);
    if (!current) return false;
    removeStmt.run(id);
    events.append({
      actor,
      action: 'pegasus-profile.removed',
      target: id,
      detail: describe(toProfile(current)),
    });
    return true;
  });

  return {
    list: () => listStmt.all().map(toProfile),
    get(id) {
      const row = getStmt.get(id);
      return row ? toProfile(row) : undefined;
    },
    create: (input, actor) => create(input, actor),
    update: (id, input, actor) => update(id, input, actor),
    remove: (id, actor) => remove(id, actor),
  };
}

function toRow(id: string, input: PegasusProfileInput, createdAt: number, updatedAt: number): ProfileRow {
  return {
    id,
    name: input.name,
    connection_id: input.connectionId,
    cluster_root: input.clusterRoot === '' ? null : input.clusterRoot,
    meta_servers: JSON.stringify(input.metaServers),
    tools: JSON.stringify(input.tools),
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

function toProfile(row: ProfileRow): PegasusProfile {
  // Rows are written through the schema, so this parse only fills defaults. A row a newer rule would
  // refuse is still listed (the operator must be able to see and fix it): the tool runners check
  // paths again before they spawn anything.
  const raw: unknown = JSON.parse(row.tools);
  const parsed = pegasusToolsSchema.safeParse(raw);
  const tools: PegasusTools = parsed.success ? parsed.data : (raw as PegasusTools);
  return {
    id: row.id,
    name: row.name,
    connectionId: row.connection_id,
    clusterRoot: row.cluster_root,
    metaServers: JSON.parse(row.meta_servers) as string[],
    tools,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The audit detail: every field of the profile (none of them is a secret). */
function describe(profile: PegasusProfile): Record<string, unknown> {
  return {
    name: profile.name,
    connectionId: profile.connectionId,
    clusterRoot: profile.clusterRoot,
    metaServers: profile.metaServers,
    tools: profile.tools,
  };
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
