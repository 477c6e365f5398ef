/**
 * The one JSON object `mdesk pegasus summary ... --json` prints (issue 4, item 10), derived from a
 * ClusterModel. Keys and their order are part of the CLI's contract: scripts parse this.
 */
import type { ClusterModel, TableStatus } from './cluster-model-types';
import { formatWarning } from './model-warning';

export interface ClusterSummaryDuplication {
  dupid: number;
  /** Token as the shell and meta HTTP print it ('DS_LOG', 'DS_PAUSE', ...); null if the node did not decode. */
  status: string | null;
  remote: string | null;
  /** 'FAIL_SLOW' | 'FAIL_SKIP' | 'FAIL_FAST'; null if unknown. */
  failMode: string | null;
}

export interface ClusterSummaryTable {
  appId: number;
  name: string | null;
  /** 'available' or 'dropped' for every app node a meta server can load. */
  status: TableStatus;
  partitionCount: number;
  partitionsFound: number;
  maxReplicaCount: number | null;
  splitting: boolean;
  fullyHealthy: number;
  unhealthy: number;
  writeUnhealthy: number;
  readUnhealthy: number;
  duplicating: boolean;
  duplications: ClusterSummaryDuplication[];
}

export interface ClusterSummaryNode {
  address: string;
  primaries: number;
  secondaries: number;
}

export interface ClusterSummary {
  clusterRoot: string;
  metaLeader: string | null;
  /** Addresses of every meta server holding a lock node, leader first (lock order). */
  metaCandidates: string[];
  tables: ClusterSummaryTable[];
  /** Per replica server, over available tables. */
  nodes: ClusterSummaryNode[];
  /** "<node path>: <problem>" for everything that could not be read or decoded. */
  warnings: string[];
}

export function summarizeCluster(model: ClusterModel): ClusterSummary {
  return {
    clusterRoot: model.clusterRoot,
    metaLeader: model.metaLeader,
    metaCandidates: model.metaCandidates.flatMap((holder) =>
      holder.address === null ? [] : [holder.address],
    ),
    tables: model.tables.map((table) => ({
      appId: table.appId,
      name: table.name,
      status: table.status,
      partitionCount: table.partitionCount,
      partitionsFound: table.partitionsFound,
      maxReplicaCount: table.maxReplicaCount,
      splitting: table.splitting,
      fullyHealthy: table.health.fullyHealthy,
      unhealthy: table.health.unhealthy,
      writeUnhealthy: table.health.writeUnhealthy,
      readUnhealthy: table.health.readUnhealthy,
      duplicating: table.duplicating,
      duplications: table.duplications.map((dup) => ({
        dupid: dup.dupid,
        status: dup.status,
        remote: dup.remote,
        failMode: dup.failMode,
      })),
    })),
    nodes: model.placement.nodes.map((node) => ({
      address: node.address,
      primaries: node.primaries,
      secondaries: node.secondaries,
    })),
    warnings: model.warnings.map(formatWarning),
  };
}
