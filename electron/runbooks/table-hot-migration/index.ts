/**
 * Runbook `table-hot-migration`: moves a table to another cluster online, the way admin-cli's
 * `table-migrator` and the website's "Online (Hot) Migration" do (reference §3.5): duplication with a
 * checkpoint, a short write stop, then the MetaProxy entry switched so clients follow.
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import {
  confirmDenyStep,
  confirmSwitchStep,
  denyWritesStep,
  reconfigStep,
  switchStep,
} from './cutover-steps';
import { precheckDataVersionStep } from './data-version-step';
import { dupAddStep, lagWaitStep } from './dup-steps';
import { TABLE_HOT_MIGRATION_PARAMS, type TableHotMigrationParams, tableHotMigrationSchema } from './params';
import {
  checkClientsStep,
  precheckMetaProxyStep,
  precheckSourceStep,
  precheckTargetConfigStep,
} from './prechecks';
import { HOT_STEP } from './run-facts';
import { verifyStep } from './verify-cutover-step';

export const tableHotMigrationRunbook: RunbookDefinition<TableHotMigrationParams> = {
  id: 'table-hot-migration',
  title: 'Move a table online (duplication + MetaProxy switch)',
  summary:
    'Zero downtime for reads and a write stop of seconds to minutes: duplicates the table to the target with a ' +
    'checkpoint, waits until the target has nearly caught up, denies writes on the source, waits until every ' +
    'mutation is shipped, switches the MetaProxy entry (compare-and-set, rollback kept) and sends clients over with ' +
    'reconfig*all. Choose it when clients (Java, Go) reach the cluster through MetaProxy and writes must go on; ' +
    'the partition count may differ on the target. Not for C++/Python clients or tables with non-idempotent ' +
    'writes (incr, check_and_set): use table-cold-backup or table-copy-data with a write stop instead.',
  params: TABLE_HOT_MIGRATION_PARAMS,
  schema: tableHotMigrationSchema,
  steps(params) {
    return [
      precheckSourceStep,
      precheckTargetConfigStep,
      precheckMetaProxyStep,
      precheckDataVersionStep,
      checkClientsStep,
      dupAddStep,
      lagWaitStep(params, {
        id: HOT_STEP.waitPending,
        title: 'Wait until the target has nearly caught up',
        why:
          'Writes are denied only for the time the last mutations need to ship: with a big backlog the write stop would ' +
          'last minutes or hours. The threshold is per partition: the mutations its primary has not shipped yet ' +
          '(replica HTTP /replica/duplication, not_duplicated_mutations_num, asked of every replica server since only ' +
          'primaries answer). When not every primary answers, the confirmed-decree gap is used instead (meta HTTP on 2.6+, ' +
          'else the ZooKeeper progress nodes), and the result says which.',
        maxLag: (p) => p.pendingThreshold,
      }),
      confirmDenyStep,
      denyWritesStep,
      lagWaitStep(params, {
        id: HOT_STEP.waitShipped,
        title: 'Wait until every mutation is shipped',
        why:
          'The switch must not happen while the target still lacks writes: clients would read stale data, and mutations ' +
          'still in the source log would land after newer ones. admin-cli table-migrator polls the dup_shipped_ops@<app_id> ' +
          'rate until 0; that is a perf counter, not in the replica HTTP API (on 2.6 the /metrics counter ' +
          'dup_shipped_successful_requests is a running total), so this step waits for not_duplicated_mutations_num = 0 ' +
          'on every primary (replica HTTP) instead, else for every partition confirmed up to its last committed decree.',
        maxLag: () => 0,
      }),
      confirmSwitchStep,
      switchStep,
      reconfigStep,
      verifyStep,
    ];
  },
};
