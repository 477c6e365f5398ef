/**
 * What the Pegasus views show, cut from a ClusterModel: the overview (one row per table, no
 * partitions, so a 400 x 128 cluster crosses the API as ~200 KB instead of the whole model), the
 * detail of one table, and every duplication of the cluster in one list.
 */
import type {
  BackupPolicyModel,
  ClusterModel,
  DuplicationModel,
  TableModel,
  TableStatus,
  UnknownKeyNote,
} from './cluster-model-types';
import type { MetaLockHolder } from './meta-leader';
import type { ModelWarning } from './model-warning';
import type { ClusterHealthCounts, PartitionHealthLevel, TableHealth } from './partition-health';
import type { ReplicaPlacement } from './replica-placement';

/** The worst partition class of an available table; 'n/a' for tables that are not available. */
export type TableHealthLevel = PartitionHealthLevel | 'n/a';

/** How bad, for sorting "unhealthy first": higher is worse. */
export const HEALTH_SEVERITY: Readonly<Record<TableHealthLevel, number>> = {
  'read-unhealthy': 3,
  'write-unhealthy': 2,
  unhealthy: 1,
  healthy: 0,
  'n/a': -1,
};

export interface OverviewTableRow {
  appId: number;
  name: string | null;
  status: TableStatus;
  path: string;
  partitionCount: number;
  partitionsFound: number;
  maxReplicaCount: number | null;
  envs: Record<string, string>;
  /** Epoch seconds. */
  createdAt: number | null;
  droppedAt: number | null;
  dropExpiresAt: number | null;
  dropExpired: boolean | null;
  health: TableHealth;
  healthLevel: TableHealthLevel;
  splitting: boolean;
  bulkLoading: boolean;
  /** The bulk load's app status token ('BLS_DOWNLOADING'), when a bulk_load node exists. */
  bulkLoadStatus: string | null;
  duplicating: boolean;
  /** Duplications not removed. */
  activeDuplications: number;
  payloadFormat: TableModel['payloadFormat'];
  /** The app node did not decode: the row shows what the partitions say. */
  appNodeUnreadable: boolean;
  /** Warnings about this table's nodes (app, partitions, duplications). */
  warningCount: number;
}

export interface OverviewMetaCandidate {
  address: string | null;
  node: string;
  path: string;
  sequence: number;
  /** Epoch ms the lock node was created: when this meta joined the election. */
  since: number | null;
  ephemeralOwner: string | null;
  leader: boolean;
}

export interface ClusterOverview {
  clusterRoot: string;
  /** Epoch ms when the model finished loading: the age of every ZooKeeper fact below. */
  loadedAt: number;
  appsRoot: ClusterModel['appsRoot'];
  metaLeader: string | null;
  metaCandidates: OverviewMetaCandidate[];
  metaLockDir: string | null;
  tables: OverviewTableRow[];
  counts: { tables: number; available: number; dropped: number; other: number; partitions: number };
  clusterHealth: ClusterHealthCounts;
  placement: ReplicaPlacement;
  backupPolicies: {
    name: string;
    path: string;
    appIds: number[];
    disabled: boolean | null;
    backups: number;
    decoded: boolean;
  }[];
  rangerPolicies: boolean;
  unknownKeys: UnknownKeyNote[];
  /** At most WARNINGS_SHOWN; `warningTotal` says how many there were. */
  warnings: ModelWarning[];
  warningTotal: number;
}

export const WARNINGS_SHOWN = 500;

function healthLevelOf(status: TableStatus, health: TableHealth): TableHealthLevel {
  if (status !== 'available') return 'n/a';
  if (health.readUnhealthy > 0) return 'read-unhealthy';
  if (health.writeUnhealthy > 0) return 'write-unhealthy';
  if (health.unhealthy > 0) return 'unhealthy';
  return 'healthy';
}

