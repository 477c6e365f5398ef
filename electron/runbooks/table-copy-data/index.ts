/**
 * Runbook `table-copy-data`: copies a table to another cluster with the shell's copy_data (reference
 * §6.2; the website's table-migration "copy_data" method), with the target table created first and
 * the copy verified by counts.
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import { COPY_STEP, targetTableOf } from './copy-options';
import { copyStep } from './copy-step';
import { TABLE_COPY_DATA_PARAMS, type TableCopyDataParams, tableCopyDataSchema } from './params';
import { precheckSourceStep, precheckTargetClusterStep } from './prechecks';
import { targetTableStep } from './target-table-step';
import { verifyCountsStep } from './verify-step';

export const tableCopyDataRunbook: RunbookDefinition<TableCopyDataParams> = {
  id: 'table-copy-data',
  title: 'Copy a table to another cluster (copy_data)',
  summary:
    'Scans the source table and writes every row to an existing table on the target, with progress every second. ' +
    'Simple and needs no backup storage, but slow for big tables (a full scan and a write per row) and it copies a ' +
    'snapshot only: writes made during the copy may be missed, so stop writes (downtime) or follow with duplication. ' +
    'The target may have a different partition count. Choose it for small and medium tables; for large ones use ' +
    'table-cold-backup or table-dual-write-bulkload, and for no downtime table-hot-migration.',
  params: TABLE_COPY_DATA_PARAMS,
  schema: tableCopyDataSchema,
  steps(params) {
    return [
      precheckSourceStep,
      precheckTargetClusterStep,
      targetTableStep,
      {
        id: COPY_STEP.confirm,
        kind: 'gate',
        title: 'Go: write into the target table',
        why: params.noOverwrite
          ? 'copy_data writes every row into the target table, keeping rows that exist there (-n). Type the target table name to start.'
          : 'copy_data overwrites rows with the same keys on the target table. Type the target table name to start.',
        confirmText: (ctx) => targetTableOf(ctx.params),
      },
      copyStep,
      ...(params.verifyCounts ? [verifyCountsStep] : []),
    ];
  },
};
