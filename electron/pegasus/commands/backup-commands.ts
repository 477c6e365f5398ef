/**
 * Cold backup and restore: admin-cli's one-shot `backup` / `query-backup-status` / `restore`
 * (reference §6.3; one-shot backups are not in ZooKeeper, §1.8) and the shell's policy-based
 * `add_backup_policy` / `restore_app` (§6.2). A restore needs the same partition count, and the
 * source table's metadata in the backup.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import {
  adminCliCommand,
  checkClusterName,
  checkInteger,
  checkTableName,
  checkText,
  pegasusShellCommand,
} from './generated';
import { CommandOptionError } from './quoting';

export function adminCliBackupCommand(options: {
  tableId: number;
  providerType: string;
  backupPath?: string;
}): GeneratedCommand {
  const argv = [
    'backup',
    checkInteger(options.tableId, 'Table id', 1),
    checkText(options.providerType, 'Backup provider type'),
  ];
  if (options.backupPath) argv.push(options.backupPath);
  return adminCliCommand(`Back up table ${options.tableId} to ${options.providerType}`, [argv]);
}

export function adminCliBackupStatusCommand(tableId: number, backupId?: number): GeneratedCommand {
  const argv = ['query-backup-status', checkInteger(tableId, 'Table id', 1)];
  if (backupId !== undefined) argv.push(checkInteger(backupId, 'Backup id', 1));
  return adminCliCommand(`Backup status of table ${tableId}`, [argv]);
}

export interface RestoreOptions {
  oldCluster: string;
  oldTable: string;
  oldTableId: number;
  backupId: number;
  providerType: string;
  /** Default: the old name (which must then not exist). */
  newTable?: string;
  restorePath?: string;
  /** Go on past partitions whose backup is missing (their data is lost). */
  skipBadPartition?: boolean;
  /** Backups made before 2.2 are found by policy name. */
  policyName?: string;
}

/** Which backup a restore reads (-a -i -t -b): admin-cli's restore and the shell's restore_app take the same flags. */
function backupToRestoreArgs(options: RestoreOptions): string[] {
  return [
    '-a',
    checkTableName(options.oldTable, 'old table'),
    '-i',
    checkInteger(options.oldTableId, 'Old table id', 1),
    '-t',
    checkInteger(options.backupId, 'Backup id', 1),
    '-b',
    checkText(options.providerType, 'Backup provider type'),
  ];
}

export function adminCliRestoreCommand(options: RestoreOptions): GeneratedCommand {
  const argv = [
    'restore',
    '-c',
    checkClusterName(options.oldCluster, 'old cluster'),
    ...backupToRestoreArgs(options),
  ];
  if (options.newTable) argv.push('-n', checkTableName(options.newTable, 'new table'));
  if (options.restorePath) argv.push('-r', options.restorePath);
  if (options.skipBadPartition) argv.push('-s');
  if (options.policyName) argv.push('-p', options.policyName);
  return adminCliCommand(`Restore ${options.oldTable} from backup ${options.backupId}`, [argv]);
}

export function shellRestoreCommand(options: RestoreOptions & { policyName: string }): GeneratedCommand {
  const argv = [
    'restore_app',
    '-c',
    checkClusterName(options.oldCluster, 'old cluster'),
    '-p',
    checkText(options.policyName, 'Backup policy name'),
    ...backupToRestoreArgs(options),
  ];
  if (options.newTable) argv.push('-n', checkTableName(options.newTable, 'new table'));
  if (options.skipBadPartition) argv.push('-s');
  if (options.restorePath) argv.push('-r', options.restorePath);
  return pegasusShellCommand(`Restore ${options.oldTable} from backup ${options.backupId}`, [argv]);
}

export interface BackupPolicyOptions {
  policyName: string;
  providerType: string;
  tableIds: readonly number[];
  intervalSeconds: number;
  /** HH:MM, the first backup's time of day. */
  startTime: string;
  historyCount: number;
}

export function addBackupPolicyCommand(options: BackupPolicyOptions): GeneratedCommand {
  if (options.tableIds.length === 0)
    throw new CommandOptionError('A backup policy needs at least one table id');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(options.startTime)) {
    throw new CommandOptionError(
      `The policy start time must be HH:MM, got ${JSON.stringify(options.startTime)}`,
    );
  }
  return pegasusShellCommand(`Add backup policy ${options.policyName}`, [
    [
      'add_backup_policy',
      '-p',
      checkText(options.policyName, 'Backup policy name'),
      '-b',
      checkText(options.providerType, 'Backup provider type'),
      '-a',
      options.tableIds.map((id) => checkInteger(id, 'Table id', 1)).join(','),
      '-i',
      checkInteger(options.intervalSeconds, 'Backup interval (s)', 60),
      '-s',
      options.startTime,
      '-c',
      checkInteger(options.historyCount, 'Backups to keep', 1),
    ],
  ]);
}
