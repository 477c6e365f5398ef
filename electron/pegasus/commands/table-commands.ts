/**
 * Table-level shell commands: use, create, count_data, copy_data with every option, and the table
 * envs (reference §6.2, §1.9). Commands that act on "the current table" start with `use <table>`.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import {
  checkClusterName,
  checkInteger,
  checkOneOf,
  checkTableName,
  checkText,
  pegasusShellCommand,
} from './generated';
import { CommandOptionError } from './quoting';

export function selectTableLine(table: string): string[] {
  return ['use', checkTableName(table)];
}

export interface CreateTableOptions {
  table: string;
  partitionCount: number;
  /** Default 3 (the cluster's max_replicas_in_group). */
  replicaCount?: number;
  /** Set at creation, e.g. { 'rocksdb.allow_ingest_behind': 'true' } for a bulk-load-behind target. */
  envs?: Readonly<Record<string, string>>;
}

export function createTableCommand(options: CreateTableOptions): GeneratedCommand {
  const argv = [
    'create',
    checkTableName(options.table),
    '-p',
    checkInteger(options.partitionCount, 'Partition count', 1, 65536),
  ];
  if (options.replicaCount !== undefined)
    argv.push('-r', checkInteger(options.replicaCount, 'Replica count', 1, 10));
  const envs = Object.entries(options.envs ?? {});
  if (envs.length > 0) {
    for (const [key, value] of envs) {
      checkEnv(key, value);
      // `-e k1=v1,k2=v2` cannot carry these characters.
      if (/[=,]/.test(key) || value.includes(',')) {
        throw new CommandOptionError(
          `create -e cannot carry ${key}=${value}: set it with set_app_envs after creating`,
        );
      }
    }
    argv.push('-e', envs.map(([key, value]) => `${key}=${value}`).join(','));
  }
  return pegasusShellCommand(`Create table ${options.table} with ${options.partitionCount} partitions`, [
    argv,
  ]);
}

export type FilterType = 'anywhere' | 'prefix' | 'postfix';
export type ValueFilterType = FilterType | 'exact';

export interface KeyFilter<T extends string> {
  type: T;
  pattern: string;
}

function filterArgs(
  filter: KeyFilter<string> | undefined,
  typeFlag: string,
  patternFlag: string,
  allowed: readonly string[],
  option: string,
): string[] {
  if (!filter) return [];
  checkOneOf(filter.type, allowed, `${option} type`);
  return [typeFlag, filter.type, patternFlag, filter.pattern];
}

/** The scan options count_data and copy_data share, with the same flags. */
export interface ScanOptions {
  /** -p: one partition only. */
  partition?: number;
  /** -b (copy_data's default 500); must be > 1. */
  maxBatchCount?: number;
  /** -t, per request. */
  timeoutMs?: number;
  /** -h / -x */
  hashKeyFilter?: KeyFilter<FilterType>;
  /** -s / -y */
  sortKeyFilter?: KeyFilter<ValueFilterType>;
  /** -v / -z; copy_data: not with noValue. */
  valueFilter?: KeyFilter<ValueFilterType>;
}

/** -p -b -t and the three filters, checked; `command` names the command in the messages. */
function scanArgs(command: 'count_data' | 'copy_data', options: ScanOptions): string[] {
  const argv: string[] = [];
  if (options.partition !== undefined)
    argv.push('-p', checkInteger(options.partition, `${command} -p (partition)`, 0));
  if (options.maxBatchCount !== undefined)
    argv.push('-b', checkInteger(options.maxBatchCount, `${command} -b (max batch count)`, 2));
  if (options.timeoutMs !== undefined)
    argv.push('-t', checkInteger(options.timeoutMs, `${command} -t (timeout ms)`, 1));
  argv.push(
    ...filterArgs(options.hashKeyFilter, '-h', '-x', ['anywhere', 'prefix', 'postfix'], 'Hash key filter'),
    ...filterArgs(
      options.sortKeyFilter,
      '-s',
      '-y',
      ['anywhere', 'prefix', 'postfix', 'exact'],
      'Sort key filter',
    ),
    ...filterArgs(
      options.valueFilter,
      '-v',
      '-z',
      ['anywhere', 'prefix', 'postfix', 'exact'],
      'Value filter',
    ),
  );
  return argv;
}

export interface CountDataOptions extends ScanOptions {
  table: string;
  /** -c: count exactly (reads every row). */
  precise?: boolean;
  /** -r: stop after this many seconds. */
  runSeconds?: number;
}

export function countDataCommand(options: CountDataOptions): GeneratedCommand {
  const argv = ['count_data'];
  if (options.precise) argv.push('-c');
  argv.push(...scanArgs('count_data', options));
  if (options.runSeconds !== undefined)
    argv.push('-r', checkInteger(options.runSeconds, 'count_data -r (run seconds)', 1));
  return pegasusShellCommand(`Count the rows of ${options.table}`, [selectTableLine(options.table), argv]);
}

