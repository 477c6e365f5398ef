/** The contract of the local store, as the host uses it. */
import type { AuditEvent } from '../../shared/api/audit';
import type { ConnectionProfile } from '../../shared/api/connections';

export interface NewConnection {
  name: string;
  connectString: string;
  chroot: string | null;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  /** Plain digest credential; the repository seals it before it touches SQLite. */
  digestAuth: string | null;
}

export interface ConnectionChanges extends Partial<Omit<NewConnection, 'digestAuth'>> {
  /** undefined: keep; null: clear; string: replace. */
  digestAuth?: string | null;
  readOnly?: boolean;
}

export interface ConnectionsRepo {
  list(): ConnectionProfile[];
  get(id: string): ConnectionProfile | undefined;
  create(input: NewConnection): ConnectionProfile;
  update(id: string, changes: ConnectionChanges): ConnectionProfile;
  remove(id: string): boolean;
  /** The unsealed digest credential, for the ZooKeeper layer only. */
  digestAuth(id: string): string | null;
}

export interface AppendEvent {
  actor: string;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
}

export interface EventsRepo {
  append(event: AppendEvent): AuditEvent;
  list(query?: { limit?: number; beforeId?: number; actionPrefix?: string; target?: string }): AuditEvent[];
}

export interface SettingsRepo {
  get<T>(key: string): T | undefined;
  set<T>(key: string, value: T): void;
}

export interface Store {
  readonly file: string;
  readonly schemaVersion: number;
  connections: ConnectionsRepo;
  events: EventsRepo;
  settings: SettingsRepo;
  /** Runs fn in one SQLite transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Seals secrets before they reach SQLite (AES-256-GCM with a key the platform keeps). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
