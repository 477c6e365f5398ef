/**
 * Runbook `table-cold-backup`: moves a table through a cold backup (reference §1.8, §6.3; the
 * website's table-migration "cold backup" method): rate limit, backup, then restore or bulk load.
 */
import type { RunbookDefinition, StepDefinition } from '../../runner/runbook-definition';
import { backupStep, precheckSourceStep, rateLimitStep, waitBackupStep } from './backup-steps';
import { coldBulkLoadSteps, offlineSplitStep, restoreStep, verifyRestoreStep } from './load-steps';
import { TABLE_COLD_BACKUP_PARAMS, type TableColdBackupParams, tableColdBackupSchema } from './params';

export const tableColdBackupRunbook: RunbookDefinition<TableColdBackupParams> = {
  id: 'table-cold-backup',
  title: 'Move a table through a cold backup (restore or bulk load)',
  summary:
    'Backs the table up to a block service (HDFS) with admin-cli, then restores it on the target (same partition ' +
    'count) or bulk-loads it after an offline split (any partition count). Fast for large tables and light on the ' +
    'source, but writes after the backup are not carried over: stop writes for the whole run (downtime) or follow ' +
    'with duplication. Choose it for big tables when a write stop is acceptable; table-dual-write-bulkload avoids the ' +
    'stop, table-hot-migration avoids it through MetaProxy.',
  params: TABLE_COLD_BACKUP_PARAMS,
  schema: tableColdBackupSchema,
  steps(params) {
    const common: StepDefinition<TableColdBackupParams>[] = [
      precheckSourceStep,
      rateLimitStep,
      backupStep,
      waitBackupStep(params),
    ];
    if (params.method === 'restore') return [...common, restoreStep, verifyRestoreStep(params)];
    return [...common, offlineSplitStep, ...coldBulkLoadSteps(params)];
  },
};
