/**
 * Filtering and sorting of the overview's table rows. The default order puts trouble first:
 * read-unhealthy, then write-unhealthy, then unhealthy tables (most unhealthy partitions first),
 * then healthy ones, then tables that are not available (dropped), each by app id.
 */
import type { ApiOutputs } from '../../api/types';

export type OverviewData = ApiOutputs['pegasus']['overview'];
export type OverviewRow = OverviewData['tables'][number];

export type StatusFilter = 'all' | 'available' | 'dropped' | 'other';
export type HealthFilter = 'all' | 'not-healthy' | 'read-unhealthy' | 'write-unhealthy' | 'healthy';

export interface TableFilter {
  text: string;
  status: StatusFilter;
  health: HealthFilter;
  splitting: boolean;
  bulkLoading: boolean;
  duplicating: boolean;
}

export const DEFAULT_FILTER: TableFilter = {
  text: '',
  status: 'all',
  health: 'all',
  splitting: false,
  bulkLoading: false,
  duplicating: false,
};

export type SortKey =
  | 'health'
  | 'appId'
  | 'name'
  | 'status'
  | 'partitionCount'
  | 'maxReplicaCount'
  | 'createdAt'
  | 'dropExpiresAt';

export interface TableSort {
  key: SortKey;
  direction: 'asc' | 'desc';
}

/** Unhealthy first: the health column, worst first. */
export const DEFAULT_SORT: TableSort = { key: 'health', direction: 'desc' };

const SEVERITY: Record<OverviewRow['healthLevel'], number> = {
  'read-unhealthy': 3,
  'write-unhealthy': 2,
  unhealthy: 1,
  healthy: 0,
  'n/a': -1,
};

export function matchesFilter(row: OverviewRow, filter: TableFilter): boolean {
  if (filter.status === 'available' && row.status !== 'available') return false;
  if (filter.status === 'dropped' && row.status !== 'dropped') return false;
  if (filter.status === 'other' && (row.status === 'available' || row.status === 'dropped')) return false;
  switch (filter.health) {
    case 'not-healthy':
      if (row.healthLevel === 'healthy' || row.healthLevel === 'n/a') return false;
      break;
    case 'read-unhealthy':
      if (row.health.readUnhealthy === 0 || row.status !== 'available') return false;
      break;
    case 'write-unhealthy':
      if (row.health.writeUnhealthy === 0 || row.status !== 'available') return false;
      break;
    case 'healthy':
      if (row.healthLevel !== 'healthy') return false;
      break;
  }
  if (filter.splitting && !row.splitting) return false;
  if (filter.bulkLoading && !row.bulkLoading) return false;
  if (filter.duplicating && !row.duplicating) return false;
  const text = filter.text.trim().toLowerCase();
  if (text !== '') {
    const haystack = `${row.appId} ${row.name ?? ''} ${row.path}`.toLowerCase();
    if (!haystack.includes(text)) return false;
  }
  return true;
}

function compareNullable(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Worst health first; among equals, more unhealthy partitions first. */
function byHealth(a: OverviewRow, b: OverviewRow): number {
  return SEVERITY[b.healthLevel] - SEVERITY[a.healthLevel] || b.health.unhealthy - a.health.unhealthy;
}

function compareBy(key: SortKey, a: OverviewRow, b: OverviewRow): number {
  switch (key) {
    case 'health':
      return byHealth(a, b);
    case 'appId':
      return a.appId - b.appId;
    case 'name':
      return compareNullable(a.name, b.name);
    case 'status':
      return a.status.localeCompare(b.status);
    case 'partitionCount':
      return a.partitionCount - b.partitionCount;
    case 'maxReplicaCount':
      return compareNullable(a.maxReplicaCount, b.maxReplicaCount);
    case 'createdAt':
      return compareNullable(a.createdAt, b.createdAt);
    case 'dropExpiresAt':
      return compareNullable(a.dropExpiresAt, b.dropExpiresAt);
  }
}

export function sortRows(rows: readonly OverviewRow[], sort: TableSort): OverviewRow[] {
  // 'health' reads "worst first" as its natural (descending) order; the others read ascending.
  const sign =
    sort.key === 'health' ? (sort.direction === 'desc' ? 1 : -1) : sort.direction === 'asc' ? 1 : -1;
  return rows.slice().sort((a, b) => sign * compareBy(sort.key, a, b) || a.appId - b.appId);
}

export function visibleRows(
  rows: readonly OverviewRow[],
  filter: TableFilter,
  sort: TableSort,
): OverviewRow[] {
  return sortRows(
    rows.filter((row) => matchesFilter(row, filter)),
    sort,
  );
}

/** Clicking a header: a new column starts in its natural order, the same column flips. */
export function nextSort(current: TableSort, key: SortKey): TableSort {
  if (current.key !== key) return { key, direction: key === 'health' ? 'desc' : 'asc' };
  return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
}

export function isFiltered(filter: TableFilter): boolean {
  return (
    filter.text.trim() !== '' ||
    filter.status !== 'all' ||
    filter.health !== 'all' ||
    filter.splitting ||
    filter.bulkLoading ||
    filter.duplicating
  );
}
