/**
 * `bulk_load_status` tokens (idl/bulk_load.thrift), written scoped as
 * "replication::bulk_load_status::BLS_DOWNLOADING" (reference §1.8).
 */
export const BULK_LOAD_STATUSES = [
  'BLS_INVALID',
  'BLS_DOWNLOADING',
  'BLS_DOWNLOADED',
  'BLS_INGESTING',
  'BLS_SUCCEED',
  'BLS_FAILED',
  'BLS_PAUSING',
  'BLS_PAUSED',
  'BLS_CANCELED',
] as const;

export type BulkLoadStatus = (typeof BULK_LOAD_STATUSES)[number];

export function bulkLoadStatus(token: string | null): BulkLoadStatus | null {
  return token !== null && (BULK_LOAD_STATUSES as readonly string[]).includes(token)
    ? (token as BulkLoadStatus)
    : null;
}
