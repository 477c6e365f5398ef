/**
 * Runbook `zk-migration-recovery`: a Pegasus cluster's metadata is rebuilt on another ZooKeeper
 * ensemble from what the replica servers hold (the website's meta-recovery route, and
 * `pegasus_migrate_zookeeper.sh` with its faults fixed, reference §4 and §8). For when the old
 * ensemble is lost or cannot be copied: only the tables come back.
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import { backupStep } from './backup-step';
import {
  configChangesStep,
  resetFlagStep,
  restartAllMetasStep,
  startOneMetaStep,
  stopMetasStep,
  waitConfigSyncStep,
} from './meta-steps';
import { nodeListStep } from './node-list-step';
import { waitNodesStep } from './nodes-wait-step';
import {
  ZK_MIGRATION_RECOVERY_PARAMS,
  type ZkMigrationRecoveryParams,
  zkMigrationRecoverySchema,
} from './params';
import { precheckProfileStep, precheckTargetStep, warnNotRecoveredStep } from './prechecks';
import { recoverStep } from './recover-step';
import { verifyTablesStep } from './tables-verify-step';

export const zkMigrationRecoveryRunbook: RunbookDefinition<ZkMigrationRecoveryParams> = {
  id: 'zk-migration-recovery',
  title: 'Move a Pegasus cluster to another ZooKeeper (meta recovery)',
  summary:
    'Rebuilds the cluster root on a new ensemble from the replica servers: backs up the table and node ' +
    'lists, stops the metas, starts one in recovery mode on the new ensemble, runs recover, waits until the ' +
    'replica servers match the backup and checks the tables. Duplications, backup policies, bulk-load state ' +
    'and Ranger policies are NOT recovered: choose zk-migration-copy whenever the old ensemble still answers.',
  params: ZK_MIGRATION_RECOVERY_PARAMS,
  schema: zkMigrationRecoverySchema,
  steps(params) {
    return [
      warnNotRecoveredStep,
      precheckProfileStep,
      precheckTargetStep,
      backupStep,
      nodeListStep,
      stopMetasStep,
      waitConfigSyncStep(params),
      configChangesStep,
      startOneMetaStep,
      recoverStep,
      waitNodesStep,
      resetFlagStep,
      restartAllMetasStep,
      verifyTablesStep,
    ];
  },
};
