/** Decoders for every Pegasus payload in ZooKeeper (reference §1-3); each takes bytes, none throws. */
export {
  type AppInfo,
  type AppStatusToken,
  APP_INFO_KEYS,
  APP_STATUS_TOKENS,
  decodeAppInfo,
} from './app-info';
export { type AppsRootInfo, type AppsRootState, decodeAppsRootState } from './apps-root-state';
export { type BackupInfo, type BackupInfoStatus, BACKUP_INFO_KEYS, decodeBackupInfo } from './backup-info';
export { type BackupPolicy, BACKUP_POLICY_KEYS, decodeBackupPolicy } from './backup-policy';
export { type BulkLoadApp, BULK_LOAD_APP_KEYS, decodeBulkLoadApp } from './bulk-load-app';
export {
  type BulkLoadPartition,
  BULK_LOAD_PARTITION_KEYS,
  decodeBulkLoadPartition,
} from './bulk-load-partition';
export { BULK_LOAD_STATUSES, type BulkLoadStatus } from './bulk-load-status';
export { type DecodeFailure, type DecodeResult, type DecodeSuccess, enumToken } from './decode-result';
export {
  DUPLICATION_FAIL_MODES,
  DUPLICATION_INFO_KEYS,
  DUPLICATION_STATUSES,
  type DuplicationFailMode,
  type DuplicationInfo,
  type DuplicationStatus,
  decodeDuplicationInfo,
} from './duplication-info';
export { type DuplicationProgress, decodeDuplicationProgress } from './duplication-progress';
export { isHostPort } from './host-port';
export {
  decodeMetaLockOwner,
  electMetaLeader,
  LOCK_NODE_PREFIX,
  type LockDirLayout,
  META_LOCK_ID,
  type MetaLockOwner,
  metaLockDirs,
  parseLockNodeName,
} from './meta-lock';
export { decodeMetaProxyEntry, META_PROXY_ENTRY_KEYS, type MetaProxyEntry } from './meta-proxy-entry';
export {
  decodePartitionConfig,
  PARTITION_CONFIG_KEYS,
  PARTITION_FLAG_DROPPED,
  type PartitionConfig,
  type ReplicaSet,
  UNSET_ADDRESS_MARKERS,
} from './partition-config';
