/** Bulk load in the shell: `start_bulk_load` and `query_bulk_load_status` (reference §6.2). */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { checkClusterName, checkInteger, checkTableName, checkText, pegasusShellCommand } from './generated';

export interface StartBulkLoadOptions {
  table: string;
  /** The cluster name the files were generated for (the path component under root). */
  cluster: string;
  /** e.g. hdfs_service, local_service. */
  providerType: string;
  rootPath: string;
  /** -i: ingest behind existing data (the table needs rocksdb.allow_ingest_behind=true). */
  ingestBehind?: boolean;
}

export function startBulkLoadCommand(options: StartBulkLoadOptions): GeneratedCommand {
  const argv = [
    'start_bulk_load',
    '-a',
    checkTableName(options.table),
    '-c',
    checkClusterName(options.cluster),
    '-p',
    checkText(options.providerType, 'File provider type'),
    '-r',
    checkText(options.rootPath, 'Bulk load root path'),
  ];
  if (options.ingestBehind) argv.push('-i');
  return pegasusShellCommand(
    `Start the bulk load of ${options.table}${options.ingestBehind ? ' (ingest behind)' : ''}`,
    [argv],
  );
}

export function queryBulkLoadStatusCommand(
  table: string,
  options: { partition?: number; detailed?: boolean } = {},
): GeneratedCommand {
  const argv = ['query_bulk_load_status', '-a', checkTableName(table)];
  if (options.partition !== undefined) argv.push('-i', checkInteger(options.partition, 'Partition index', 0));
  if (options.detailed) argv.push('-d');
  return pegasusShellCommand(`Bulk load status of ${table}`, [argv]);
}
