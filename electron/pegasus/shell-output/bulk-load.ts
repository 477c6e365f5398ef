/**
 * Bulk load in the shell (`src/shell/commands/bulk_load.cpp`): `start_bulk_load` prints `start bulk
 * load succeed` or `start bulk load failed, error=ERR_* [hint:"…"]`; `query_bulk_load_status -a app
 * [-d] [-i pidx]` prints optional `[all partitions]` / `[single partition]` tables and a `[summary]`
 * with `app_bulk_load_status` (short form, e.g. BLS_DOWNLOADING) and, while downloading,
 * `app_total_download_progress`.
 */
import { type BulkLoadStatus, bulkLoadStatus } from '../decoders/bulk-load-status';
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { columnRows, keyValueRows, numberOrNull, shellLines, tableNamed } from './shell-text';

export interface StartBulkLoadResult {
  started: true;
}

export function parseStartBulkLoad(text: string): ParseResult<StartBulkLoadResult> {
  const lines = shellLines(text);
  if (lines.some((line) => line.trim() === 'start bulk load succeed')) return parsed({ started: true });
  const failure = lines.find(
    (line) => /^start bulk load failed/.test(line.trim()) || /should not be empty$/.test(line.trim()),
  );
  if (failure) return commandFailed('start_bulk_load', failure, 'The meta server refused start_bulk_load');
  return unrecognized('start_bulk_load', lines, 'no "start bulk load succeed" line');
}

export interface BulkLoadPartition {
  index: number;
  status: string;
  downloadProgress: number | null;
  isCleanedUp: boolean | null;
}

export interface BulkLoadQuery {
  /** e.g. BLS_DOWNLOADING, BLS_SUCCEED, BLS_FAILED. */
  appStatus: BulkLoadStatus;
  /** The bulk load is over, one way or the other. */
  finished: boolean;
  succeeded: boolean;
  /** 0..100 while downloading. */
  totalDownloadProgress: number | null;
  /** With -i. */
  partitionStatus: string | null;
  /** With -d. */
  partitions: BulkLoadPartition[];
  summary: Record<string, string>;
}

const FINAL = new Set<BulkLoadStatus>(['BLS_SUCCEED', 'BLS_FAILED', 'BLS_CANCELED']);

export function parseQueryBulkLoadStatus(text: string): ParseResult<BulkLoadQuery> {
  const command = 'query_bulk_load_status';
  const lines = shellLines(text);
  const failure = lines.find((line) => /^query bulk load failed/.test(line.trim()));
  if (failure) return commandFailed(command, failure, 'The meta server did not report the bulk load');
  const summaryTable = tableNamed(lines, 'summary');
  if (!summaryTable) return unrecognized(command, lines, 'no [summary] table');
  const summary = Object.fromEntries(keyValueRows(summaryTable.rows).entries);
  const appStatus = summary.app_bulk_load_status;
  if (!appStatus) return unrecognized(command, summaryTable.rows, 'no app_bulk_load_status in [summary]');
  const normalized = bulkLoadStatus(appStatus.replace(/^.*::/, ''));
  if (normalized === null) return unrecognized(command, [appStatus], `unknown bulk load status ${appStatus}`);
  const all = tableNamed(lines, 'all partitions');
  const partitions = all
    ? columnRows(all.rows).rows.map(
        (row): BulkLoadPartition => ({
          index: numberOrNull(row.partition_index) ?? -1,
          status: row.partition_status ?? '',
          downloadProgress: numberOrNull(row['download_progress(%)']),
          isCleanedUp: row.is_cleaned_up === undefined ? null : row.is_cleaned_up === 'YES',
        }),
      )
    : [];
  return parsed({
    appStatus: normalized,
    finished: FINAL.has(normalized),
    succeeded: normalized === 'BLS_SUCCEED',
    totalDownloadProgress: numberOrNull(summary.app_total_download_progress),
    partitionStatus: summary.partition_bulk_load_status ?? null,
    partitions,
    summary,
  });
}
