/**
 * Reads a whole Pegasus cluster's metadata from its ZooKeeper root (reference §1) into a
 * ClusterModel: meta leader, tables with partitions, health, duplications, bulk loads, backup
 * policies and replica placement.
 *
 * Reading: bounded concurrency (BoundedReads), getChildren only when a node has children, every
 * decoder tolerant. A payload that does not decode becomes a warning naming its path and never
 * breaks the model; a node that vanished mid-read is skipped; only a lost session (or an unreadable
 * root) fails the load.
 */
import { joinZkPath } from '../../shared/zk-path';
import { BoundedReads } from './bounded-reads';
import type {
  BackupPolicyModel,
  BulkLoadModel,
  ClusterModel,
  DuplicationModel,
  DuplicationPartitionProgress,
  LoadClusterModelOptions,
  PartitionModel,
  PayloadKind,
  TableModel,
  TableStatus,
  UnknownKeyNote,
} from './cluster-model-types';
import { type AppInfo, decodeAppInfo } from './decoders/app-info';
import { decodeAppsRootState } from './decoders/apps-root-state';
import { decodeBackupInfo } from './decoders/backup-info';
import { decodeBackupPolicy } from './decoders/backup-policy';
import { decodeBulkLoadApp } from './decoders/bulk-load-app';
import { decodeBulkLoadPartition } from './decoders/bulk-load-partition';
import type { DecodeResult } from './decoders/decode-result';
import { decodeDuplicationInfo } from './decoders/duplication-info';
import { decodeDuplicationProgress } from './decoders/duplication-progress';
import { decodePartitionConfig } from './decoders/partition-config';
import { readMetaLock } from './meta-leader';
import type { ModelWarning } from './model-warning';
import { classifyPartition, summarizeClusterHealth, summarizeTableHealth } from './partition-health';
import { computeReplicaPlacement } from './replica-placement';
import type { ZkReader } from './zk-reader';

export type * from './cluster-model-types';
export { summarizeCluster } from './cluster-summary';

export const DEFAULT_MODEL_CONCURRENCY = 64;

/** The load could not start: the root itself is missing or unreadable. */
export class ClusterModelError extends Error {
  override name = 'ClusterModelError';
  constructor(
    readonly code: 'ROOT_NOT_FOUND' | 'ROOT_UNREADABLE',
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const NUMERIC = /^\d+$/;
const byNumber = (a: number, b: number) => a - b;

/** Collects warnings and unknown keys while the loaders run in parallel. */
class LoadContext {
  readonly warnings: ModelWarning[] = [];
  private readonly unknown = new Map<string, UnknownKeyNote>();

  constructor(readonly reads: BoundedReads) {}

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** Unwraps a decode result: the value, or null after recording a warning for `path`. */
  decoded<T>(kind: PayloadKind, path: string, result: DecodeResult<T>): T | null {
    if (!result.ok) {
      this.warn(path, `could not decode (${kind}): ${result.error}`);
      return null;
    }
    for (const key of result.unknownKeys) {
      const id = `${kind}\u0000${key}`;
      const note = this.unknown.get(id);
      if (note) note.count += 1;
      else this.unknown.set(id, { kind, key, count: 1, examplePath: path });
    }
    return result.value;
  }

  /** Reads and decodes one node; null (with a warning unless it simply vanished) when that fails. */
  async readDecoded<T>(
    kind: PayloadKind,
    path: string,
    decode: (raw: Buffer) => DecodeResult<T>,
  ): Promise<{ value: T | null; numChildren: number } | null> {
    const read = await this.reads.getData(path);
    if (read.kind === 'missing') return null;
    if (read.kind === 'denied') {
      this.warn(path, `cannot read: ${read.message}`);
      return { value: null, numChildren: 0 };
    }
    return {
      value: this.decoded(kind, path, decode(read.value.data)),
      numChildren: read.value.stat.numChildren,
    };
  }

  /** Lists children (when there are any), with a warning when an ACL hides them. */
  async children(path: string, numChildren: number): Promise<string[]> {
    const listed = await this.reads.childrenOf(path, { numChildren });
    if (listed.kind === 'denied') this.warn(path, `cannot list children: ${listed.message}`);
    return listed.kind === 'ok' ? listed.value : [];
  }

  unknownKeys(): UnknownKeyNote[] {
    return [...this.unknown.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key),
    );
  }
}

function tableStatus(info: AppInfo | null): TableStatus {
  if (!info?.status) return 'unknown';
  return info.status.slice(3).toLowerCase() as TableStatus;
}

function positiveOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && value > 0 ? value : null;
}

