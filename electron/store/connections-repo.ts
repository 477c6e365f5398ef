/** Connection profiles. Digest credentials are sealed before they reach SQLite and never leave in a profile. */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ConnectionProfile, SshAuthKind } from '../../shared/api/connections';
import type { ConnectionChanges, ConnectionsRepo, NewConnection, SecretBox, SshTunnelChange } from './types';

export class DuplicateConnectionNameError extends Error {
  override name = 'DuplicateConnectionNameError';
  constructor(readonly connectionName: string) {
    super(`A connection named '${connectionName}' already exists`);
  }
}

export class ConnectionNotFoundError extends Error {
  override name = 'ConnectionNotFoundError';
  constructor(readonly connectionId: string) {
    super(`No connection with id '${connectionId}' exists (it may have been removed)`);
  }
}

interface ConnectionRow {
  id: string;
  name: string;
  connect_string: string;
  chroot: string | null;
  session_timeout_ms: number;
  connect_timeout_ms: number;
  digest_auth_sealed: string | null;
  read_only: number;
  created_at: number;
  updated_at: number;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_user: string | null;
  ssh_auth: SshAuthKind | null;
  ssh_key_path: string | null;
  ssh_secret_sealed: string | null;
}

type SshColumns = Pick<
  ConnectionRow,
  'ssh_host' | 'ssh_port' | 'ssh_user' | 'ssh_auth' | 'ssh_key_path' | 'ssh_secret_sealed'
>;

const NO_TUNNEL: SshColumns = {
  ssh_host: null,
  ssh_port: null,
  ssh_user: null,
  ssh_auth: null,
  ssh_key_path: null,
  ssh_secret_sealed: null,
};

const COLUMNS =
  'id, name, connect_string, chroot, session_timeout_ms, connect_timeout_ms, digest_auth_sealed, read_only, created_at, updated_at, ' +
  'ssh_host, ssh_port, ssh_user, ssh_auth, ssh_key_path, ssh_secret_sealed';

