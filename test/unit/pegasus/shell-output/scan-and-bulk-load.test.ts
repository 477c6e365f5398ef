import { describe, expect, it } from 'vitest';
import {
  parseCopyData,
  parseCountData,
  parseQueryBulkLoadStatus,
  parseScanProgressLine,
  parseStartBulkLoad,
} from '../../../../electron/pegasus/shell-output';
import { failure, sample, value } from './sample-outputs';

describe('copy_data and count_data', () => {
  it('reads one progress line, with and without the error suffix', () => {
    expect(
      parseScanProgressLine(
        'INFO: processed for 12 seconds, (3/8) splits, total 120000 rows, last second 9500 rows',
      ),
    ).toEqual({
      seconds: 12,
      completedSplits: 3,
      totalSplits: 8,
      totalRows: 120000,
      lastSecondRows: 9500,
      errorOccurred: false,
    });
    expect(
      parseScanProgressLine(
        'INFO: processed for 3 seconds, (1/4) splits, total 1800 rows, last second 0 rows, error occurred, terminating...',
      )?.errorOccurred,
    ).toBe(true);
    expect(parseScanProgressLine('INFO: split[0]: 5 rows')).toBeNull();
  });

  it('reads a finished copy: parameters, progress, per-split rows and the total', () => {
    const result = value(parseCopyData(sample('copy-data-done')));
    expect(result.outcome).toBe('done');
    expect(result.totalRows).toBe(5000);
    expect(result.splitCount).toBe(4);
    expect(result.progress.map((p) => p.lastSecondRows)).toEqual([1200, 1500, 1400, 900]);
    expect(result.progress.at(-1)).toMatchObject({ completedSplits: 4, totalSplits: 4, totalRows: 5000 });
    expect(result.splitRows.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(result.parameters).toMatchObject({
      target_cluster_name: 'tjsrv',
      target_app_name: 'temp',
      hash_key_filter_pattern: 'user_',
      max_batch_count: '500',
    });
    expect(result.errors).toEqual([]);
  });

  it('reads a terminated copy with the failed write as its cause', () => {
    const result = value(parseCopyData(sample('copy-data-terminated')));
    expect(result.outcome).toBe('terminated');
    expect(result.totalRows).toBe(1800);
    expect(result.progress.at(-1)?.errorOccurred).toBe(true);
    expect(result.errors).toEqual([
      'async set failed, error = ERR_TIMEOUT, hash_key = "user_17", sort_key = "profile"',
      'error occurred, processing terminated',
    ]);
  });

  it('reads a copy that did not start, and one still running', () => {
    const refused = failure(
      parseCopyData('INFO: source_cluster_name = onebox\nERROR: get target app client failed\n'),
    );
    expect(refused.kind).toBe('command-failed');
    expect(refused.message).toBe('copy_data did not start: get target app client failed');
    const running = value(parseCopyData(sample('copy-data-done').split('\n').slice(0, 25).join('\n')));
    expect(running.outcome).toBe('incomplete');
    expect(running.totalRows).toBe(running.progress.at(-1)?.totalRows);
    expect(failure(parseCopyData('hello\n')).kind).toBe('unrecognized');
  });

  it('reads count_data', () => {
    const result = value(parseCountData(sample('count-data')));
    expect(result).toMatchObject({
      operation: 'count_data',
      outcome: 'done',
      totalRows: 5000,
      splitCount: 4,
    });
    const ended = value(
      parseCountData('INFO: app_name = t\n\nCount terminated as run time used out, total 42 rows.\n'),
    );
    expect(ended).toMatchObject({
      outcome: 'terminated',
      terminationReason: 'as run time used out',
      totalRows: 42,
    });
  });
});

describe('bulk load', () => {
  it('reads start_bulk_load', () => {
    expect(value(parseStartBulkLoad(sample('start-bulk-load')))).toEqual({ started: true });
    const error = failure(parseStartBulkLoad(sample('start-bulk-load-failed')));
    expect(error.errorCode).toBe('ERR_INVALID_STATE');
    expect(error.offendingText).toContain('already executing bulk load');
  });

  it('reads query_bulk_load_status while downloading, after success and after failure', () => {
    const downloading = value(parseQueryBulkLoadStatus(sample('bulk-load-downloading')));
    expect(downloading).toMatchObject({
      appStatus: 'BLS_DOWNLOADING',
      finished: false,
      succeeded: false,
      totalDownloadProgress: 55,
    });
    expect(downloading.partitions.map((p) => [p.index, p.status, p.downloadProgress])).toEqual([
      [0, 'BLS_DOWNLOADING', 40],
      [1, 'BLS_DOWNLOADING', 55],
      [2, 'BLS_DOWNLOADED', 100],
      [3, 'BLS_DOWNLOADING', 25],
    ]);
    expect(value(parseQueryBulkLoadStatus(sample('bulk-load-succeed')))).toMatchObject({
      appStatus: 'BLS_SUCCEED',
      finished: true,
      succeeded: true,
    });
    const failed = value(parseQueryBulkLoadStatus(sample('bulk-load-failed')));
    expect(failed).toMatchObject({ appStatus: 'BLS_FAILED', finished: true, succeeded: false });
    expect(failed.partitions[1]?.isCleanedUp).toBe(true);
  });

  it('reports a query failure and an unknown status', () => {
    expect(failure(parseQueryBulkLoadStatus(sample('bulk-load-query-error'))).errorCode).toBe(
      'ERR_APP_NOT_EXIST',
    );
    expect(failure(parseQueryBulkLoadStatus('[summary]\napp_bulk_load_status  : BLS_WHATEVER\n')).kind).toBe(
      'unrecognized',
    );
  });
});