async function loadPartition(
  ctx: LoadContext,
  tablePath: string,
  index: number,
  appId: number,
): Promise<PartitionModel | null> {
  const path = joinZkPath(tablePath, String(index));
  const read = await ctx.readDecoded('partition', path, decodePartitionConfig);
  if (read === null) return null;
  const config = read.value;
  if (config && (config.appId !== appId || config.partitionIndex !== index) && config.pidRaw !== null) {
    ctx.warn(path, `pid "${config.pidRaw}" does not match the node's place (${appId}.${index})`);
  }
  return { index, path, config, health: null };
}

async function loadDuplication(
  ctx: LoadContext,
  dupDir: string,
  name: string,
): Promise<{
  path: string;
  dupid: number;
  info: DuplicationModel['info'];
  progress: Map<number, number | null>;
} | null> {
  const path = joinZkPath(dupDir, name);
  if (!NUMERIC.test(name)) {
    ctx.warn(path, 'not a duplication id (dupids are creation times in seconds); ignored');
    return null;
  }
  const read = await ctx.readDecoded('duplication', path, decodeDuplicationInfo);
  if (read === null) return null;
  const progress = new Map<number, number | null>();
  const children = await ctx.children(path, read.numChildren);
  await Promise.all(
    children.map(async (child) => {
      const progressPath = joinZkPath(path, child);
      if (!NUMERIC.test(child)) {
        ctx.warn(progressPath, 'not a partition index; ignored');
        return;
      }
      const data = await ctx.reads.getData(progressPath);
      if (data.kind === 'missing') return;
      if (data.kind === 'denied') {
        ctx.warn(progressPath, `cannot read: ${data.message}`);
        progress.set(Number(child), null);
        return;
      }
      const decoded = decodeDuplicationProgress(data.value.data);
      if (!decoded.ok) ctx.warn(progressPath, `could not decode (duplication progress): ${decoded.error}`);
      progress.set(Number(child), decoded.ok ? decoded.value.confirmedDecree : null);
    }),
  );
  return { path, dupid: Number(name), info: read.value, progress };
}

function duplicationModel(
  dup: NonNullable<Awaited<ReturnType<typeof loadDuplication>>>,
  info: AppInfo | null,
  partitions: PartitionModel[],
): DuplicationModel {
  const progress: DuplicationPartitionProgress[] = partitions.map((partition) => {
    const confirmedDecree = dup.progress.get(partition.index) ?? null;
    const lastCommittedDecree = partition.config?.lastCommittedDecree ?? null;
    const lag =
      confirmedDecree !== null && lastCommittedDecree !== null ? lastCommittedDecree - confirmedDecree : null;
    return { partitionIndex: partition.index, confirmedDecree, lastCommittedDecree, lag };
  });
  const lags = progress.map((entry) => entry.lag).filter((lag): lag is number => lag !== null);
  const d = dup.info;
  return {
    dupid: dup.dupid,
    path: dup.path,
    info: d,
    status: d?.status ?? null,
    statusRaw: d?.statusRaw ?? null,
    remote: d?.remote ?? null,
    failMode: d?.failMode ?? null,
    // Missing on v2.5 payloads: the meta defaults them from the source app (reference §1.7).
    remoteAppName: d ? (d.remoteAppName ?? info?.appName ?? null) : null,
    remoteReplicaCount: d ? (d.remoteReplicaCount ?? info?.maxReplicaCount ?? null) : null,
    createdAtMs: d?.createTimestampMs ?? null,
    progress,
    confirmedPartitions: [...dup.progress.values()].filter((value) => value !== null).length,
    maxLag: lags.length > 0 ? Math.max(...lags) : null,
  };
}

