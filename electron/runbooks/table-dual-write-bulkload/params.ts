/** The parameters of `table-dual-write-bulkload`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { numberField, textField } from '../param-fields';
import { integerParam } from '../param-schemas';
import { optionalTextParam, profileParam } from '../pegasus-steps/params';
import { optionalClusterNameParam, tableNameParam } from '../table-steps/params';

export const tableDualWriteSchema = z.object({
  profile: profileParam(),
  table: tableNameParam(),
  targetProfile: profileParam(),
  targetTable: optionalTextParam().refine(
    (value) => value === '' || /^[A-Za-z0-9_.:]+$/.test(value),
    'a table name has only letters, digits, _ . and :',
  ),
  partitionCount: integerParam(0, 65536, 0),
  providerType: optionalTextParam().transform((value) => value || 'hdfs_service'),
  bulkLoadCluster: optionalClusterNameParam(),
  bulkLoadRoot: optionalTextParam().refine(
    (value) => value !== '',
    'give the root path the offline split writes to',
  ),
  bulkLoadProvider: optionalTextParam().transform((value) => value || 'hdfs_service'),
  /** Mismatches per million rows compared, at most: 10 = 99.999 % consistency (Pinterest's bar). */
  maxMismatchPpm: integerParam(0, 1_000_000, 10),
  waitMinutes: integerParam(1, 7 * 24 * 60, 24 * 60),
});

export type TableDualWriteParams = z.infer<typeof tableDualWriteSchema>;

export const TABLE_DUAL_WRITE_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Source cluster',
    help: 'The cluster profile of the source table.',
    input: 'pegasus-profile',
    required: true,
  },
  {
    name: 'table',
    label: 'Source table',
    help: 'The table the application moves.',
    input: 'text',
    required: true,
  },
  {
    name: 'targetProfile',
    label: 'Target cluster',
    help: 'The cluster profile of the target (its shell runs the bulk load).',
    input: 'pegasus-profile',
    required: true,
  },
  textField('targetTable', 'Target table', 'Empty: the source name.'),
  numberField('partitionCount', 'Target partition count', 'For the create command; 0: the source count.', 0),
  textField('providerType', 'Backup provider', 'Where the backup goes (default hdfs_service).'),
  textField(
    'bulkLoadCluster',
    'Bulk load cluster name',
    'start_bulk_load -c: the cluster name in the offline split output path. Empty: the source profile name.',
  ),
  textField(
    'bulkLoadRoot',
    'Bulk load root path',
    'start_bulk_load -r: where the offline split writes the files.',
    true,
  ),
  textField('bulkLoadProvider', 'Bulk load provider', 'start_bulk_load -p (default hdfs_service).'),
  numberField(
    'maxMismatchPpm',
    'Reconciliation threshold (ppm)',
    'Reconciliation passes repeat until at most this many rows per million compared mismatch (10 = 99.999 % consistent).',
    10,
  ),
  numberField('waitMinutes', 'Longest wait (minutes)', 'For the bulk load (default 1440).', 24 * 60),
];
