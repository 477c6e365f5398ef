/** The run's parameters as copy_data and count_data options, and the names every step uses. */
import type { GeneratedCommand } from '../../../shared/api/runs';
import {
  type CopyDataOptions,
  copyDataCommand,
  type FilterType,
  type KeyFilter,
  type ValueFilterType,
} from '../../pegasus/commands';
import type { TableCopyDataParams } from './params';

export const COPY_STEP = {
  source: 'precheck-source',
  targetCluster: 'precheck-target-cluster',
  targetTable: 'target-table',
  confirm: 'confirm-copy',
  copy: 'copy-data',
  verify: 'verify-counts',
} as const;

export function targetTableOf(params: TableCopyDataParams): string {
  return params.targetTable === '' ? params.table : params.targetTable;
}

function keyFilter<T extends string>(type: T | 'none', pattern: string): KeyFilter<T> | undefined {
  return type === 'none' ? undefined : { type, pattern };
}

/** Filters or a single partition: then the two sides' counts are not comparable. */
export function copiesASubset(params: TableCopyDataParams): boolean {
  return (
    params.partition >= 0 ||
    params.hashKeyFilter !== 'none' ||
    params.sortKeyFilter !== 'none' ||
    params.valueFilter !== 'none'
  );
}

export function copyOptions(params: TableCopyDataParams): CopyDataOptions {
  return {
    sourceTable: params.table,
    targetCluster: params.targetCluster,
    targetTable: targetTableOf(params),
    ...(params.partition >= 0 ? { partition: params.partition } : {}),
    maxBatchCount: params.maxBatchCount,
    ...(params.timeoutMs > 0 ? { timeoutMs: params.timeoutMs } : {}),
    hashKeyFilter: keyFilter<FilterType>(params.hashKeyFilter, params.hashKeyPattern),
    sortKeyFilter: keyFilter<ValueFilterType>(params.sortKeyFilter, params.sortKeyPattern),
    valueFilter: keyFilter<ValueFilterType>(params.valueFilter, params.valuePattern),
    ...(params.maxMultiSetConcurrency > 0 ? { maxMultiSetConcurrency: params.maxMultiSetConcurrency } : {}),
    ...(params.scanBatchSize > 0 ? { scanBatchSize: params.scanBatchSize } : {}),
    noTtl: params.noTtl,
    noOverwrite: params.noOverwrite,
    noValue: params.noValue,
    geo: params.geo,
    useMultiSet: params.useMultiSet,
  };
}

export function copyCommand(params: TableCopyDataParams): GeneratedCommand {
  return copyDataCommand(copyOptions(params));
}