async function loadTable(
  ctx: LoadContext,
  appsPath: string,
  appId: number,
  bulkLoads: Promise<Map<number, BulkLoadModel>>,
  nowSeconds: number,
): Promise<TableModel | null> {
  const path = joinZkPath(appsPath, String(appId));
  const read = await ctx.readDecoded('app', path, decodeAppInfo);
  if (read === null) return null;
  const info = read.value;
  if (info) {
    if (info.appId !== null && info.appId !== appId)
      ctx.warn(path, `app_id ${info.appId} differs from the node name ${appId}`);
    if (!info.statusLoadable) {
      ctx.warn(
        path,
        `status ${JSON.stringify(info.statusRaw)} is not AS_AVAILABLE or AS_DROPPED: a meta server CHECK-fails loading it`,
      );
    }
  }

  const children = await ctx.children(path, read.numChildren);
  const indexes: number[] = [];
  let hasDuplicationDir = false;
  for (const child of children) {
    if (NUMERIC.test(child)) indexes.push(Number(child));
    else if (child === 'duplication') hasDuplicationDir = true;
    else ctx.warn(joinZkPath(path, child), 'unexpected child of an app node; ignored');
  }
  indexes.sort(byNumber);

  const dupDir = joinZkPath(path, 'duplication');
  const [partitionReads, dupReads] = await Promise.all([
    Promise.all(indexes.map((index) => loadPartition(ctx, path, index, appId))),
    hasDuplicationDir
      ? ctx.reads.getData(dupDir).then(async (dirRead) => {
          if (dirRead.kind !== 'ok') {
            if (dirRead.kind === 'denied') ctx.warn(dupDir, `cannot read: ${dirRead.message}`);
            return [];
          }
          const names = await ctx.children(dupDir, dirRead.value.stat.numChildren);
          return Promise.all(names.map((name) => loadDuplication(ctx, dupDir, name)));
        })
      : Promise.resolve([]),
  ]);
  const partitions = partitionReads.filter((partition): partition is PartitionModel => partition !== null);

  const partitionCount = info?.partitionCount ?? partitions.length;
  const tableMaxReplicas = info?.maxReplicaCount ?? null;
  const counted: PartitionModel[] = [];
  for (const partition of partitions) {
    if (partition.index >= partitionCount) {
      ctx.warn(
        partition.path,
        `partition index ${partition.index} is beyond partition_count ${partitionCount}`,
      );
      continue;
    }
    counted.push(partition);
    const config = partition.config;
    if (!config) continue;
    partition.health = classifyPartition({
      primary: config.display.primary,
      secondaries: config.display.secondaries,
      maxReplicaCount: config.maxReplicaCount ?? tableMaxReplicas ?? 3,
    });
  }
  const present = new Set(counted.map((partition) => partition.index));
  const missingPartitions: number[] = [];
  for (let index = 0; index < partitionCount; index += 1)
    if (!present.has(index)) missingPartitions.push(index);

  const duplications = dupReads
    .filter((dup): dup is NonNullable<typeof dup> => dup !== null)
    .sort((a, b) => a.dupid - b.dupid)
    .map((dup) => duplicationModel(dup, info, counted));
  const bulkLoad = (await bulkLoads).get(appId) ?? null;
  const formats = new Set(
    counted.map((partition) => partition.config?.format).filter((format) => format !== undefined),
  );
  const status = tableStatus(info);
  const dropExpiresAt = status === 'dropped' ? positiveOrNull(info?.expireSecond) : null;
  const partitionMaxReplicas = counted.reduce((max, p) => Math.max(max, p.config?.maxReplicaCount ?? 0), 0);

  return {
    appId,
    path,
    name: info?.appName ?? null,
    status,
    info,
    partitionCount,
    partitionsFound: counted.length,
    missingPartitions,
    maxReplicaCount: tableMaxReplicas ?? (partitionMaxReplicas > 0 ? partitionMaxReplicas : null),
    envs: info?.envs ?? {},
    createdAt: positiveOrNull(info?.createSecond),
    droppedAt: status === 'dropped' ? positiveOrNull(info?.dropSecond) : null,
    dropExpiresAt,
    dropExpired: dropExpiresAt === null ? null : nowSeconds >= dropExpiresAt,
    splitting: counted.length < partitionCount,
    bulkLoading: info?.isBulkLoading === true || bulkLoad !== null,
    bulkLoad,
    duplicating:
      info?.duplicating === true ||
      duplications.some((dup) => dup.status !== null && dup.status !== 'DS_REMOVED'),
    duplications,
    health: summarizeTableHealth(
      partitionCount,
      counted.flatMap((partition) => (partition.health ? [partition.health] : [])),
    ),
    partitions: counted,
    payloadFormat:
      formats.size === 0
        ? 'unknown'
        : formats.size > 1
          ? 'mixed'
          : formats.has('host-port')
            ? 'host-port'
            : 'address-only',
  };
}

