/** The contract of the local store, as the host uses it. */
import type { AuditEvent } from '../../shared/api/audit';
import type { ConnectionProfile } from '../../shared/api/connections';
import type { TrustedHostKey } from '../../shared/api/ssh-host-keys';
import type { ZkAclView, ZkStatView } from '../../shared/api/zk-node';
import type { PegasusProfilesRepo } from './pegasus-profiles-repo';
import type { RunsRepo } from './runs-repo';

export interface NewConnection {
  name: string;
  connectString: string;
  chroot: string | null;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  /** Plain digest credential; the repository seals it before it touches SQLite. */
  digestAuth: string | null;
  /** The SSH jump host to reach the ensemble through (none when omitted). */
  sshTunnel?: NewSshTunnel | null;
}

export interface NewSshTunnel {
  host: string;
  port: number;
  user: string;
  auth: 'key' | 'password' | 'agent';
  keyPath: string | null;
  /** Plain password or key passphrase, sealed before it touches SQLite; on a change undefined keeps the stored one. */
  secret?: string | null;
}

/** A tunnel change: `secret` undefined keeps the stored one (same login method), null clears it. */
export type SshTunnelChange = NewSshTunnel;

/** A trusted SSH host key of a jump host (confirmed by the operator on first use), as the API shows it. */
export type SshKnownHost = TrustedHostKey;

export interface SshKnownHostsRepo {
  get(host: string, port: number): SshKnownHost | undefined;
  list(): SshKnownHost[];
  /** Inserts or replaces the trusted key of host:port. */
  trust(entry: Omit<SshKnownHost, 'trustedAt'>): SshKnownHost;
  forget(host: string, port: number): boolean;
}

export interface ConnectionChanges extends Partial<Omit<NewConnection, 'digestAuth' | 'sshTunnel'>> {
  /** undefined: keep; null: clear; string: replace. */
  digestAuth?: string | null;
  /** undefined: keep; null: remove the jump host; otherwise replace it. */
  sshTunnel?: SshTunnelChange | null;
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
  /** The unsealed SSH password or key passphrase, for the tunnel only. */
  sshSecret(id: string): string | null;
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

export type SnapshotState = 'capturing' | 'complete' | 'failed';

export interface SnapshotRecord {
  id: string;
  /** The saved connection it was read from; null once that connection is removed. */
  connectionId: string | null;
  connectionName: string;
  /** Connect string (with chroot) as it was when captured; never a credential. */
  connectString: string;
  /** Absolute path of the captured subtree, in the connection's namespace. */
  root: string;
  label: string | null;
  /** Why it was taken: 'manual', 'before-delete', 'before-acl', 'before-import', 'sample', 'export-file'. */
  reason: string;
  state: SnapshotState;
  nodeCount: number;
  byteCount: number;
  /** Why a capture failed; for a complete one, what it could not read (null when nothing). */
  error: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface NewSnapshot {
  id?: string;
  connectionId: string | null;
  connectionName: string;
  connectString: string;
  root: string;
  label?: string | null;
  reason: string;
  /** When the tree was read, if not now (an export file's own time). */
  createdAt?: number;
}

/** A node as a snapshot keeps it: exact bytes, ACL, stat (numChildren counts the captured children). */
export interface SnapshotNodeRecord {
  path: string;
  data: Buffer;
  acl: ZkAclView[];
  stat: ZkStatView;
}

export type SnapshotNodeWrite = SnapshotNodeRecord;

export interface SnapshotsRepo {
  /** A new snapshot in state 'capturing'. */
  create(input: NewSnapshot): SnapshotRecord;
  get(id: string): SnapshotRecord | undefined;
  /** Newest first. */
  list(query?: { connectionId?: string; reason?: string; limit?: number }): SnapshotRecord[];
  /** Inserts a batch of nodes in one transaction. */
  addNodes(id: string, nodes: readonly SnapshotNodeWrite[]): void;
  recordProgress(id: string, nodeCount: number, byteCount: number): void;
  complete(
    id: string,
    summary: { nodeCount: number; byteCount: number; note?: string | null },
  ): SnapshotRecord;
  fail(id: string, error: string, summary?: { nodeCount: number; byteCount: number }): SnapshotRecord;
  /** Marks every snapshot still 'capturing' as failed (a process that died mid-capture); returns how many. */
  failInterrupted(message: string): number;
  /** Deletes the snapshot and its nodes; false when there was none. */
  remove(id: string): boolean;
  node(id: string, path: string): SnapshotNodeRecord | undefined;
  /** Child names of `parent`, sorted (byte order of their UTF-8, as SQLite compares text). */
  children(id: string, parent: string): string[];
  /** Up to `limit` nodes with a path after `afterPath`, in path order: a bounded page. */
  nodesAfter(id: string, afterPath: string, limit: number): SnapshotNodeRecord[];
  /** Nodes at or below `path`. */
  countSubtree(id: string, path: string): number;
  /** The first `limit` paths strictly below `path`. */
  subtreeSample(id: string, path: string, limit: number): string[];
}

export interface Store {
  readonly file: string;
  readonly schemaVersion: number;
  connections: ConnectionsRepo;
  events: EventsRepo;
  settings: SettingsRepo;
  engineRuns: EngineRunsRepo;
  checkpoints: CheckpointsRepo;
  /** Captured subtrees for offline browsing, comparison and rollback (engines/snapshots). */
  snapshots: SnapshotsRepo;
  sshKnownHosts: SshKnownHostsRepo;
  /** Pegasus cluster profiles: paths and addresses of a cluster's tools, never a secret. */
  pegasusProfiles: PegasusProfilesRepo;
  /** Runbook runs, their steps and output (electron/runner owns what the states mean). */
  runs: RunsRepo;
  /** Runs fn in one SQLite transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Seals secrets before they reach SQLite (AES-256-GCM with a key the platform keeps). */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
