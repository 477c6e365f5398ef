/**
 * Schema migrations. The schema version is `PRAGMA user_version`; MIGRATIONS[i] takes a database from
 * version i to version i + 1. To change the schema, append one entry: never edit or reorder a shipped
 * one, operators' files were already migrated by it.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  /** What the migration does, for the error message when it fails. */
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'connections, events, settings',
    up(db) {
      // STRICT: a wrong type is an error at the write, not a surprise at a later read.
      // name is NOCASE so 'prod' and 'Prod' cannot both exist: two profiles an operator cannot tell
      // apart at a glance is how a write goes to the wrong cluster.
      db.exec(`
        CREATE TABLE connections (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
          connect_string TEXT NOT NULL,
          chroot TEXT NULL,
          session_timeout_ms INTEGER NOT NULL,
          connect_timeout_ms INTEGER NOT NULL,
          digest_auth_sealed TEXT NULL,
          read_only INTEGER NOT NULL DEFAULT 1 CHECK (read_only IN (0, 1)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NULL,
          detail TEXT NOT NULL CHECK (json_valid(detail))
        ) STRICT;
        CREATE INDEX events_action ON events (action);
        CREATE INDEX events_target ON events (target);

        -- The audit trail is evidence for change tickets: SQLite itself refuses to rewrite it, so no
        -- code path (or a later bug) in the app can.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

        CREATE TABLE settings (
          key TEXT PRIMARY KEY NOT NULL,
          value TEXT NOT NULL CHECK (json_valid(value))
        ) STRICT;
      `);
    },
  },
  {
    name: 'engine runs and checkpoints',
    up(db) {
      // engine_runs: one row per engine run (a copy, a diff, a cleanup), its parameters without any
      // secret, and where it stands. checkpoints: per run and unit (a phase), how far it got; written
      // in the same transaction as the progress it records, so a run killed at any moment resumes
      // from a position that is true.
      db.exec(`
        CREATE TABLE engine_runs (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          kind TEXT NOT NULL,
          params TEXT NOT NULL CHECK (json_valid(params)),
          state TEXT NOT NULL,
          phase TEXT NULL,
          progress TEXT NULL CHECK (progress IS NULL OR json_valid(progress)),
          result TEXT NULL CHECK (result IS NULL OR json_valid(result)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX engine_runs_created ON engine_runs (created_at);

        CREATE TABLE checkpoints (
          run_id TEXT NOT NULL REFERENCES engine_runs (id) ON DELETE CASCADE,
          unit TEXT NOT NULL,
          cursor TEXT NULL,
          done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
          state TEXT NULL CHECK (state IS NULL OR json_valid(state)),
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (run_id, unit)
        ) STRICT;
      `);
    },
  },
  {
    name: 'runbook runs, Pegasus tool profiles, snapshots',
    up(db) {
      // runs / run_steps: one row per runbook run and per step of it. The step list is copied into
      // run_steps when the run is created, so a run shows (and resumes) the steps it was started with
      // even after a newer app changes the runbook. Transitions are also audit events (events table,
      // target 'run:<id>'); these tables hold where a run stands, the events hold how it got there.
      // run_output: the lines a step printed (tool stdout/stderr, engine log), kept for the report.
      // pegasus_profiles: per cluster, how to reach it (ZooKeeper connection + root, meta servers) and
      // which tools to run (shell, admin-cli); paths only, never a secret.
      // snapshots / snapshot_nodes: a captured subtree, browsable offline like a live tree; data is a
      // BLOB so bytes survive exactly; (snapshot_id, parent, path) lists children in order.
      db.exec(`
        CREATE TABLE runs (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          runbook_id TEXT NOT NULL,
          title TEXT NOT NULL,
          params TEXT NOT NULL CHECK (json_valid(params)),
          state TEXT NOT NULL,
          current_step INTEGER NULL,
          operator TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER NULL,
          ended_at INTEGER NULL,
          updated_at INTEGER NOT NULL,
          detail TEXT NULL CHECK (detail IS NULL OR json_valid(detail))
        ) STRICT;
        CREATE INDEX runs_created ON runs (created_at);
        CREATE INDEX runs_state ON runs (state);

        CREATE TABLE run_steps (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          idx INTEGER NOT NULL CHECK (idx >= 0),
          step_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          title TEXT NOT NULL,
          state TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          started_at INTEGER NULL,
          ended_at INTEGER NULL,
          result TEXT NULL CHECK (result IS NULL OR json_valid(result)),
          note TEXT NULL,
          skip_reason TEXT NULL,
          PRIMARY KEY (run_id, idx)
        ) STRICT;

        CREATE TABLE run_output (
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          idx INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          at INTEGER NOT NULL,
          stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr', 'log')),
          line TEXT NOT NULL,
          PRIMARY KEY (run_id, idx, seq)
        ) STRICT;

        CREATE TABLE pegasus_profiles (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
          connection_id TEXT NULL,
          cluster_root TEXT NULL,
          meta_servers TEXT NOT NULL CHECK (json_valid(meta_servers)),
          tools TEXT NOT NULL CHECK (json_valid(tools)),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE snapshots (
          id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
          connection_id TEXT NULL,
          connection_name TEXT NOT NULL,
          connect_string TEXT NOT NULL,
          root TEXT NOT NULL,
          label TEXT NULL,
          reason TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('capturing', 'complete', 'failed')),
          node_count INTEGER NOT NULL DEFAULT 0,
          byte_count INTEGER NOT NULL DEFAULT 0,
          error TEXT NULL,
          created_at INTEGER NOT NULL,
          completed_at INTEGER NULL
        ) STRICT;
        CREATE INDEX snapshots_created ON snapshots (created_at);

        CREATE TABLE snapshot_nodes (
          snapshot_id TEXT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
          path TEXT NOT NULL,
          parent TEXT NOT NULL,
          data BLOB NOT NULL,
          acl TEXT NOT NULL CHECK (json_valid(acl)),
          stat TEXT NOT NULL CHECK (json_valid(stat)),
          PRIMARY KEY (snapshot_id, path)
        ) STRICT;
        CREATE INDEX snapshot_nodes_children ON snapshot_nodes (snapshot_id, parent, path);
      `);
    },
  },
  {
    name: 'SSH jump hosts of connections, trusted SSH host keys',
    up(db) {
      // A connection may reach its ensemble through an SSH jump host. The password or key passphrase
      // is sealed by the SecretBox like the digest credential (ssh_secret_sealed); the key file
      // stays where the operator keeps it (only its path is stored).
      // ssh_known_hosts: the host key the operator confirmed for a jump host (first use), per host
      // and port, shared by every connection through it; a different key later is refused.
      db.exec(`
        ALTER TABLE connections ADD COLUMN ssh_host TEXT NULL;
        ALTER TABLE connections ADD COLUMN ssh_port INTEGER NULL;
        ALTER TABLE connections ADD COLUMN ssh_user TEXT NULL;
        ALTER TABLE connections ADD COLUMN ssh_auth TEXT NULL
          CHECK (ssh_auth IS NULL OR ssh_auth IN ('key', 'password', 'agent'));
        ALTER TABLE connections ADD COLUMN ssh_key_path TEXT NULL;
        ALTER TABLE connections ADD COLUMN ssh_secret_sealed TEXT NULL;

        CREATE TABLE ssh_known_hosts (
          host TEXT NOT NULL CHECK (length(host) > 0),
          port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
          key_type TEXT NOT NULL,
          fingerprint TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
          trusted_at INTEGER NOT NULL,
          trusted_by TEXT NOT NULL,
          PRIMARY KEY (host, port)
        ) STRICT;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer Migration Desk; it is refused untouched. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly latestKnown: number,
  ) {
    super(
      `The store ${file} has schema version ${fileVersion}, but this Migration Desk knows schema versions up to ` +
        `${latestKnown}. Update Migration Desk, or start it with another --data-dir. The file was not changed.`,
    );
  }
}

export function readSchemaVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Throws StoreVersionError for a file from a newer app. Reads only: call it before any write. */
export function assertKnownVersion(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const version = readSchemaVersion(db);
  if (version > migrations.length) throw new StoreVersionError(file, version, migrations.length);
  return version;
}

/**
 * Brings the database to the newest version. Each migration runs in its own transaction together with
 * its user_version bump, so a failure leaves the file at the previous version, never in between.
 * Returns the schema version the file has afterwards.
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  assertKnownVersion(db, file, migrations);
  for (let target = 1; target <= migrations.length; target++) {
    // Without this, every start would take the write lock once per migration for nothing.
    if (readSchemaVersion(db) >= target) continue;
    const migration = migrations[target - 1]!;
    const step = db.transaction(() => {
      // Read again under the write lock: another process opening the same file may have just
      // applied this migration while we waited for the lock.
      const current = assertKnownVersion(db, file, migrations);
      if (current >= target) return;
      migration.up(db);
      db.pragma(`user_version = ${target}`);
    });
    try {
      step.immediate();
    } catch (error) {
      if (error instanceof StoreVersionError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Migrating the store ${file} to schema version ${target} (${migration.name}) failed: ${message}. ` +
          `The file was left at schema version ${target - 1}.`,
        { cause: error },
      );
    }
  }
  return readSchemaVersion(db);
}
