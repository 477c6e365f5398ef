/**
 * The MetaProxy switch (issue 7 item 6): read a table's entry, check it names the expected cluster,
 * validate and build the new entry byte for byte, write it with a compare-and-set, keep the previous
 * value for rollback, audit both values. Used by `mdesk metaproxy *` and the hot-migration runbook.
 */
export {
  type ApplyOptions,
  applyMetaProxyPlan,
  MetaProxyWriteError,
  type MetaProxyWriteResult,
} from './apply-plan';
export { buildMetaProxyPayload } from './entry-payload';
export {
  describeRoute,
  describeSnapshot,
  type MetaProxyEntryBytes,
  type MetaProxyEntrySnapshot,
  type MetaProxyZk,
  readMetaProxyEntry,
} from './entry-snapshot';
export { metaProxyEntryTarget } from './entry-target';
export {
  clusterNameProblem,
  type MetaProxyEntryValue,
  metaAddrsProblems,
  newEntryProblems,
  normalizeMetaAddrsInput,
  storedEntryProblems,
} from './entry-validation';
export { findLastMetaProxyWrite } from './last-write-lookup';
export { listMetaProxyRoutes, type MetaProxyRouteList, type MetaProxyRouteRow } from './list-routes';
export { rollbackMetaProxyEntry, switchMetaProxyEntry } from './plan-and-apply';
export { type MetaProxyRollbackInput, planMetaProxyRollback } from './plan-rollback';
export { type MetaProxySwitchInput, planMetaProxySwitch } from './plan-switch';
export {
  isInputRefusal,
  type MetaProxyRefusal,
  type MetaProxyRefusalCode,
  type MetaProxyWriteKind,
} from './refusal';
export { type MetaProxyRollbackRecord, rollbackRecord } from './rollback-record';
export { auditRefusal, METAPROXY_ACTIONS, type MetaProxyAudit } from './write-audit';
export type { MetaProxyLastWrite, MetaProxyPlan, PlanOutcome } from './write-plan';
