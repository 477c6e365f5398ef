/** Duplication rules the runbooks use: which action fits which status, and the confirmed-decree lag. */
export {
  allowedDuplicationActions,
  checkDuplicationAction,
  DUPLICATION_ACTIONS,
  type DuplicationAction,
  type DuplicationActionVerdict,
  type DuplicationStateView,
  explainDuplicationRefusal,
  FAIL_MODE_OF,
  FAIL_SKIP_WARNING,
  isLiveDuplication,
  REMOVE_WARNING,
  type SettableFailMode,
} from './action-rules';
export {
  type DuplicationLag,
  duplicationLagOf,
  judgeDuplicationLag,
  type LagVerdict,
  type PartitionLag,
  summarizeDuplicationLag,
} from './confirmed-lag';
