/** Step ids of table-hot-migration, and what later steps read from earlier ones. */
import type { StepContext } from '../../runner/runbook-definition';
import type { TableHotMigrationParams } from './params';

export type HotContext = StepContext<TableHotMigrationParams>;

export const HOT_STEP = {
  source: 'precheck-source',
  targetConfig: 'precheck-target-config',
  metaProxy: 'precheck-metaproxy',
  dataVersion: 'precheck-data-version',
  clients: 'check-clients',
  dupAdd: 'dup-add',
  waitPending: 'wait-pending',
  confirmDeny: 'confirm-deny-writes',
  denyWrites: 'deny-writes',
  waitShipped: 'wait-shipped',
  confirmSwitch: 'confirm-switch',
  switch: 'switch-metaproxy',
  reconfig: 'reconfig-source',
  verify: 'verify-cutover',
} as const;

export const DENY_ENV = 'replica.deny_client_request';

/** The dupid the add step found or created. */
export function dupidOf(ctx: HotContext): number | null {
  const added = ctx.results[HOT_STEP.dupAdd] as { dupid?: unknown } | undefined;
  return typeof added?.dupid === 'number' ? added.dupid : null;
}

/** The MetaProxy entry as the precheck found it (the source route), for a rollback without a record. */
export function precheckEntryOf(
  ctx: HotContext,
): { path: string; clusterName: string; metaAddrs: string } | null {
  const found = ctx.results[HOT_STEP.metaProxy] as
    | { path?: unknown; clusterName?: unknown; metaAddrs?: unknown }
    | undefined;
  if (
    typeof found?.path !== 'string' ||
    typeof found.clusterName !== 'string' ||
    typeof found.metaAddrs !== 'string'
  )
    return null;
  return { path: found.path, clusterName: found.clusterName, metaAddrs: found.metaAddrs };
}

export function waitTimeoutMs(ctx: { params: TableHotMigrationParams }): number {
  return ctx.params.waitMinutes * 60_000;
}