async function loadBulkLoads(
  ctx: LoadContext,
  root: string,
  present: boolean,
): Promise<Map<number, BulkLoadModel>> {
  const result = new Map<number, BulkLoadModel>();
  if (!present) return result;
  const dir = joinZkPath(root, 'bulk_load');
  const dirRead = await ctx.reads.getData(dir);
  if (dirRead.kind !== 'ok') return result;
  const names = await ctx.children(dir, dirRead.value.stat.numChildren);
  await Promise.all(
    names.map(async (name) => {
      const path = joinZkPath(dir, name);
      if (!NUMERIC.test(name)) {
        ctx.warn(path, 'not an app id; ignored');
        return;
      }
      const read = await ctx.readDecoded('bulk-load-app', path, decodeBulkLoadApp);
      if (read === null) return;
      const children = await ctx.children(path, read.numChildren);
      const partitions = await Promise.all(
        children.map(async (child) => {
          const partitionPath = joinZkPath(path, child);
          if (!NUMERIC.test(child)) {
            ctx.warn(partitionPath, 'not a partition index; ignored');
            return null;
          }
          const state = await ctx.readDecoded('bulk-load-partition', partitionPath, decodeBulkLoadPartition);
          return state === null ? null : { index: Number(child), path: partitionPath, state: state.value };
        }),
      );
      result.set(Number(name), {
        path,
        app: read.value,
        partitions: partitions
          .filter((p): p is NonNullable<typeof p> => p !== null)
          .sort((a, b) => a.index - b.index),
      });
    }),
  );
  return result;
}

async function loadBackupPolicies(
  ctx: LoadContext,
  root: string,
  present: boolean,
): Promise<BackupPolicyModel[]> {
  if (!present) return [];
  const dir = joinZkPath(root, 'backup');
  const dirRead = await ctx.reads.getData(dir);
  if (dirRead.kind !== 'ok') return [];
  const names = await ctx.children(dir, dirRead.value.stat.numChildren);
  const policies = await Promise.all(
    names.map(async (name): Promise<BackupPolicyModel | null> => {
      const path = joinZkPath(dir, name);
      const read = await ctx.readDecoded('backup-policy', path, decodeBackupPolicy);
      if (read === null) return null;
      const children = await ctx.children(path, read.numChildren);
      const backups = await Promise.all(
        children.map(async (child) => {
          const backupPath = joinZkPath(path, child);
          const backup = await ctx.readDecoded('backup', backupPath, decodeBackupInfo);
          return backup === null ? null : { name: child, path: backupPath, info: backup.value };
        }),
      );
      return {
        name,
        path,
        policy: read.value,
        backups: backups.filter((b): b is NonNullable<typeof b> => b !== null),
      };
    }),
  );
  return policies.filter((policy): policy is BackupPolicyModel => policy !== null);
}

/**
 * Tables loaded at once: enough to keep the read window full (a table is 1 + partition_count reads;
 * 16 tables of 4 partitions still fill a window of 64), few enough that 50k partition reads are not
 * all pending at the same time. Pending reads are promise chains that survive young-generation GCs
 * and get copied until served: starting every table at once made garbage collection the largest
 * cost of a 400 x 128 load (heap peak 175 MB -> ~100 MB, ~20% less CPU).
 */
function tablesInFlight(concurrency: number): number {
  return Math.max(16, Math.ceil(concurrency / 32));
}

