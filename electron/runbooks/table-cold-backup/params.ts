/** The parameters of `table-cold-backup`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { numberField, textField } from '../param-fields';
import { integerParam, selectParam } from '../param-schemas';
import { optionalTextParam, profileParam } from '../pegasus-steps/params';
import { optionalClusterNameParam, tableNameParam } from '../table-steps/params';

export const COLD_BACKUP_METHODS = ['restore', 'bulk-load'] as const;

export const tableColdBackupSchema = z
  .object({
    profile: profileParam(),
    table: tableNameParam(),
    clusterVersion: optionalTextParam().refine(
      (value) => /^\d+\.\d+(\.\d+)?$/.test(value),
      'give the Pegasus version of the source cluster, e.g. 2.4.0 (server_info shows it)',
    ),
    sendRateMb: integerParam(1, 10_000, 50),
    providerType: optionalTextParam().transform((value) => value || 'hdfs_service'),
    backupPath: optionalTextParam(),
    method: selectParam(COLD_BACKUP_METHODS, 'restore'),
    targetProfile: profileParam(),
    sourceClusterName: optionalClusterNameParam(),
    newTable: optionalTextParam(),
    restorePath: optionalTextParam(),
    bulkLoadCluster: optionalClusterNameParam(),
    bulkLoadRoot: optionalTextParam(),
    bulkLoadProvider: optionalTextParam().transform((value) => value || 'hdfs_service'),
    backupWaitMinutes: integerParam(1, 7 * 24 * 60, 24 * 60),
  })
  .superRefine((params, ctx) => {
    if (params.method === 'bulk-load' && params.bulkLoadRoot === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['bulkLoadRoot'],
        message: 'bulk-load needs the root path the offline split writes to',
      });
    }
    if (params.newTable !== '' && !/^[A-Za-z0-9_.:]+$/.test(params.newTable)) {
      ctx.addIssue({
        code: 'custom',
        path: ['newTable'],
        message: 'a table name has only letters, digits, _ . and :',
      });
    }
  });

export type TableColdBackupParams = z.infer<typeof tableColdBackupSchema>;

export const TABLE_COLD_BACKUP_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Source cluster',
    help: 'The cluster profile of the source (admin-cli for the backup).',
    input: 'pegasus-profile',
    required: true,
  },
  { name: 'table', label: 'Table', help: 'The table to back up and move.', input: 'text', required: true },
  textField(
    'clusterVersion',
    'Source Pegasus version',
    'e.g. 2.4.0: up to 2.3 the upload rate is nfs.max_send_rate_megabytes, from 2.4 nfs.max_send_rate_megabytes_per_disk.',
    true,
  ),
  numberField(
    'sendRateMb',
    'Upload rate limit (MB/s)',
    'Start low and raise it step by step while watching disk I/O and latency.',
    50,
  ),
  textField('providerType', 'Backup provider', 'The block service of the backup (default hdfs_service).'),
  textField('backupPath', 'Backup path', 'Optional path under the provider root.'),
  {
    name: 'method',
    label: 'Load into the target by',
    help: 'restore: same partition count, the source table must still exist; bulk-load: any partition count, after an offline split.',
    input: 'select',
    required: true,
    default: 'restore',
    options: COLD_BACKUP_METHODS,
  },
  {
    name: 'targetProfile',
    label: 'Target cluster',
    help: 'The cluster profile of the target (admin-cli for restore, shell for bulk load, ZooKeeper to check the table).',
    input: 'pegasus-profile',
    required: true,
  },
  textField(
    'sourceClusterName',
    'Source cluster name',
    'The cluster name in the backup path (restore -c). Empty: from the source profile.',
  ),
  textField('newTable', 'Target table name', 'restore -n / the bulk load table. Empty: the source name.'),
  textField('restorePath', 'Restore path', 'restore -r, when the backup was written under a path.'),
  textField(
    'bulkLoadCluster',
    'Bulk load cluster name',
    'start_bulk_load -c: the cluster name in the offline split output path.',
  ),
  textField(
    'bulkLoadRoot',
    'Bulk load root path',
    'start_bulk_load -r: where the offline split wrote the files.',
  ),
  textField('bulkLoadProvider', 'Bulk load provider', 'start_bulk_load -p (default hdfs_service).'),
  numberField(
    'backupWaitMinutes',
    'Longest wait (minutes)',
    'For the backup and the bulk load (default 1440).',
    24 * 60,
  ),
];
