/** The parameters of `table-copy-data`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { flagField, numberField, textField } from '../param-fields';
import { booleanParam, integerParam, selectParam } from '../param-schemas';
import { optionalTextParam, profileParam } from '../pegasus-steps/params';
import { clusterNameParam, tableNameParam } from '../table-steps/params';

const KEY_FILTERS = ['none', 'anywhere', 'prefix', 'postfix'] as const;
const VALUE_FILTERS = ['none', 'anywhere', 'prefix', 'postfix', 'exact'] as const;

/** A table name, or '' for "the same name as the source". */
function optionalTableParam() {
  return optionalTextParam().refine(
    (value) => value === '' || /^[A-Za-z0-9_.:]+$/.test(value),
    'a table name has only letters, digits, _ . and :',
  );
}

export const tableCopyDataSchema = z
  .object({
    profile: profileParam(),
    table: tableNameParam(),
    targetCluster: clusterNameParam(),
    targetTable: optionalTableParam(),
    targetProfile: optionalTextParam(),
    partitionCount: integerParam(0, 65536, 0),
    partition: integerParam(-1, 65535, -1),
    maxBatchCount: integerParam(2, 100_000, 500),
    timeoutMs: integerParam(0, 3_600_000, 0),
    hashKeyFilter: selectParam(KEY_FILTERS, 'none'),
    hashKeyPattern: optionalTextParam(),
    sortKeyFilter: selectParam(VALUE_FILTERS, 'none'),
    sortKeyPattern: optionalTextParam(),
    valueFilter: selectParam(VALUE_FILTERS, 'none'),
    valuePattern: optionalTextParam(),
    useMultiSet: booleanParam(false),
    maxMultiSetConcurrency: integerParam(0, 1000, 0),
    scanBatchSize: integerParam(0, 100_000, 0),
    noTtl: booleanParam(false),
    noOverwrite: booleanParam(false),
    noValue: booleanParam(false),
    geo: booleanParam(false),
    verifyCounts: booleanParam(true),
    copyTimeoutMinutes: integerParam(1, 7 * 24 * 60, 24 * 60),
  })
  .superRefine((params, ctx) => {
    const pairs = [
      ['hashKeyFilter', 'hashKeyPattern'],
      ['sortKeyFilter', 'sortKeyPattern'],
      ['valueFilter', 'valuePattern'],
    ] as const;
    for (const [type, pattern] of pairs) {
      if (params[type] !== 'none' && params[pattern] === '') {
        ctx.addIssue({
          code: 'custom',
          path: [pattern],
          message: `give the pattern for the ${params[type]} filter`,
        });
      }
    }
    if (params.valueFilter !== 'none' && params.noValue) {
      ctx.addIssue({
        code: 'custom',
        path: ['noValue'],
        message: 'copy_data cannot filter on values and copy without values',
      });
    }
    if (params.useMultiSet && params.noOverwrite) {
      ctx.addIssue({
        code: 'custom',
        path: ['noOverwrite'],
        message: 'copy_data with multi_set (-u) does not support no_overwrite (-n)',
      });
    }
    if (params.maxMultiSetConcurrency > 0 && !params.useMultiSet) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxMultiSetConcurrency'],
        message: 'applies only with useMultiSet',
      });
    }
  });

export type TableCopyDataParams = z.infer<typeof tableCopyDataSchema>;

const filter = (name: string, label: string, options: readonly string[]): RunbookParam => ({
  name,
  label,
  help: 'Copy only rows whose key/value matches the pattern (none: no filter).',
  input: 'select',
  required: false,
  default: 'none',
  options,
});

export const TABLE_COPY_DATA_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Source cluster',
    help: 'The cluster profile of the source table: its ZooKeeper (table health) and its shell (copy_data runs there).',
    input: 'pegasus-profile',
    required: true,
  },
  { name: 'table', label: 'Source table', help: 'The table to copy.', input: 'text', required: true },
  {
    name: 'targetCluster',
    label: 'Target cluster',
    help: "As the source shell's [pegasus.clusters] names it (copy_data -c).",
    input: 'text',
    required: true,
  },
  textField(
    'targetTable',
    'Target table',
    'copy_data -a; it must exist (copy_data does not create it). Empty: the source name.',
  ),
  textField(
    'targetProfile',
    'Target cluster profile',
    "Optional: the target's profile, to check the target table exists and count its rows. Empty: checked by hand.",
  ),
  numberField(
    'partitionCount',
    'Target partition count',
    'For the generated create command (any count: copy_data re-hashes). 0: the source count.',
    0,
  ),
  numberField('partition', 'Only partition (-p)', 'Copy one partition only; -1: all.', -1),
  numberField('maxBatchCount', 'Batch size (-b)', 'Rows per scan batch request (default 500).', 500),
  numberField('timeoutMs', 'Timeout ms (-t)', 'Per request; 0: the shell default (5000).', 0),
  filter('hashKeyFilter', 'Hash key filter (-h)', ['none', 'anywhere', 'prefix', 'postfix']),
  textField('hashKeyPattern', 'Hash key pattern (-x)', 'The pattern of the hash key filter.'),
  filter('sortKeyFilter', 'Sort key filter (-s)', ['none', 'anywhere', 'prefix', 'postfix', 'exact']),
  textField('sortKeyPattern', 'Sort key pattern (-y)', 'The pattern of the sort key filter.'),
  filter('valueFilter', 'Value filter (-v)', ['none', 'anywhere', 'prefix', 'postfix', 'exact']),
  textField('valuePattern', 'Value pattern (-z)', 'The pattern of the value filter.'),
  flagField(
    'useMultiSet',
    'multi_set (-u)',
    "Write in multi_set batches: faster; TTLs become the batch's largest.",
  ),
  numberField(
    'maxMultiSetConcurrency',
    'multi_set concurrency (-m)',
    'With multi_set; 0: the shell default (20).',
    0,
  ),
  numberField('scanBatchSize', 'Scan batch size (-o)', 'Rows per scanner batch; 0: the shell default.', 0),
  flagField('noTtl', 'No TTL (-e)', 'Do not copy TTLs: rows never expire on the target.'),
  flagField('noOverwrite', 'No overwrite (-n)', 'Keep rows that already exist on the target.'),
  flagField('noValue', 'No value (-i)', 'Copy the keys only.'),
  flagField('geo', 'Geo (-g)', 'Also write the geo index table <target>_geo.'),
  {
    name: 'verifyCounts',
    label: 'Verify by counts',
    help: 'Count the rows on both sides with count_data after the copy (reads every row again).',
    input: 'boolean',
    required: false,
    default: true,
  },
  numberField(
    'copyTimeoutMinutes',
    'Longest copy (minutes)',
    'The copy is stopped and fails after this (default 1440).',
    24 * 60,
  ),
];
