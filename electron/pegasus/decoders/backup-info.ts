/**
 * `<root>/backup/<policy_name>/<backup_id>`: one backup made by a policy (reference §1.8;
 * `backup_info` in meta_backup_service.h ~L78-100). One-shot backups are not in ZooKeeper.
 */
import { type DecodeResult, guardDecode, JsonFields, parseJsonObject, success } from './decode-result';

export const BACKUP_INFO_KEYS = [
  'backup_id',
  'start_time_ms',
  'end_time_ms',
  'app_ids',
  'app_names',
  'info_status',
] as const;

/** `info_status`: 1 = ALIVE, 2 = DELETING (reference §1.8). */
export type BackupInfoStatus = 'ALIVE' | 'DELETING' | 'UNKNOWN';

export interface BackupInfo {
  backupId: number | null;
  startTimeMs: number | null;
  /** 0 (or missing) while the backup is still running. */
  endTimeMs: number | null;
  appIds: number[];
  appNames: Record<string, string>;
  infoStatus: BackupInfoStatus | null;
  infoStatusRaw: number | null;
}

function infoStatusName(value: number | null): BackupInfoStatus | null {
  if (value === null) return null;
  if (value === 1) return 'ALIVE';
  if (value === 2) return 'DELETING';
  return 'UNKNOWN';
}

export function decodeBackupInfo(raw: Buffer): DecodeResult<BackupInfo> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), BACKUP_INFO_KEYS);
    const infoStatusRaw = fields.integer('info_status');
    const value: BackupInfo = {
      backupId: fields.integer('backup_id'),
      startTimeMs: fields.integer('start_time_ms'),
      endTimeMs: fields.integer('end_time_ms'),
      appIds: fields.integerArray('app_ids') ?? [],
      appNames: fields.stringMap('app_names') ?? {},
      infoStatus: infoStatusName(infoStatusRaw),
      infoStatusRaw,
    };
    return success(value, fields.unknownKeys(), fields.missingKeys());
  });
}
