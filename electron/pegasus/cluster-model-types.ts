/**
 * The Pegasus cluster as read from its ZooKeeper root: what the cluster views, the CLI summary and
 * the runbooks' prechecks consume. Built by `loadClusterModel` (cluster-model.ts).
 */
import type { ReadCounts } from './bounded-reads';
import type { AppInfo } from './decoders/app-info';
import type { AppsRootState } from './decoders/apps-root-state';
import type { BackupInfo } from './decoders/backup-info';
import type { BackupPolicy } from './decoders/backup-policy';
import type { BulkLoadApp } from './decoders/bulk-load-app';
import type { BulkLoadPartition } from './decoders/bulk-load-partition';
import type { DuplicationFailMode, DuplicationInfo, DuplicationStatus } from './decoders/duplication-info';
import type { PartitionConfig } from './decoders/partition-config';
import type { MetaLockHolder, MetaLockState } from './meta-leader';
import type { ModelWarning } from './model-warning';
import type { ClusterHealthCounts, PartitionHealth, TableHealth } from './partition-health';
import type { ReplicaPlacement } from './replica-placement';

/** `app_status` in lower case without `AS_`; 'unknown' when the app node did not decode. */
export type TableStatus =
  | 'available'
  | 'dropped'
  | 'creating'
  | 'create_failed'
  | 'dropping'
  | 'drop_failed'
  | 'recalling'
  | 'invalid'
  | 'unknown';

export interface PartitionModel {
  index: number;
  path: string;
  /** null when the node could not be read or decoded (see the model's warnings for `path`). */
  config: PartitionConfig | null;
  /** By the shell's rules (reference §9); null when `config` is null. */
  health: PartitionHealth | null;
}

export interface DuplicationPartitionProgress {
  partitionIndex: number;
  /** From `<dupid>/<pidx>`; null when that node does not exist yet (created lazily) or did not decode. */
  confirmedDecree: number | null;
  /** The partition's own `last_committed_decree`. */
  lastCommittedDecree: number | null;
  /** lastCommittedDecree - confirmedDecree: mutations not yet confirmed by the remote. */
  lag: number | null;
}

export interface DuplicationModel {
  dupid: number;
  path: string;
  /** null when the dup node did not decode (the meta skips such a dup with "failed to decode json"). */
  info: DuplicationInfo | null;
  status: DuplicationStatus | null;
  statusRaw: string | null;
  remote: string | null;
  failMode: DuplicationFailMode | null;
  /** With the meta's defaults applied for v2.5 payloads: the source app's name and max_replica_count. */
  remoteAppName: string | null;
  remoteReplicaCount: number | null;
  createdAtMs: number | null;
  /** One entry per partition node of the table, by index. */
  progress: DuplicationPartitionProgress[];
  /** Partitions with a progress node. */
  confirmedPartitions: number;
  /** Largest lag over partitions with progress; null when none has progress. */
  maxLag: number | null;
}

export interface BulkLoadModel {
  path: string;
  app: BulkLoadApp | null;
  partitions: { index: number; path: string; state: BulkLoadPartition | null }[];
}

export interface TableModel {
  appId: number;
  path: string;
  name: string | null;
  status: TableStatus;
  /** The decoded app node; null when it could not be decoded. */
  info: AppInfo | null;
  /** Declared `partition_count`, or the number of partition nodes when the app node is unreadable. */
  partitionCount: number;
  partitionsFound: number;
  /** Indexes below partitionCount without a node (a split's unregistered children, or a half-done create). */
  missingPartitions: number[];
  maxReplicaCount: number | null;
  envs: Record<string, string>;
  /** Epoch seconds, null when unknown or 0. */
  createdAt: number | null;
  droppedAt: number | null;
  dropExpiresAt: number | null;
  /** Whether a dropped table is past its hold time (its data may be gone from the replicas). */
  dropExpired: boolean | null;
  /** Fewer partition nodes than partition_count: a split in progress (reference §1.5). */
  splitting: boolean;
  /** `is_bulk_loading` is set, or a `<root>/bulk_load/<app_id>` node exists. */
  bulkLoading: boolean;
  bulkLoad: BulkLoadModel | null;
  /** The app's `duplicating` flag, or a duplication that is not removed. */
  duplicating: boolean;
  duplications: DuplicationModel[];
  health: TableHealth;
  /** Partition nodes found, by index. */
  partitions: PartitionModel[];
  /** Which partition payload versions the table holds. */
  payloadFormat: 'host-port' | 'address-only' | 'mixed' | 'unknown';
}

export interface BackupPolicyModel {
  name: string;
  path: string;
  policy: BackupPolicy | null;
  backups: { name: string; path: string; info: BackupInfo | null }[];
}

export type PayloadKind =
  | 'app'
  | 'partition'
  | 'duplication'
  | 'backup-policy'
  | 'backup'
  | 'bulk-load-app'
  | 'bulk-load-partition';

/** Keys a decoder did not know, aggregated per payload kind (a newer Pegasus adds them to every node). */
export interface UnknownKeyNote {
  kind: PayloadKind;
  key: string;
  count: number;
  examplePath: string;
}

export interface ClusterModel {
  clusterRoot: string;
  /** Epoch ms when the load finished. */
  loadedAt: number;
  /** `<root>/apps`: 'lock' means a meta server would crash loading this tree (reference §1.2). */
  appsRoot: { path: string; exists: boolean; state: AppsRootState | null };
  metaLeader: string | null;
  /** Every lock holder, leader first. */
  metaCandidates: MetaLockHolder[];
  metaLock: Omit<MetaLockState, 'warnings'>;
  /** Every app node, available and dropped, by app id. */
  tables: TableModel[];
  /** Per replica server over available tables, with the shell's stddev figures. */
  placement: ReplicaPlacement;
  /** The shell's app counts over available tables. */
  clusterHealth: ClusterHealthCounts;
  /** `<root>/backup` exists (cold backup enabled at some point). */
  backupRootExists: boolean;
  backupPolicies: BackupPolicyModel[];
  /** `<root>/ranger_policy_meta_root` exists (Ranger ACL enabled). */
  rangerPolicies: boolean;
  unknownKeys: UnknownKeyNote[];
  warnings: ModelWarning[];
  reads: ReadCounts & { peakInFlight: number };
}

export interface LoadClusterModelOptions {
  /** Reads in flight at once (default 64); the session also bounds its own window. */
  concurrency?: number;
  /** Epoch ms used for drop expiry (default Date.now()). */
  now?: number;
  signal?: AbortSignal;
  /** Lock dirs beyond `<root>/lock/dsn.meta.server.leader` and `<root>/dsn.meta.server.leader`. */
  extraLockDirs?: string[];
  /** UNALIVE replica servers from `/meta/nodes`, so the stddev matches the shell's (replica-placement.ts). */
  unaliveNodes?: Iterable<string>;
}