export interface CopyDataOptions extends ScanOptions {
  sourceTable: string;
  /** -c: a cluster listed in the shell config's [pegasus.clusters]. */
  targetCluster: string;
  /** -a: must already exist on the target (copy_data does not create it). */
  targetTable: string;
  /** -m, default 20; with useMultiSet. */
  maxMultiSetConcurrency?: number;
  /** -o: rows per scan batch. */
  scanBatchSize?: number;
  /** -e: do not copy TTLs (rows never expire on the target). */
  noTtl?: boolean;
  /** -n: keep rows that already exist on the target; not with useMultiSet. */
  noOverwrite?: boolean;
  /** -i: copy keys only. */
  noValue?: boolean;
  /** -g: also write the geo index table `<target>_geo`. */
  geo?: boolean;
  /** -u: multi_set batches (faster; TTLs become the batch's largest). */
  useMultiSet?: boolean;
}

/** The shell refuses these combinations after parsing (data_operations.cpp); refuse them here first. */
function checkCopyData(options: CopyDataOptions): void {
  if (options.valueFilter && options.noValue) {
    throw new CommandOptionError(
      'copy_data cannot filter on values (-v) and copy without values (-i) at once',
    );
  }
  if (options.useMultiSet && options.noOverwrite) {
    throw new CommandOptionError('copy_data with multi_set (-u) does not support no_overwrite (-n)');
  }
  if (options.maxMultiSetConcurrency !== undefined && !options.useMultiSet) {
    throw new CommandOptionError('max_multi_set_concurrency (-m) only applies with multi_set (-u)');
  }
}

export function copyDataCommand(options: CopyDataOptions): GeneratedCommand {
  checkCopyData(options);
  checkTableName(options.sourceTable, 'source table');
  const argv = [
    'copy_data',
    '-c',
    checkClusterName(options.targetCluster, 'target cluster'),
    '-a',
    checkTableName(options.targetTable, 'target table'),
  ];
  argv.push(...scanArgs('copy_data', options));
  if (options.maxMultiSetConcurrency !== undefined) {
    argv.push('-m', checkInteger(options.maxMultiSetConcurrency, 'copy_data -m (multi_set concurrency)', 1));
  }
  if (options.scanBatchSize !== undefined)
    argv.push('-o', checkInteger(options.scanBatchSize, 'copy_data -o (scan batch size)', 1));
  if (options.noTtl) argv.push('-e');
  if (options.noOverwrite) argv.push('-n');
  if (options.noValue) argv.push('-i');
  if (options.geo) argv.push('-g');
  if (options.useMultiSet) argv.push('-u');
  return pegasusShellCommand(
    `Copy ${options.sourceTable} to ${options.targetCluster}/${options.targetTable} (progress every second)`,
    [selectTableLine(options.sourceTable), argv],
  );
}

/** Values the replicas parse for the env keys the runbooks set (reference §1.9). */
const ENV_VALUES: Record<string, { pattern: RegExp; hint: string }> = {
  'replica.deny_client_request': {
    pattern: /^(reconfig|timeout)\*(read|write|all)$/,
    hint: '<reconfig|timeout>*<read|write|all>, e.g. timeout*write',
  },
  'rocksdb.allow_ingest_behind': { pattern: /^(true|false)$/, hint: 'true or false' },
  'rocksdb.usage_scenario': {
    pattern: /^(normal|prefer_write|bulk_load)$/,
    hint: 'normal, prefer_write or bulk_load',
  },
};

function checkEnvKey(key: string): void {
  if (!/^[A-Za-z0-9_.*-]+$/.test(key))
    throw new CommandOptionError(`${JSON.stringify(key)} is not a table env key`);
}

function checkEnv(key: string, value: string): void {
  checkEnvKey(key);
  const rule = ENV_VALUES[key];
  if (rule && !rule.pattern.test(value)) {
    throw new CommandOptionError(`${key} must be ${rule.hint}, got ${JSON.stringify(value)}`);
  }
  checkText(value, `The value of ${key}`);
}

export function setAppEnvsCommand(table: string, envs: Readonly<Record<string, string>>): GeneratedCommand {
  const entries = Object.entries(envs);
  if (entries.length === 0) throw new CommandOptionError('set_app_envs needs at least one key and value');
  for (const [key, value] of entries) checkEnv(key, value);
  return pegasusShellCommand(
    `Set ${entries.map(([key, value]) => `${key}=${value}`).join(', ')} on ${table}`,
    [selectTableLine(table), ['set_app_envs', ...entries.flat()]],
  );
}

export function getAppEnvsCommand(table: string): GeneratedCommand {
  return pegasusShellCommand(`Read the envs of ${table}`, [selectTableLine(table), ['get_app_envs']]);
}

export function delAppEnvsCommand(table: string, keys: readonly string[]): GeneratedCommand {
  if (keys.length === 0) throw new CommandOptionError('del_app_envs needs at least one key');
  for (const key of keys) checkEnvKey(key);
  return pegasusShellCommand(`Remove ${keys.join(', ')} from ${table}`, [
    selectTableLine(table),
    ['del_app_envs', ...keys],
  ]);
}
