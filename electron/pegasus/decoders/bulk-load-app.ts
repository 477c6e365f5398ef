/**
 * `<root>/bulk_load/<app_id>`: the bulk load of one table, present only while one exists
 * (reference §1.8; meta_bulk_load_service.h ~L61-92).
 */
import { type BulkLoadStatus, bulkLoadStatus } from './bulk-load-status';
import { type DecodeResult, guardDecode, JsonFields, parseJsonObject, success } from './decode-result';

export const BULK_LOAD_APP_KEYS = [
  'app_id',
  'partition_count',
  'app_name',
  'cluster_name',
  'file_provider_type',
  'status',
  'remote_root_path',
  'ingest_behind',
  'is_ever_ingesting',
  'bulk_load_err',
] as const;

export interface BulkLoadApp {
  appId: number | null;
  partitionCount: number | null;
  appName: string | null;
  clusterName: string | null;
  fileProviderType: string | null;
  /** Short token, e.g. 'BLS_DOWNLOADING'; null if missing or unknown (see statusRaw). */
  status: BulkLoadStatus | null;
  statusRaw: string | null;
  remoteRootPath: string | null;
  ingestBehind: boolean | null;
  isEverIngesting: boolean | null;
  /** An error_code name such as 'ERR_OK'. */
  bulkLoadError: string | null;
}

export function decodeBulkLoadApp(raw: Buffer): DecodeResult<BulkLoadApp> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), BULK_LOAD_APP_KEYS);
    const value: BulkLoadApp = {
      appId: fields.integer('app_id'),
      partitionCount: fields.integer('partition_count'),
      appName: fields.string('app_name'),
      clusterName: fields.string('cluster_name'),
      fileProviderType: fields.string('file_provider_type'),
      status: bulkLoadStatus(fields.enumToken('status')),
      statusRaw: fields.string('status'),
      remoteRootPath: fields.string('remote_root_path'),
      ingestBehind: fields.boolean('ingest_behind'),
      isEverIngesting: fields.boolean('is_ever_ingesting'),
      bulkLoadError: fields.string('bulk_load_err'),
    };
    return success(value, fields.unknownKeys(), fields.missingKeys());
  });
}
