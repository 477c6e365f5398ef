/**
 * `<root>/apps/<app_id>`: the JSON `app_info` of one table (reference §1.3). Field order of the
 * encoder, oldest fields first; every later field is optional for older writers:
 * `create_second`/`drop_second` (v1.11), `duplicating` (v1.12), `init_partition_count`,
 * `is_bulk_loading`, and `atomic_idempotent` (master only, absent in v2.5.0).
 */
import { type DecodeResult, guardDecode, JsonFields, parseJsonObject, success } from './decode-result';

export const APP_INFO_KEYS = [
  'status',
  'app_type',
  'app_name',
  'app_id',
  'partition_count',
  'envs',
  'is_stateful',
  'max_replica_count',
  'expire_second',
  'create_second',
  'drop_second',
  'duplicating',
  'init_partition_count',
  'is_bulk_loading',
  'atomic_idempotent',
] as const;

/** `app_status` tokens (dsn.layer2.thrift). Only AVAILABLE and DROPPED are ever persisted. */
export const APP_STATUS_TOKENS = [
  'AS_INVALID',
  'AS_AVAILABLE',
  'AS_CREATING',
  'AS_CREATE_FAILED',
  'AS_DROPPING',
  'AS_DROP_FAILED',
  'AS_DROPPED',
  'AS_RECALLING',
] as const;

export type AppStatusToken = (typeof APP_STATUS_TOKENS)[number];

export interface AppInfo {
  /** Short token, e.g. 'AS_AVAILABLE'; null when the key is missing or the value is not a known status. */
  status: AppStatusToken | null;
  /** The status string as written, e.g. 'app_status::AS_AVAILABLE'. */
  statusRaw: string | null;
  /**
   * False when the status is not one the meta server accepts at load: it CHECK-fails on anything but
   * AS_AVAILABLE / AS_DROPPED (reference §1.3, server_state.cpp ~L700-712).
   */
  statusLoadable: boolean;
  appType: string | null;
  appName: string | null;
  appId: number | null;
  partitionCount: number | null;
  envs: Record<string, string>;
  isStateful: boolean | null;
  maxReplicaCount: number | null;
  /** Drop expiry, epoch seconds; 0 while available. */
  expireSecond: number | null;
  createSecond: number | null;
  dropSecond: number | null;
  duplicating: boolean | null;
  /** -1 by default; the count at create, used to tell a half-done split from a half-created table. */
  initPartitionCount: number | null;
  isBulkLoading: boolean | null;
  atomicIdempotent: boolean | null;
}

export function decodeAppInfo(raw: Buffer): DecodeResult<AppInfo> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), APP_INFO_KEYS);
    const statusRaw = fields.string('status');
    const token = fields.enumToken('status');
    const status = (APP_STATUS_TOKENS as readonly string[]).includes(token ?? '')
      ? (token as AppStatusToken)
      : null;
    const value: AppInfo = {
      status,
      statusRaw,
      statusLoadable: status === 'AS_AVAILABLE' || status === 'AS_DROPPED',
      appType: fields.string('app_type'),
      appName: fields.string('app_name'),
      appId: fields.integer('app_id'),
      partitionCount: fields.integer('partition_count'),
      envs: fields.stringMap('envs') ?? {},
      isStateful: fields.boolean('is_stateful'),
      maxReplicaCount: fields.integer('max_replica_count'),
      expireSecond: fields.integer('expire_second'),
      createSecond: fields.integer('create_second'),
      dropSecond: fields.integer('drop_second'),
      duplicating: fields.boolean('duplicating'),
      initPartitionCount: fields.integer('init_partition_count'),
      isBulkLoading: fields.boolean('is_bulk_loading'),
      atomicIdempotent: fields.boolean('atomic_idempotent'),
    };
    return success(value, fields.unknownKeys(), fields.missingKeys());
  });
}
