/**
 * `<root>/backup/<policy_name>`: a periodic cold-backup policy (reference §1.8; `policy` in
 * meta_backup_service.h ~L229-236). Present only when cold backup is enabled.
 */
import { type DecodeResult, guardDecode, JsonFields, parseJsonObject, success } from './decode-result';

export const BACKUP_POLICY_KEYS = [
  'policy_name',
  'backup_provider_type',
  'app_ids',
  'app_names',
  'backup_interval_seconds',
  'backup_history_count_to_keep',
  'is_disable',
  'start_time',
] as const;

const START_TIME_KEYS = ['hour', 'minute'] as const;

export interface BackupPolicy {
  policyName: string | null;
  backupProviderType: string | null;
  appIds: number[];
  /** app id (as a string key) to the app name at the time it was added. */
  appNames: Record<string, string>;
  backupIntervalSeconds: number | null;
  backupHistoryCountToKeep: number | null;
  /** `is_disable` as written (0/1). */
  disabled: boolean | null;
  /** Daily start time, local to the meta server. */
  startTime: { hour: number | null; minute: number | null } | null;
}

export function decodeBackupPolicy(raw: Buffer): DecodeResult<BackupPolicy> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), BACKUP_POLICY_KEYS);
    const start = fields.object('start_time', START_TIME_KEYS);
    const value: BackupPolicy = {
      policyName: fields.string('policy_name'),
      backupProviderType: fields.string('backup_provider_type'),
      appIds: fields.integerArray('app_ids') ?? [],
      appNames: fields.stringMap('app_names') ?? {},
      backupIntervalSeconds: fields.integer('backup_interval_seconds'),
      backupHistoryCountToKeep: fields.integer('backup_history_count_to_keep'),
      disabled: fields.boolean('is_disable'),
      startTime: start ? { hour: start.integer('hour'), minute: start.integer('minute') } : null,
    };
    return success(value, fields.unknownKeys(), fields.missingKeys());
  });
}
