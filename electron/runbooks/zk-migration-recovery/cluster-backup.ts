/**
 * The backup a meta recovery is judged against (reference §4 steps 4-5, 11): the table list and the
 * replica server list taken before the metas stop, as plain JSON kept in the run, and the two
 * comparisons that decide the recovery is done. They compare parsed values, never text: the script's
 * `diff` of two `nodes -o` files could not match, because each file starts with a `[parameters]`
 * table naming its own path.
 */
import type { MetaApps, MetaNodes } from '../../pegasus/meta-http';
import { compareNodeLists, type ShellAppList, type ShellNodeList } from '../../pegasus/shell-output';

export interface NodeRecord {
  address: string;
  /** ALIVE or UNALIVE. */
  status: string;
  replicaCount: number | null;
  primaryCount: number | null;
  secondaryCount: number | null;
}

export interface TableRecord {
  appId: number;
  name: string;
  /** Without prefixes: AVAILABLE, DROPPED, CREATING... */
  status: string;
  partitionCount: number | null;
  /** The table's max replica count. */
  replicaCount: number | null;
}

export interface ClusterBackup {
  source: 'shell' | 'meta-http';
  takenAt: number;
  tables: TableRecord[];
  nodes: NodeRecord[];
  /** The `ls -o` / `nodes -d -o` files, when the shell wrote them. */
  tableFile: string | null;
  nodeFile: string | null;
}

/** 'app_status::AS_AVAILABLE', 'AS_AVAILABLE', 'available' -> 'AVAILABLE'. */
export function normalizeTableStatus(status: string): string {
  return status
    .trim()
    .replace(/^app_status::/, '')
    .replace(/^AS_/, '')
    .toUpperCase();
}

export function nodesFromShell(list: ShellNodeList): NodeRecord[] {
  return list.nodes.map((node) => ({
    address: node.address,
    status: node.status,
    replicaCount: node.replicaCount,
    primaryCount: node.primaryCount,
    secondaryCount: node.secondaryCount,
  }));
}

export function nodesFromHttp(nodes: MetaNodes): NodeRecord[] {
  return nodes.nodes.map((node) => ({
    address: node.address,
    status: node.status,
    replicaCount: node.replicaCount,
    primaryCount: node.primaryCount,
    secondaryCount: node.secondaryCount,
  }));
}

export function tablesFromShell(list: ShellAppList): TableRecord[] {
  return list.apps.map((app) => ({
    appId: app.appId,
    name: app.appName,
    status: normalizeTableStatus(app.status),
    partitionCount: app.partitionCount,
    replicaCount: app.replicaCount,
  }));
}

export function tablesFromHttp(apps: MetaApps): TableRecord[] {
  return apps.apps.map((app) => ({
    appId: app.appId,
    name: app.appName ?? '',
    status: normalizeTableStatus(app.status ?? 'AVAILABLE'),
    partitionCount: app.partitionCount,
    replicaCount: app.replicaCount,
  }));
}

export function unaliveNodes(nodes: readonly NodeRecord[]): NodeRecord[] {
  return nodes.filter((node) => node.status !== 'ALIVE');
}

function asShellList(nodes: readonly NodeRecord[]): ShellNodeList {
  return {
    nodes: nodes.map((node) => ({ ...node, extra: {} })),
    totalNodeCount: nodes.length,
    aliveNodeCount: nodes.filter((node) => node.status === 'ALIVE').length,
    unaliveNodeCount: unaliveNodes(nodes).length,
    unaliveNodes: unaliveNodes(nodes).map((node) => node.address),
  };
}

export interface NodesVerdict {
  same: boolean;
  /** Nodes whose address, status and replica count all match. */
  matching: number;
  expected: number;
  /** One line per difference, for the wait step's "waiting for" and the log. */
  differences: string[];
}

/**
 * The recovery's wait test (reference §4 step 11): the same replica servers, each with the same
 * status and replica count as in the backup. Primary and secondary counts may differ (primaries
 * move) and do not count.
 */