export function createConnectionsRepo(
  db: Database.Database,
  secretBox: SecretBox,
  now: () => number,
): ConnectionsRepo {
  const listStmt = db.prepare<[], ConnectionRow>(`SELECT ${COLUMNS} FROM connections ORDER BY name, id`);
  const getStmt = db.prepare<[string], ConnectionRow>(`SELECT ${COLUMNS} FROM connections WHERE id = ?`);
  const insertStmt = db.prepare<[ConnectionRow]>(
    `INSERT INTO connections (${COLUMNS}) VALUES (@id, @name, @connect_string, @chroot, @session_timeout_ms,
       @connect_timeout_ms, @digest_auth_sealed, @read_only, @created_at, @updated_at, @ssh_host, @ssh_port,
       @ssh_user, @ssh_auth, @ssh_key_path, @ssh_secret_sealed)`,
  );
  const updateStmt = db.prepare<[ConnectionRow]>(
    `UPDATE connections SET name = @name, connect_string = @connect_string, chroot = @chroot,
       session_timeout_ms = @session_timeout_ms, connect_timeout_ms = @connect_timeout_ms,
       digest_auth_sealed = @digest_auth_sealed, read_only = @read_only, updated_at = @updated_at,
       ssh_host = @ssh_host, ssh_port = @ssh_port, ssh_user = @ssh_user, ssh_auth = @ssh_auth,
       ssh_key_path = @ssh_key_path, ssh_secret_sealed = @ssh_secret_sealed
     WHERE id = @id`,
  );
  const removeStmt = db.prepare<[string]>('DELETE FROM connections WHERE id = ?');

  const sealOrNull = (plain: string | null): string | null => (plain === null ? null : secretBox.seal(plain));

  /** The tunnel columns after a change; a secret only survives while the login method is the same. */
  const sshColumns = (current: SshColumns, change: SshTunnelChange | null | undefined): SshColumns => {
    if (change === undefined) {
      return {
        ssh_host: current.ssh_host,
        ssh_port: current.ssh_port,
        ssh_user: current.ssh_user,
        ssh_auth: current.ssh_auth,
        ssh_key_path: current.ssh_key_path,
        ssh_secret_sealed: current.ssh_secret_sealed,
      };
    }
    if (change === null) return NO_TUNNEL;
    const sameMethod = current.ssh_auth === change.auth;
    const secret =
      change.auth === 'agent'
        ? null
        : change.secret === undefined
          ? sameMethod
            ? current.ssh_secret_sealed
            : null
          : change.secret === null || change.secret === ''
            ? null
            : secretBox.seal(change.secret);
    return {
      ssh_host: change.host,
      ssh_port: change.port,
      ssh_user: change.user,
      ssh_auth: change.auth,
      ssh_key_path: change.auth === 'key' ? change.keyPath : null,
      ssh_secret_sealed: secret,
    };
  };

  const write = (stmt: Database.Statement<[ConnectionRow]>, row: ConnectionRow): void => {
    try {
      stmt.run(row);
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateConnectionNameError(row.name);
      throw error;
    }
  };

  const update = db.transaction((id: string, changes: ConnectionChanges): ConnectionProfile => {
    const current = getStmt.get(id);
    if (!current) throw new ConnectionNotFoundError(id);
    const next: ConnectionRow = {
      ...current,
      name: changes.name ?? current.name,
      connect_string: changes.connectString ?? current.connect_string,
      chroot: changes.chroot === undefined ? current.chroot : changes.chroot,
      session_timeout_ms: changes.sessionTimeoutMs ?? current.session_timeout_ms,
      connect_timeout_ms: changes.connectTimeoutMs ?? current.connect_timeout_ms,
      digest_auth_sealed:
        changes.digestAuth === undefined ? current.digest_auth_sealed : sealOrNull(changes.digestAuth),
      read_only: changes.readOnly === undefined ? current.read_only : changes.readOnly ? 1 : 0,
      updated_at: now(),
      ...sshColumns(current, changes.sshTunnel),
    };
    write(updateStmt, next);
    return toProfile(next);
  });

  return {
    list: () => listStmt.all().map(toProfile),

    get(id) {
      const row = getStmt.get(id);
      return row ? toProfile(row) : undefined;
    },

    create(input: NewConnection) {
      const at = now();
      const row: ConnectionRow = {
        id: randomUUID(),
        name: input.name,
        connect_string: input.connectString,
        chroot: input.chroot,
        session_timeout_ms: input.sessionTimeoutMs,
        connect_timeout_ms: input.connectTimeoutMs,
        digest_auth_sealed: sealOrNull(input.digestAuth),
        // Read-only until the operator deliberately switches it (design, section 8).
        read_only: 1,
        created_at: at,
        updated_at: at,
        ...sshColumns(NO_TUNNEL, input.sshTunnel ?? null),
      };
      write(insertStmt, row);
      return toProfile(row);
    },

    update: (id, changes) => update(id, changes),

    remove: (id) => removeStmt.run(id).changes > 0,

    digestAuth(id) {
      const row = getStmt.get(id);
      // Throwing rather than returning null: a caller must never connect without auth by mistake.
      if (!row) throw new ConnectionNotFoundError(id);
      if (row.digest_auth_sealed === null) return null;
      try {
        return secretBox.open(row.digest_auth_sealed);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`The digest credential of connection '${row.name}' cannot be opened. ${message}`, {
          cause: error,
        });
      }
    },

    sshSecret(id) {
      const row = getStmt.get(id);
      if (!row) throw new ConnectionNotFoundError(id);
      if (row.ssh_secret_sealed === null) return null;
      try {
        return secretBox.open(row.ssh_secret_sealed);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(
          `The SSH password or passphrase of connection '${row.name}' cannot be opened. ${message}`,
          { cause: error },
        );
      }
    },
  };
}

function toProfile(row: ConnectionRow): ConnectionProfile {
  return {
    id: row.id,
    name: row.name,
    connectString: row.connect_string,
    chroot: row.chroot,
    sessionTimeoutMs: row.session_timeout_ms,
    connectTimeoutMs: row.connect_timeout_ms,
    hasDigestAuth: row.digest_auth_sealed !== null,
    sshTunnel:
      row.ssh_host === null || row.ssh_user === null || row.ssh_auth === null
        ? null
        : {
            host: row.ssh_host,
            port: row.ssh_port ?? 22,
            user: row.ssh_user,
            auth: row.ssh_auth,
            keyPath: row.ssh_key_path,
            hasSecret: row.ssh_secret_sealed !== null,
          },
    readOnly: row.read_only === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
