/**
 * Every runbook Migration Desk ships, by id (the CLI's RUNBOOK argument, the catalogue's order).
 * Adding one: a folder here exporting a RunbookDefinition, and a line below.
 */
import type { RunbookDefinition } from '../runner/runbook-definition';
import type { JsonObject } from '../store/types';
import { duplicationRunbook } from './duplication';
import { subtreeMigrationRunbook } from './subtree-migration';
import { tableColdBackupRunbook } from './table-cold-backup';
import { tableCopyDataRunbook } from './table-copy-data';
import { tableDualWriteBulkloadRunbook } from './table-dual-write-bulkload';
import { tableHotMigrationRunbook } from './table-hot-migration';
import { zkMigrationCopyRunbook } from './zk-migration-copy';
import { zkMigrationRecoveryRunbook } from './zk-migration-recovery';

/** Runbooks are typed by their own parameters; the registry holds them all alike. */
function entry<P extends JsonObject>(runbook: RunbookDefinition<P>): RunbookDefinition {
  return runbook as unknown as RunbookDefinition;
}

export const RUNBOOKS: readonly RunbookDefinition[] = [
  entry(subtreeMigrationRunbook),
  entry(zkMigrationCopyRunbook),
  entry(zkMigrationRecoveryRunbook),
  entry(tableCopyDataRunbook),
  entry(tableColdBackupRunbook),
  entry(tableDualWriteBulkloadRunbook),
  entry(tableHotMigrationRunbook),
  entry(duplicationRunbook),
];

export function findRunbook(id: string): RunbookDefinition | undefined {
  return RUNBOOKS.find((runbook) => runbook.id === id);
}