/** Like Promise.all over `items.map(work)`, with at most `limit` calls running; results in item order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function loadClusterModel(
  reader: ZkReader,
  root: string,
  options: LoadClusterModelOptions = {},
): Promise<ClusterModel> {
  const reads = new BoundedReads(reader, options.concurrency ?? DEFAULT_MODEL_CONCURRENCY, options.signal);
  const ctx = new LoadContext(reads);
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);

  const rootRead = await reads.getData(root);
  if (rootRead.kind === 'missing')
    throw new ClusterModelError('ROOT_NOT_FOUND', `There is no node at ${root}`, root);
  if (rootRead.kind === 'denied') {
    throw new ClusterModelError('ROOT_UNREADABLE', `Cannot read ${root}: ${rootRead.message}`, root);
  }
  const rootListing = await reads.childrenOf(root, rootRead.value.stat);
  if (rootListing.kind !== 'ok') {
    throw new ClusterModelError('ROOT_UNREADABLE', `Cannot list the children of ${root}`, root);
  }
  const rootChildren = new Set(rootListing.value);

  const appsPath = joinZkPath(root, 'apps');
  const bulkLoads = loadBulkLoads(ctx, root, rootChildren.has('bulk_load'));
  // Settled early so a failing table load never leaves this promise rejected and unobserved.
  bulkLoads.catch(() => undefined);

  const loadTables = async () => {
    if (!rootChildren.has('apps')) {
      ctx.warn(appsPath, 'no apps node: this is not a Pegasus cluster root (reference §1.2)');
      return { exists: false, state: null, tables: [] as TableModel[] };
    }
    const appsRead = await reads.getData(appsPath);
    if (appsRead.kind !== 'ok') {
      if (appsRead.kind === 'denied') ctx.warn(appsPath, `cannot read: ${appsRead.message}`);
      return { exists: appsRead.kind === 'denied', state: null, tables: [] as TableModel[] };
    }
    const decodedState = decodeAppsRootState(appsRead.value.data);
    if (!decodedState.ok) ctx.warn(appsPath, decodedState.error);
    const appsState = decodedState.ok ? decodedState.value : null;
    if (appsState?.state === 'lock') {
      ctx.warn(
        appsPath,
        "apps is 'lock': a meta server becoming leader CHECK-fails unless it is 'unlock' or empty",
      );
    }
    const names = await ctx.children(appsPath, appsRead.value.stat.numChildren);
    const ids: number[] = [];
    for (const name of names) {
      if (NUMERIC.test(name)) ids.push(Number(name));
      else ctx.warn(joinZkPath(appsPath, name), 'not an app id; ignored');
    }
    ids.sort(byNumber);
    const tables = await mapBounded(ids, tablesInFlight(reads.concurrency), (id) =>
      loadTable(ctx, appsPath, id, bulkLoads, nowSeconds),
    );
    return {
      exists: true,
      state: appsState?.state ?? null,
      tables: tables.filter((table): table is TableModel => table !== null),
    };
  };

  const [apps, lock, backupPolicies, bulkLoadMap] = await Promise.all([
    loadTables(),
    readMetaLock(reads, root, { extraLockDirs: options.extraLockDirs, rootChildren }),
    loadBackupPolicies(ctx, root, rootChildren.has('backup')),
    bulkLoads,
  ]);
  const knownIds = new Set(apps.tables.map((table) => table.appId));
  for (const [appId, bulkLoad] of bulkLoadMap) {
    if (!knownIds.has(appId)) ctx.warn(bulkLoad.path, `bulk load for app ${appId}, which has no app node`);
  }

  const available = apps.tables.filter((table) => table.status === 'available');
  const placement = computeReplicaPlacement(
    available.flatMap((table) =>
      table.partitions.flatMap((partition) =>
        partition.config ? [{ address: partition.config.address, hostPort: partition.config.hostPort }] : [],
      ),
    ),
    options.unaliveNodes ? { unaliveNodes: options.unaliveNodes } : {},
  );
  const { warnings: lockWarnings, ...metaLock } = lock;

  return {
    clusterRoot: root,
    loadedAt: Date.now(),
    appsRoot: { path: appsPath, exists: apps.exists, state: apps.state },
    metaLeader: lock.leader?.address ?? null,
    metaCandidates: lock.holders,
    metaLock,
    tables: apps.tables,
    placement,
    clusterHealth: summarizeClusterHealth(available.map((table) => table.health)),
    backupRootExists: rootChildren.has('backup'),
    backupPolicies: backupPolicies.sort((a, b) => a.name.localeCompare(b.name)),
    rangerPolicies: rootChildren.has('ranger_policy_meta_root'),
    unknownKeys: ctx.unknownKeys(),
    warnings: [...lockWarnings, ...ctx.warnings].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    ),
    reads: { ...reads.counts, peakInFlight: reads.peakInFlight },
  };
}
