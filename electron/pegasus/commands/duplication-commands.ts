/**
 * Duplication, in the shell (`add_dup`, `query_dup`, `pause_dup`, `start_dup`, `remove_dup`,
 * `set_dup_fail_mode`) and in admin-cli (`use <table>` then `dup add|list|pause|start|remove`).
 * Pause only works from DS_LOG and start only from DS_PAUSE (the meta refuses the rest).
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import {
  adminCliCommand,
  checkClusterName,
  checkInteger,
  checkOneOf,
  checkTableName,
  pegasusShellCommand,
} from './generated';

export interface AddDuplicationOptions {
  table: string;
  remoteCluster: string;
  /** Duplicate a checkpoint first (full copy), then the log; without it only new writes are shipped. */
  checkpoint: boolean;
  /** 2.6+: the table name on the remote cluster, when it differs. */
  remoteTable?: string;
  /** 2.6+: the replica count of the table the remote creates. */
  remoteReplicaCount?: number;
}

export function addDupCommand(options: AddDuplicationOptions): GeneratedCommand {
  const argv = [
    'add_dup',
    checkTableName(options.table),
    checkClusterName(options.remoteCluster, 'remote cluster'),
  ];
  if (options.checkpoint) argv.push('-s');
  if (options.remoteTable) argv.push('-a', checkTableName(options.remoteTable, 'remote table'));
  if (options.remoteReplicaCount !== undefined) {
    argv.push('-r', checkInteger(options.remoteReplicaCount, 'Remote replica count', 1, 10));
  }
  return pegasusShellCommand(
    `Duplicate ${options.table} to ${options.remoteCluster}${options.checkpoint ? ' (checkpoint first)' : ' (new writes only)'}`,
    [argv],
  );
}

export function queryDupCommand(table: string, detail = false): GeneratedCommand {
  return pegasusShellCommand(`List the duplications of ${table}`, [
    ['query_dup', checkTableName(table), ...(detail ? ['-d'] : [])],
  ]);
}

export type DupAction = 'pause' | 'start' | 'remove';

const DUP_ACTION_LABEL: Record<DupAction, string> = {
  pause: 'Pause (only from DS_LOG)',
  start: 'Start again (only from DS_PAUSE)',
  remove: 'Remove',
};

function dupid(value: number): string {
  return checkInteger(value, 'The duplication id (dupid)', 1, 2 ** 31 - 1);
}

export function changeDupCommand(action: DupAction, table: string, id: number): GeneratedCommand {
  checkOneOf(action, ['pause', 'start', 'remove'], 'The duplication action');
  return pegasusShellCommand(`${DUP_ACTION_LABEL[action]} duplication ${id} of ${table}`, [
    [`${action}_dup`, checkTableName(table), dupid(id)],
  ]);
}

export function setDupFailModeCommand(table: string, id: number, mode: 'slow' | 'skip'): GeneratedCommand {
  checkOneOf(mode, ['slow', 'skip'], 'The fail mode');
  return pegasusShellCommand(
    mode === 'skip'
      ? `Set duplication ${id} of ${table} to skip failed writes (they are LOST on the remote)`
      : `Set duplication ${id} of ${table} to retry failed writes (slow)`,
    [['set_dup_fail_mode', checkTableName(table), dupid(id), mode]],
  );
}

export function adminCliAddDupCommand(
  table: string,
  remoteCluster: string,
  checkpoint: boolean,
): GeneratedCommand {
  return adminCliCommand(
    `Duplicate ${table} to ${remoteCluster}${checkpoint ? ' (checkpoint first)' : ' (new writes only)'}`,
    [
      ['use', checkTableName(table)],
      ['dup', 'add', '-c', checkClusterName(remoteCluster, 'remote cluster'), ...(checkpoint ? ['-p'] : [])],
    ],
  );
}

export function adminCliListDupCommand(table: string): GeneratedCommand {
  return adminCliCommand(`List the duplications of ${table}`, [
    ['use', checkTableName(table)],
    ['dup', 'list'],
  ]);
}

export function adminCliChangeDupCommand(action: DupAction, table: string, id: number): GeneratedCommand {
  checkOneOf(action, ['pause', 'start', 'remove'], 'The duplication action');
  return adminCliCommand(`${DUP_ACTION_LABEL[action]} duplication ${id} of ${table}`, [
    ['use', checkTableName(table)],
    ['dup', action, '-d', dupid(id)],
  ]);
}
