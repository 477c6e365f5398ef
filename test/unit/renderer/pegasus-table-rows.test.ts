/** Filtering and sorting of the overview's table rows: unhealthy first by default. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER,
  DEFAULT_SORT,
  isFiltered,
  matchesFilter,
  nextSort,
  type OverviewRow,
  visibleRows,
} from '../../../renderer/src/features/pegasus/table-rows';

function row(appId: number, patch: Partial<OverviewRow> = {}): OverviewRow {
  return {
    appId,
    name: `t${appId}`,
    status: 'available',
    path: `/p/apps/${appId}`,
    partitionCount: 8,
    partitionsFound: 8,
    maxReplicaCount: 3,
    envs: {},
    createdAt: 1_700_000_000 + appId,
    droppedAt: null,
    dropExpiresAt: null,
    dropExpired: null,
    health: { partitionCount: 8, fullyHealthy: 8, unhealthy: 0, writeUnhealthy: 0, readUnhealthy: 0 },
    healthLevel: 'healthy',
    splitting: false,
    bulkLoading: false,
    bulkLoadStatus: null,
    duplicating: false,
    activeDuplications: 0,
    payloadFormat: 'host-port',
    appNodeUnreadable: false,
    warningCount: 0,
    ...patch,
  };
}

const unhealthy = (appId: number, n: number) =>
  row(appId, {
    healthLevel: 'unhealthy',
    health: { partitionCount: 8, fullyHealthy: 8 - n, unhealthy: n, writeUnhealthy: 0, readUnhealthy: 0 },
  });

const rows: OverviewRow[] = [
  row(1),
  unhealthy(2, 1),
  row(3, { status: 'dropped', healthLevel: 'n/a', dropExpiresAt: 1_800_000_000, name: 'old_t3' }),
  row(4, {
    healthLevel: 'read-unhealthy',
    health: { partitionCount: 8, fullyHealthy: 7, unhealthy: 1, writeUnhealthy: 1, readUnhealthy: 1 },
  }),
  unhealthy(5, 4),
  row(6, {
    healthLevel: 'write-unhealthy',
    health: { partitionCount: 8, fullyHealthy: 7, unhealthy: 1, writeUnhealthy: 1, readUnhealthy: 0 },
    splitting: true,
  }),
  row(7, { duplicating: true, bulkLoading: true }),
];
const ids = (list: OverviewRow[]) => list.map((r) => r.appId);

describe('visibleRows', () => {
  it('puts read-unhealthy, write-unhealthy, then the most unhealthy first, dropped last', () => {
    expect(ids(visibleRows(rows, DEFAULT_FILTER, DEFAULT_SORT))).toEqual([4, 6, 5, 2, 1, 7, 3]);
  });

  it('sorts by a column, ascending first, then flips; nulls last', () => {
    expect(ids(visibleRows(rows, DEFAULT_FILTER, nextSort(DEFAULT_SORT, 'name')))).toEqual([
      3, 1, 2, 4, 5, 6, 7,
    ]);
    const expiry = nextSort(DEFAULT_SORT, 'dropExpiresAt');
    expect(ids(visibleRows(rows, DEFAULT_FILTER, expiry))[0]).toBe(3);
    expect(nextSort(expiry, 'dropExpiresAt')).toEqual({ key: 'dropExpiresAt', direction: 'desc' });
    expect(nextSort({ key: 'appId', direction: 'asc' }, 'health')).toEqual(DEFAULT_SORT);
  });

  it('filters by status, health, activity and text', () => {
    const f = (patch: Partial<typeof DEFAULT_FILTER>) =>
      ids(visibleRows(rows, { ...DEFAULT_FILTER, ...patch }, { key: 'appId', direction: 'asc' }));
    expect(f({ status: 'dropped' })).toEqual([3]);
    expect(f({ status: 'available' })).toEqual([1, 2, 4, 5, 6, 7]);
    expect(f({ health: 'not-healthy' })).toEqual([2, 4, 5, 6]);
    expect(f({ health: 'write-unhealthy' })).toEqual([4, 6]);
    expect(f({ health: 'read-unhealthy' })).toEqual([4]);
    expect(f({ health: 'healthy' })).toEqual([1, 7]);
    expect(f({ splitting: true })).toEqual([6]);
    expect(f({ duplicating: true, bulkLoading: true })).toEqual([7]);
    expect(f({ text: 'OLD_' })).toEqual([3]);
    expect(f({ text: '/apps/5' })).toEqual([5]);
    expect(matchesFilter(row(9), { ...DEFAULT_FILTER, status: 'other' })).toBe(false);
    expect(isFiltered(DEFAULT_FILTER)).toBe(false);
    expect(isFiltered({ ...DEFAULT_FILTER, text: ' x ' })).toBe(true);
  });
});
