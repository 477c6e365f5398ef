/**
 * `<root>/bulk_load/<app_id>/<pidx>`: bulk-load state of one partition (reference §1.8).
 * Master writes `host_ports` as the last key, v2.5.0 writes `addresses` instead.
 */
import { type BulkLoadStatus, bulkLoadStatus } from './bulk-load-status';
import { type DecodeResult, guardDecode, JsonFields, parseJsonObject, success } from './decode-result';

const COMMON_KEYS = ['status', 'metadata', 'ever_ingest_succeed'] as const;
export const BULK_LOAD_PARTITION_KEYS = [...COMMON_KEYS, 'host_ports', 'addresses'] as const;
const METADATA_KEYS = ['files', 'file_total_size'] as const;

export interface BulkLoadPartition {
  status: BulkLoadStatus | null;
  statusRaw: string | null;
  /** Files to download (name/size/md5 objects as written) and their total size in bytes. */
  metadata: { fileCount: number; fileTotalSize: number | null } | null;
  everIngestSucceed: boolean | null;
  /** Replicas that reported this state: `host_ports` on master, `addresses` on v2.5. */
  replicas: string[];
  format: 'host-port' | 'address-only' | 'unknown';
}

export function decodeBulkLoadPartition(raw: Buffer): DecodeResult<BulkLoadPartition> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), BULK_LOAD_PARTITION_KEYS);
    const metadata = fields.object('metadata', METADATA_KEYS);
    const files = metadata?.raw('files');
    const hostPorts = fields.stringArray('host_ports');
    const addresses = fields.stringArray('addresses');
    const format = hostPorts !== null ? 'host-port' : addresses !== null ? 'address-only' : 'unknown';
    const value: BulkLoadPartition = {
      status: bulkLoadStatus(fields.enumToken('status')),
      statusRaw: fields.string('status'),
      metadata: metadata
        ? {
            fileCount: Array.isArray(files) ? files.length : 0,
            fileTotalSize: metadata.integer('file_total_size'),
          }
        : null,
      everIngestSucceed: fields.boolean('ever_ingest_succeed'),
      replicas: hostPorts ?? addresses ?? [],
      format,
    };
    // Either replica key completes the payload; which one depends on the writer's version.
    const expected =
      format === 'address-only' ? [...COMMON_KEYS, 'addresses'] : [...COMMON_KEYS, 'host_ports'];
    return success(value, fields.unknownKeys(), fields.missingKeys(expected));
  });
}
