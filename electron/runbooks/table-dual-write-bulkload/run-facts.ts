/** Step ids of table-dual-write-bulkload and names every step uses. */
import type { StepContext } from '../../runner/runbook-definition';
import { deploymentClusterName, lookUpProfile } from '../pegasus-steps/cluster-profile';
import type { TableDualWriteParams } from './params';

export type DualContext = StepContext<TableDualWriteParams>;

export const DUAL_STEP = {
  source: 'precheck-source',
  createTarget: 'create-target',
  asyncWrites: 'dual-write-async',
  backupSplit: 'backup-and-split',
  scenario: 'usage-scenario-bulk-load',
  startBulkLoad: 'start-bulk-load',
  waitBulkLoad: 'wait-bulk-load',
  scenarioBack: 'usage-scenario-normal',
  reconcile: 'reconcile',
  syncWrites: 'dual-write-sync',
  flipReads: 'flip-reads',
  stopSource: 'stop-source-writes',
} as const;

export function targetTableOf(params: TableDualWriteParams): string {
  return params.targetTable === '' ? params.table : params.targetTable;
}

export function bulkLoadClusterOf(ctx: DualContext): string {
  if (ctx.params.bulkLoadCluster !== '') return ctx.params.bulkLoadCluster;
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  return lookup.ok ? deploymentClusterName(lookup.profile) : 'source';
}

export function sourceFactsOf(ctx: DualContext): { appId: number; partitionCount: number } | null {
  const facts = ctx.results[DUAL_STEP.source] as { appId?: number; partitionCount?: number } | undefined;
  return typeof facts?.appId === 'number' && typeof facts.partitionCount === 'number'
    ? { appId: facts.appId, partitionCount: facts.partitionCount }
    : null;
}