export function compareNodes(backup: readonly NodeRecord[], current: readonly NodeRecord[]): NodesVerdict {
  const difference = compareNodeLists(asShellList(backup), asShellList(current));
  const differences = [
    ...difference.changed.map(
      (change) => `${change.address} is ${change.actual} (backup: ${change.expected})`,
    ),
    ...difference.missing.map((address) => `${address} is not listed`),
    ...difference.unexpected.map((address) => `${address} is listed but was not in the backup`),
  ];
  const unmatched = new Set([...difference.changed.map((change) => change.address), ...difference.missing]);
  return {
    same: differences.length === 0,
    matching: backup.filter((node) => !unmatched.has(node.address)).length,
    expected: backup.length,
    differences,
  };
}

/** "2 of 3 replica servers match; 10.0.0.3:34801 is ALIVE 0 (backup: ALIVE 12)". */
export function describeNodesVerdict(verdict: NodesVerdict, shown = 3): string {
  if (verdict.same) return `all ${verdict.expected} replica servers match the backup`;
  const more = verdict.differences.length - shown;
  return (
    `${verdict.matching} of ${verdict.expected} replica servers match the backup; ` +
    `${verdict.differences.slice(0, shown).join('; ')}${more > 0 ? `; and ${more} more` : ''}`
  );
}

export interface TablesVerdict {
  same: boolean;
  /** Available tables of the backup found with the same id, name, partition and replica count. */
  matching: number;
  expected: number;
  differences: string[];
}

/**
 * The tables after the recovery against the backup's available tables: each must be there under
 * the same id, with the same name (a clash is renamed `<name>__<id>`, reference §8), partition
 * count and replica count, and available. Tables the recovery adds as dropped placeholders
 * (`__drop_holder__<id>`) or that were dropped before are not the operator's tables and are ignored.
 */
export function compareTables(
  backup: readonly TableRecord[],
  current: readonly TableRecord[],
): TablesVerdict {
  const expected = backup.filter((table) => normalizeTableStatus(table.status) === 'AVAILABLE');
  const byId = new Map(current.map((table) => [table.appId, table]));
  const differences: string[] = [];
  let matching = 0;
  for (const table of expected) {
    const found = byId.get(table.appId);
    const label = `${table.name} (id ${table.appId})`;
    if (!found) {
      differences.push(`${label} is missing`);
      continue;
    }
    const problems: string[] = [];
    if (found.name !== table.name) problems.push(`is named ${found.name}`);
    if (normalizeTableStatus(found.status) !== 'AVAILABLE')
      problems.push(`is ${normalizeTableStatus(found.status)}`);
    if (table.partitionCount !== null && found.partitionCount !== table.partitionCount)
      problems.push(`has ${found.partitionCount ?? '?'} partitions, not ${table.partitionCount}`);
    if (
      table.replicaCount !== null &&
      found.replicaCount !== null &&
      found.replicaCount !== table.replicaCount
    )
      problems.push(`has replica count ${found.replicaCount}, not ${table.replicaCount}`);
    if (problems.length > 0) differences.push(`${label} ${problems.join(', ')}`);
    else matching += 1;
  }
  const known = new Set(expected.map((table) => table.appId));
  for (const table of current) {
    if (known.has(table.appId) || normalizeTableStatus(table.status) !== 'AVAILABLE') continue;
    differences.push(`${table.name} (id ${table.appId}) is available but was not in the backup`);
  }
  return { same: differences.length === 0, matching, expected: expected.length, differences };
}

/** A backup kept in an earlier step's result, read back defensively. */
export function backupFrom(value: unknown): ClusterBackup | null {
  const record = value as Partial<ClusterBackup> | null | undefined;
  if (!record || !Array.isArray(record.nodes) || !Array.isArray(record.tables)) return null;
  return {
    source: record.source === 'meta-http' ? 'meta-http' : 'shell',
    takenAt: typeof record.takenAt === 'number' ? record.takenAt : 0,
    tables: record.tables as TableRecord[],
    nodes: record.nodes as NodeRecord[],
    tableFile: typeof record.tableFile === 'string' ? record.tableFile : null,
    nodeFile: typeof record.nodeFile === 'string' ? record.nodeFile : null,
  };
}
