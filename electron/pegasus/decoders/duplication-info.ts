/**
 * `<root>/apps/<app_id>/duplication/<dupid>`: the JSON of one duplication (reference §1.7).
 *
 * - master: remote, status, create_timestamp_ms, fail_mode, remote_app_name, remote_replica_count
 * - v2.4/v2.5: remote, status, create_timestamp_ms, fail_mode
 * - legacy (pre-2022 rDSN): remote, status ("DS_START"), create_timestamp_ms
 *
 * Duplication enums carry no scope prefix ("DS_LOG", "FAIL_SLOW"). A status the meta does not know,
 * such as the legacy DS_START, decodes as DS_REMOVED and the meta ignores that duplication; we do
 * the same and keep the written string in `statusRaw`.
 */
import {
  type DecodeResult,
  enumToken,
  guardDecode,
  JsonFields,
  parseJsonObject,
  success,
} from './decode-result';

export const DUPLICATION_INFO_KEYS = [
  'remote',
  'status',
  'create_timestamp_ms',
  'fail_mode',
  'remote_app_name',
  'remote_replica_count',
] as const;

export const DUPLICATION_STATUSES = [
  'DS_INIT',
  'DS_PREPARE',
  'DS_APP',
  'DS_LOG',
  'DS_PAUSE',
  'DS_REMOVED',
] as const;
export type DuplicationStatus = (typeof DUPLICATION_STATUSES)[number];

export const DUPLICATION_FAIL_MODES = ['FAIL_SLOW', 'FAIL_SKIP', 'FAIL_FAST'] as const;
export type DuplicationFailMode = (typeof DUPLICATION_FAIL_MODES)[number];

export interface DuplicationInfo {
  remote: string | null;
  status: DuplicationStatus;
  /** The status string as written; differs from `status` for unknown ones like 'DS_START'. */
  statusRaw: string | null;
  /** True when the written status is not a known one and was read as DS_REMOVED. */
  statusUnknown: boolean;
  createTimestampMs: number | null;
  /** FAIL_SLOW when the key is missing (the meta's json_helper default); null for an unknown mode. */
  failMode: DuplicationFailMode | null;
  failModeRaw: string | null;
  /** Missing on v2.5 and older: the meta defaults it to the source app's name. */
  remoteAppName: string | null;
  /** Missing on v2.5 and older: the meta defaults it to the source app's max_replica_count. */
  remoteReplicaCount: number | null;
}

export function decodeDuplicationInfo(raw: Buffer): DecodeResult<DuplicationInfo> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), DUPLICATION_INFO_KEYS);
    const statusRaw = fields.string('status');
    const statusToken = statusRaw === null ? null : enumToken(statusRaw);
    const known = (DUPLICATION_STATUSES as readonly string[]).includes(statusToken ?? '');
    const failModeRaw = fields.string('fail_mode');
    const failToken = failModeRaw === null ? 'FAIL_SLOW' : enumToken(failModeRaw);
    const value: DuplicationInfo = {
      remote: fields.string('remote'),
      status: known ? (statusToken as DuplicationStatus) : 'DS_REMOVED',
      statusRaw,
      statusUnknown: !known,
      createTimestampMs: fields.integer('create_timestamp_ms'),
      failMode: (DUPLICATION_FAIL_MODES as readonly string[]).includes(failToken)
        ? (failToken as DuplicationFailMode)
        : null,
      failModeRaw,
      remoteAppName: fields.string('remote_app_name'),
      remoteReplicaCount: fields.integer('remote_replica_count'),
    };
    return success(value, fields.unknownKeys(), fields.missingKeys());
  });
}