/** Warnings per table app id, from their paths (`<root>/apps/<id>/...`). */
function warningsPerTable(model: ClusterModel): Map<number, number> {
  const prefix = `${model.appsRoot.path}/`;
  const counts = new Map<number, number>();
  for (const warning of model.warnings) {
    if (!warning.path.startsWith(prefix)) continue;
    const id = Number(warning.path.slice(prefix.length).split('/')[0]);
    if (Number.isInteger(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function isActive(dup: DuplicationModel): boolean {
  return dup.status !== null && dup.status !== 'DS_REMOVED';
}

export function overviewRow(table: TableModel, warningCount = 0): OverviewTableRow {
  return {
    appId: table.appId,
    name: table.name,
    status: table.status,
    path: table.path,
    partitionCount: table.partitionCount,
    partitionsFound: table.partitionsFound,
    maxReplicaCount: table.maxReplicaCount,
    envs: table.envs,
    createdAt: table.createdAt,
    droppedAt: table.droppedAt,
    dropExpiresAt: table.dropExpiresAt,
    dropExpired: table.dropExpired,
    health: table.health,
    healthLevel: healthLevelOf(table.status, table.health),
    splitting: table.splitting,
    bulkLoading: table.bulkLoading,
    bulkLoadStatus: table.bulkLoad?.app?.status ?? null,
    duplicating: table.duplicating,
    activeDuplications: table.duplications.filter(isActive).length,
    payloadFormat: table.payloadFormat,
    appNodeUnreadable: table.info === null,
    warningCount,
  };
}

function candidates(holders: readonly MetaLockHolder[], leader: string | null): OverviewMetaCandidate[] {
  return holders.map((holder, index) => ({
    address: holder.address,
    node: holder.node,
    path: holder.path,
    sequence: holder.sequence,
    since: holder.since,
    ephemeralOwner: holder.ephemeralOwner,
    // Holders come leader first (lowest sequence); the address check covers an undecodable leader.
    leader: index === 0 && (leader === null || holder.address === leader),
  }));
}

function policyRow(policy: BackupPolicyModel): ClusterOverview['backupPolicies'][number] {
  return {
    name: policy.name,
    path: policy.path,
    appIds: policy.policy?.appIds ?? [],
    disabled: policy.policy?.disabled ?? null,
    backups: policy.backups.length,
    decoded: policy.policy !== null,
  };
}

export function clusterOverview(model: ClusterModel): ClusterOverview {
  const perTable = warningsPerTable(model);
  const tables = model.tables.map((table) => overviewRow(table, perTable.get(table.appId) ?? 0));
  const available = tables.filter((row) => row.status === 'available').length;
  const dropped = tables.filter((row) => row.status === 'dropped').length;
  return {
    clusterRoot: model.clusterRoot,
    loadedAt: model.loadedAt,
    appsRoot: model.appsRoot,
    metaLeader: model.metaLeader,
    metaCandidates: candidates(model.metaCandidates, model.metaLeader),
    metaLockDir: model.metaLock.lockDir,
    tables,
    counts: {
      tables: tables.length,
      available,
      dropped,
      other: tables.length - available - dropped,
      partitions: model.tables.reduce((sum, table) => sum + table.partitionsFound, 0),
    },
    clusterHealth: model.clusterHealth,
    placement: model.placement,
    backupPolicies: model.backupPolicies.map(policyRow),
    rangerPolicies: model.rangerPolicies,
    unknownKeys: model.unknownKeys,
    warnings: model.warnings.slice(0, WARNINGS_SHOWN),
    warningTotal: model.warnings.length,
  };
}

export interface PartitionRow {
  index: number;
  path: string;
  /** False when the node did not decode (its warning says why). */
  decoded: boolean;
  ballot: number | null;
  primary: string | null;
  secondaries: string[];
  lastDrops: string[];
  lastCommittedDecree: number | null;
  maxReplicaCount: number | null;
  replicaCount: number | null;
  dropped: boolean;
  format: 'host-port' | 'address-only' | null;
  /** 'missing' for an index below partition_count without a node (a split child not registered yet). */
  health: PartitionHealthLevel | 'missing' | 'undecoded';
}

export interface TableDetail {
  clusterRoot: string;
  loadedAt: number;
  table: OverviewTableRow;
  /** One row per index below partition_count, missing ones included. */
  partitions: PartitionRow[];
  duplications: DuplicationModel[];
  bulkLoad: TableModel['bulkLoad'];
  /** Decoded app node fields beyond the row (init partition count, stateful, ...); null if undecoded. */
  appInfo: TableModel['info'];
  warnings: ModelWarning[];
}

function partitionRows(table: TableModel): PartitionRow[] {
  const byIndex = new Map(table.partitions.map((partition) => [partition.index, partition]));
  const rows: PartitionRow[] = [];
  for (let index = 0; index < table.partitionCount; index += 1) {
    const partition = byIndex.get(index);
    const config = partition?.config ?? null;
    rows.push({
      index,
      path: partition?.path ?? `${table.path}/${index}`,
      decoded: config !== null,
      ballot: config?.ballot ?? null,
      primary: config?.display.primary ?? null,
      secondaries: config?.display.secondaries ?? [],
      lastDrops: config?.display.lastDrops ?? [],
      lastCommittedDecree: config?.lastCommittedDecree ?? null,
      maxReplicaCount: config?.maxReplicaCount ?? null,
      replicaCount: partition?.health?.replicaCount ?? null,
      dropped: config?.dropped ?? false,
      format: config?.format ?? null,
      health: !partition ? 'missing' : (partition.health?.level ?? 'undecoded'),
    });
  }
  return rows;
}

export function tableDetail(model: ClusterModel, appId: number): TableDetail | null {
  const table = model.tables.find((candidate) => candidate.appId === appId);
  if (!table) return null;
  const prefix = `${table.path}/`;
  const warnings = model.warnings.filter(
    (warning) => warning.path === table.path || warning.path.startsWith(prefix),
  );
  return {
    clusterRoot: model.clusterRoot,
    loadedAt: model.loadedAt,
    table: overviewRow(table, warnings.length),
    partitions: partitionRows(table),
    duplications: table.duplications,
    bulkLoad: table.bulkLoad,
    appInfo: table.info,
    warnings,
  };
}

export interface DuplicationListEntry {
  appId: number;
  tableName: string | null;
  tableStatus: TableStatus;
  dupid: number;
  path: string;
  status: string | null;
  statusRaw: string | null;
  /** A legacy or unknown status read as removed (reference §1.7). */
  statusUnknown: boolean;
  remote: string | null;
  remoteAppName: string | null;
  remoteReplicaCount: number | null;
  failMode: string | null;
  createdAtMs: number | null;
  partitionCount: number;
  confirmedPartitions: number;
  maxLag: number | null;
  /** Sum of the per-partition lags that are known. */
  totalLag: number | null;
  decoded: boolean;
}

export function duplicationList(model: ClusterModel): DuplicationListEntry[] {
  return model.tables.flatMap((table) =>
    table.duplications.map((dup) => {
      const lags = dup.progress.map((p) => p.lag).filter((lag): lag is number => lag !== null);
      return {
        appId: table.appId,
        tableName: table.name,
        tableStatus: table.status,
        dupid: dup.dupid,
        path: dup.path,
        status: dup.status,
        statusRaw: dup.statusRaw,
        statusUnknown: dup.info?.statusUnknown ?? false,
        remote: dup.remote,
        remoteAppName: dup.remoteAppName,
        remoteReplicaCount: dup.remoteReplicaCount,
        failMode: dup.failMode,
        createdAtMs: dup.createdAtMs,
        partitionCount: table.partitionCount,
        confirmedPartitions: dup.confirmedPartitions,
        maxLag: dup.maxLag,
        totalLag: lags.length > 0 ? lags.reduce((sum, lag) => sum + lag, 0) : null,
        decoded: dup.info !== null,
      };
    }),
  );
}
