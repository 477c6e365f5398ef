/**
 * The cluster overview as files an operator attaches to a ticket or loads into a spreadsheet:
 * CSV (one row per table, RFC 4180 quoting) and JSON (the overview with its provenance).
 */
import type { ClusterOverview, OverviewTableRow } from './cluster-views';

export type OverviewExportFormat = 'csv' | 'json';

export interface OverviewExport {
  fileName: string;
  mimeType: string;
  text: string;
}

const CSV_COLUMNS: readonly [string, (row: OverviewTableRow) => unknown][] = [
  ['app_id', (row) => row.appId],
  ['name', (row) => row.name],
  ['status', (row) => row.status],
  ['health', (row) => row.healthLevel],
  ['partition_count', (row) => row.partitionCount],
  ['partitions_found', (row) => row.partitionsFound],
  ['max_replica_count', (row) => row.maxReplicaCount],
  ['fully_healthy', (row) => row.health.fullyHealthy],
  ['unhealthy', (row) => row.health.unhealthy],
  ['write_unhealthy', (row) => row.health.writeUnhealthy],
  ['read_unhealthy', (row) => row.health.readUnhealthy],
  ['splitting', (row) => row.splitting],
  ['bulk_loading', (row) => row.bulkLoading],
  ['duplicating', (row) => row.duplicating],
  ['active_duplications', (row) => row.activeDuplications],
  ['create_time', (row) => isoSeconds(row.createdAt)],
  ['drop_time', (row) => isoSeconds(row.droppedAt)],
  ['drop_expire_time', (row) => isoSeconds(row.dropExpiresAt)],
  ['payload_format', (row) => row.payloadFormat],
  ['envs', (row) => formatEnvs(row.envs)],
  ['warnings', (row) => row.warningCount],
  ['path', (row) => row.path],
];

function isoSeconds(epochSeconds: number | null): string {
  return epochSeconds === null ? '' : new Date(epochSeconds * 1000).toISOString();
}

function formatEnvs(envs: Record<string, string>): string {
  return Object.keys(envs)
    .sort()
    .map((key) => `${key}=${envs[key]}`)
    .join(';');
}

/**
 * One CSV field. Quoted when it holds a separator, quote or line break; a text field starting
 * with = + - @ (or a tab/CR) gets a leading apostrophe, so a spreadsheet does not run a table name
 * or env value as a formula.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function overviewCsv(overview: ClusterOverview): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const row of overview.tables) lines.push(CSV_COLUMNS.map(([, get]) => csvField(get(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function overviewJson(overview: ClusterOverview, exportedAt: number): string {
  const document = {
    format: 'migration-desk/pegasus-overview',
    version: 1,
    exportedAt: new Date(exportedAt).toISOString(),
    source: 'zookeeper',
    clusterRoot: overview.clusterRoot,
    loadedAt: new Date(overview.loadedAt).toISOString(),
    metaLeader: overview.metaLeader,
    metaCandidates: overview.metaCandidates.map(({ address, node, sequence, leader }) => ({
      address,
      node,
      sequence,
      leader,
    })),
    counts: overview.counts,
    clusterHealth: overview.clusterHealth,
    placement: overview.placement,
    tables: overview.tables,
    backupPolicies: overview.backupPolicies,
    warnings: overview.warnings,
    warningTotal: overview.warningTotal,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** "pegasus-c1-overview-20240301-101500.csv": the cluster's last path component and the load time. */
export function overviewFileName(overview: ClusterOverview, format: OverviewExportFormat): string {
  const cluster = overview.clusterRoot.split('/').filter(Boolean).pop() ?? 'root';
  const safe = cluster.replace(/[^A-Za-z0-9._-]+/g, '_') || 'root';
  const stamp = new Date(overview.loadedAt).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `pegasus-${safe}-overview-${stamp}.${format}`;
}

export function exportOverview(
  overview: ClusterOverview,
  format: OverviewExportFormat,
  exportedAt = Date.now(),
): OverviewExport {
  return format === 'csv'
    ? { fileName: overviewFileName(overview, 'csv'), mimeType: 'text/csv', text: overviewCsv(overview) }
    : {
        fileName: overviewFileName(overview, 'json'),
        mimeType: 'application/json',
        text: overviewJson(overview, exportedAt),
      };
}
