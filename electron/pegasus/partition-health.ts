/**
 * Partition and table health exactly as the shell classifies them in `ls -d` and `app <name> -d`
 * (reference §9; `list_apps` / `list_app` in src/client/replication_ddl_client.cpp, the same in v2.5
 * and master, and the meta HTTP `/meta/apps?detail` handler):
 *
 * - replica_count = (1 if the primary is set) + number of secondaries
 * - primary set:     fully healthy if replica_count >= max_replica_count;
 *                    otherwise write-unhealthy if replica_count < 2 (only the primary is left)
 * - primary not set: write-unhealthy and read-unhealthy
 * - table: unhealthy = partition_count - fully_healthy (so write-unhealthy partitions are unhealthy too)
 *
 * `max_replica_count` is the partition's own, as the shell reads it from each partition config.
 */

export interface PartitionReplicas {
  /** null when unset ("invalid address" / "invalid host_port"). */
  primary: string | null;
  secondaries: readonly string[];
  maxReplicaCount: number;
}

/** The worst class a partition falls in; 'read-unhealthy' partitions are also write-unhealthy. */
export type PartitionHealthLevel = 'healthy' | 'unhealthy' | 'write-unhealthy' | 'read-unhealthy';

export interface PartitionHealth {
  replicaCount: number;
  maxReplicaCount: number;
  fullyHealthy: boolean;
  writeUnhealthy: boolean;
  readUnhealthy: boolean;
  level: PartitionHealthLevel;
}

export function classifyPartition(partition: PartitionReplicas): PartitionHealth {
  const primarySet = partition.primary !== null;
  const replicaCount = (primarySet ? 1 : 0) + partition.secondaries.length;
  const fullyHealthy = primarySet && replicaCount >= partition.maxReplicaCount;
  const writeUnhealthy = primarySet ? !fullyHealthy && replicaCount < 2 : true;
  const readUnhealthy = !primarySet;
  const level: PartitionHealthLevel = readUnhealthy
    ? 'read-unhealthy'
    : writeUnhealthy
      ? 'write-unhealthy'
      : fullyHealthy
        ? 'healthy'
        : 'unhealthy';
  return {
    replicaCount,
    maxReplicaCount: partition.maxReplicaCount,
    fullyHealthy,
    writeUnhealthy,
    readUnhealthy,
    level,
  };
}

export interface TableHealth {
  partitionCount: number;
  fullyHealthy: number;
  unhealthy: number;
  writeUnhealthy: number;
  readUnhealthy: number;
}

/**
 * Table counts from the partitions' classes. `partitionCount` is the table's declared count: a
 * partition that is not there (a split child not registered yet, or a payload we could not decode)
 * is not fully healthy, so it counts as unhealthy, as `partition_count - fully_healthy` does.
 */
export function summarizeTableHealth(
  partitionCount: number,
  partitions: Iterable<PartitionHealth>,
): TableHealth {
  let fullyHealthy = 0;
  let writeUnhealthy = 0;
  let readUnhealthy = 0;
  for (const partition of partitions) {
    if (partition.fullyHealthy) fullyHealthy += 1;
    if (partition.writeUnhealthy) writeUnhealthy += 1;
    if (partition.readUnhealthy) readUnhealthy += 1;
  }
  return {
    partitionCount,
    fullyHealthy,
    unhealthy: partitionCount - fullyHealthy,
    writeUnhealthy,
    readUnhealthy,
  };
}

export interface ClusterHealthCounts {
  fullyHealthyAppCount: number;
  unhealthyAppCount: number;
  writeUnhealthyAppCount: number;
  readUnhealthyAppCount: number;
}

/** The shell's `[summary]` app counts: a table is fully healthy only if every partition is. */
export function summarizeClusterHealth(tables: Iterable<TableHealth>): ClusterHealthCounts {
  const counts: ClusterHealthCounts = {
    fullyHealthyAppCount: 0,
    unhealthyAppCount: 0,
    writeUnhealthyAppCount: 0,
    readUnhealthyAppCount: 0,
  };
  for (const table of tables) {
    if (table.fullyHealthy === table.partitionCount) counts.fullyHealthyAppCount += 1;
    else counts.unhealthyAppCount += 1;
    if (table.writeUnhealthy > 0) counts.writeUnhealthyAppCount += 1;
    if (table.readUnhealthy > 0) counts.readUnhealthyAppCount += 1;
  }
  return counts;
}
