/** Snapshots: capture a live subtree into the store, read it offline, compare it with the live tree. */
export {
  CaptureCancelledError,
  type CaptureResult,
  captureSnapshot,
  type SnapshotSource,
} from './capture-snapshot';
export { CompareCancelledError, compareSnapshot } from './compare-snapshot';
export { type OfflineSource, offlineSnapshotSource } from './offline-source';
export { ensureSampleSnapshot, SAMPLE_CLUSTER } from './sample-cluster';
export { snapshotFromExport } from './snapshot-from-export';
export { ancestorsOf, SnapshotReadOnlyError, SnapshotSession } from './snapshot-session';
export { WalkProgress } from './walk-progress';
