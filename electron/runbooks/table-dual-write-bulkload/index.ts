/**
 * Runbook `table-dual-write-bulkload`: moves a table with the application writing to both clusters,
 * a backup bulk-loaded behind those writes, and reconciliation passes before the read flip (the
 * website's table-migration notes; the Pinterest HBase -> TiDB migration in migration-practice.md).
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import { bulkLoadSteps } from '../table-steps/bulk-load-steps';
import { TABLE_DUAL_WRITE_PARAMS, type TableDualWriteParams, tableDualWriteSchema } from './params';
import { asyncWritesStep, backupSplitStep, createTargetStep, precheckSourceStep } from './prepare-steps';
import { flipReadsStep, reconcileStep, stopSourceStep, syncWritesStep } from './reconcile-steps';
import { bulkLoadClusterOf, DUAL_STEP, targetTableOf } from './run-facts';

export const tableDualWriteBulkloadRunbook: RunbookDefinition<TableDualWriteParams> = {
  id: 'table-dual-write-bulkload',
  title: 'Move a table with double writes and a bulk load behind them',
  summary:
    'No downtime and any partition count, for clients that cannot use MetaProxy: the application writes to both ' +
    'clusters, a backup is bulk-loaded into the target behind those writes (--ingest_behind), reconciliation passes ' +
    'repair the differences until the mismatch rate is under your threshold, then reads flip and the source stops ' +
    'receiving writes. Needs application changes and a reconciliation job; choose table-hot-migration when clients ' +
    'go through MetaProxy, table-cold-backup when a write stop is acceptable.',
  params: TABLE_DUAL_WRITE_PARAMS,
  schema: tableDualWriteSchema,
  steps(params) {
    return [
      precheckSourceStep,
      createTargetStep,
      asyncWritesStep,
      backupSplitStep,
      ...bulkLoadSteps<TableDualWriteParams>({
        ids: {
          scenario: DUAL_STEP.scenario,
          start: DUAL_STEP.startBulkLoad,
          wait: DUAL_STEP.waitBulkLoad,
          scenarioBack: DUAL_STEP.scenarioBack,
        },
        targetProfile: (ctx) => ctx.params.targetProfile,
        table: targetTableOf,
        cluster: bulkLoadClusterOf,
        provider: (p) => p.bulkLoadProvider,
        root: (p) => p.bulkLoadRoot,
        ingestBehind: true,
        waitMs: params.waitMinutes * 60_000,
      }),
      reconcileStep,
      syncWritesStep,
      flipReadsStep,
      stopSourceStep,
    ];
  },
};
