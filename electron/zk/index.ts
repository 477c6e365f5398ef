/** The ZooKeeper layer's public surface: the rest of the app imports from here, never the client library. */
export type {
  CreateMode,
  SessionState,
  ZkAcl,
  ZkErrorCode,
  ZkSessionLike,
  ZkSessionOptions,
  ZkStatRaw,
} from './types';
export {
  ALL_PERMS,
  digestAcl,
  digestAclId,
  lettersToPerms,
  normalizePerms,
  OPEN_ACL_UNSAFE,
  PERM_BITS,
  parseDigestCredential,
  permsToLetters,
  validateAcl,
} from './acl';
export {
  formatDuration,
  isZkError,
  toZkError,
  unreachableMessage,
  ZkError,
  type ZkErrorContext,
  type ZkOperation,
  zkErrorCodeFromClientCode,
  zkErrorMessage,
} from './errors';
export { FOUR_LETTER_WORDS, fourLetterWord } from './four-letter-word';
export { InFlightWindow, type InFlightWindowStats, RingQueue } from './in-flight-window';
export { longToEpochMs, longToHex, readLong, toStatView } from './stat';
export {
  DEFAULT_MAX_IN_FLIGHT,
  MAX_DATA_BYTES,
  MAX_REQUEST_BYTES,
  ZkSession,
  type ZkSessionStats,
} from './zk-session';
export { IndexQueue } from './index-queue';
export {
  aclBytes,
  asWriteSession,
  type MultiOp,
  type MultiOpResult,
  type MultiResult,
  multiOpBytes,
  multiRequestBytes,
  singleOpRequestBytes,
  type ZkWriteSession,
} from './multi';
export {
  type Batch,
  BatchCommitError,
  type BatchEntry,
  type CulpritResolver,
  commitOps,
  commitSplitting,
  DEFAULT_BATCH_BYTES,
  isOpLevelError,
  MultiBatcher,
  type MultiBatcherOptions,
  type SplitCommitResult,
} from './multi-batcher';
export {
  type ChildList,
  isInSubtree,
  isReservedPath,
  joinPath,
  KEY_SEPARATOR,
  keyToPath,
  preorderKey,
  subtreeBefore,
  TreeWalker,
  type TreeWalkerOptions,
  type TreeWalkerStats,
  type VisitOutcome,
  type WalkEvent,
  type WalkItem,
  walkTree,
  type WalkTreeOptions,
} from './tree-walker';
export {
  asWatchSession,
  type WatchEvent,
  type WatchEventKind,
  watchEventKind,
  type ZkWatcher,
  type ZkWatchSession,
} from './watch';
