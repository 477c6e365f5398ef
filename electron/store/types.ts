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

/** JSON objects as the engine tables keep them (parameters, progress, results, checkpoint state). */
export type JsonObject = Record<string, unknown>;

export interface EngineRun {
  id: string;
  /** What ran: 'zk-copy', 'zk-diff', 'zk-cleanup', ... */
  kind: string;
  /** The run's inputs, never a secret (the repository refuses credentials). */
  params: JsonObject;
  /** The engine's state name ('running', 'paused', 'completed', ...). */
  state: string;
  /** The phase it is in or stopped at ('copy', 'verify', ...). */
  phase: string | null;
  progress: JsonObject | null;
  result: JsonObject | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewEngineRun {
  /** Defaults to a random UUID; the CLI's --run-id chooses one. */
  id?: string;
  kind: string;
  params: JsonObject;
  state: string;
  phase?: string | null;
}

export interface EngineRunChanges {
  state?: string;
  phase?: string | null;
  progress?: JsonObject | null;
  result?: JsonObject | null;
}

export interface EngineRunsRepo {
  create(run: NewEngineRun): EngineRun;
  get(id: string): EngineRun | undefined;
  /** Newest first. */
  list(query?: { kind?: string; limit?: number }): EngineRun[];
  update(id: string, changes: EngineRunChanges): EngineRun;
}

export interface Checkpoint {
  runId: string;
  /** The unit of work it describes (a phase, or a phase and a pass). */
  unit: string;
  /** Where to resume; null before the first position or once done. */
  cursor: string | null;
  done: boolean;
  /** Counters and anything else the unit needs to resume with a true picture. */
  state: JsonObject | null;
  updatedAt: number;
}

export interface CheckpointsRepo {
  get(runId: string, unit: string): Checkpoint | undefined;
  list(runId: string): Checkpoint[];
  /** Inserts or replaces the checkpoint of (runId, unit). */
  save(checkpoint: {
    runId: string;
    unit: string;
    cursor: string | null;
    done: boolean;
    state?: JsonObject | null;
  }): Checkpoint;
}

export interface Store {
  readonly file: string;
  readonly schemaVersion: number;
  connections: ConnectionsRepo;
  events: EventsRepo;
  settings: SettingsRepo;
  engineRuns: EngineRunsRepo;
  checkpoints: CheckpointsRepo;
  /** Runs fn in one SQLite transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Seals secrets before they reach SQLite (AES-256-GCM with a key the platform keeps). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
