/**
 * Trusted SSH host keys of jump hosts, one per host and port: what `~/.ssh/known_hosts` is to ssh,
 * kept in the store so the desktop app and the browser host agree and the audit log can say who
 * trusted which key when.
 */
import type Database from 'better-sqlite3';
import type { SshKnownHost, SshKnownHostsRepo } from './types';

interface KnownHostRow {
  host: string;
  port: number;
  key_type: string;
  fingerprint: string;
  trusted_at: number;
  trusted_by: string;
}

/** Hosts are compared case-insensitively and without IPv6 brackets, as ssh does. */
function hostKey(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function toKnownHost(row: KnownHostRow): SshKnownHost {
  return {
    host: row.host,
    port: row.port,
    keyType: row.key_type,
    fingerprint: row.fingerprint,
    trustedAt: row.trusted_at,
    trustedBy: row.trusted_by,
  };
}

export function createSshKnownHostsRepo(db: Database.Database, now: () => number): SshKnownHostsRepo {
  const getStmt = db.prepare<[string, number], KnownHostRow>(
    'SELECT * FROM ssh_known_hosts WHERE host = ? AND port = ?',
  );
  const listStmt = db.prepare<[], KnownHostRow>('SELECT * FROM ssh_known_hosts ORDER BY host, port');
  const upsertStmt = db.prepare<[KnownHostRow]>(
    `INSERT INTO ssh_known_hosts (host, port, key_type, fingerprint, trusted_at, trusted_by)
     VALUES (@host, @port, @key_type, @fingerprint, @trusted_at, @trusted_by)
     ON CONFLICT (host, port) DO UPDATE SET key_type = excluded.key_type,
       fingerprint = excluded.fingerprint, trusted_at = excluded.trusted_at, trusted_by = excluded.trusted_by`,
  );
  const removeStmt = db.prepare<[string, number]>('DELETE FROM ssh_known_hosts WHERE host = ? AND port = ?');
  return {
    get(host, port) {
      const row = getStmt.get(hostKey(host), port);
      return row ? toKnownHost(row) : undefined;
    },
    list: () => listStmt.all().map(toKnownHost),
    trust(entry) {
      const row: KnownHostRow = {
        host: hostKey(entry.host),
        port: entry.port,
        key_type: entry.keyType,
        fingerprint: entry.fingerprint,
        trusted_at: now(),
        trusted_by: entry.trustedBy,
      };
      upsertStmt.run(row);
      return toKnownHost(row);
    },
    forget: (host, port) => removeStmt.run(hostKey(host), port).changes > 0,
  };
}
