/**
 * Runbook `zk-migration-copy`: a Pegasus cluster's metadata moves to another ZooKeeper ensemble by
 * copying the cluster root (the website's zkcopy route, reference §4 (b), with this project's copy
 * engine). Followers stop, the leader freezes at blind, the tree is copied and validated, the metas
 * restart on the new ensemble (leader first), the level comes back, and the old tree is exported and
 * deleted behind a typed confirmation. Everything is kept: duplications, backup policies, bulk load.
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import { cleanupOldTreeStep, confirmCleanupStep } from './cleanup-steps';
import { updateHostsListStep } from './config-step';
import { confirmMirrorStep, copyStep, copyVerifyStep, planStep } from './copy-steps';
import {
  levelBackStep,
  restartFollowersStep,
  restartLeaderStep,
  setLevelBlindStep,
  stopFollowersStep,
  verifyLevelBlindStep,
} from './meta-steps';
import { ZK_MIGRATION_COPY_PARAMS, type ZkMigrationCopyParams, zkMigrationCopySchema } from './params';
import {
  precheckClusterRoot,
  precheckMetaLock,
  precheckSource,
  precheckSourceWritable,
  precheckTarget,
  precheckTargetEmpty,
  precheckTargetWritable,
} from './prechecks';

export const zkMigrationCopyRunbook: RunbookDefinition<ZkMigrationCopyParams> = {
  id: 'zk-migration-copy',
  title: 'Move a Pegasus cluster to another ZooKeeper (copy)',
  summary:
    'Copies the cluster root to the new ensemble while the meta leader is frozen at blind and the followers ' +
    'are stopped, validates the copy node by node, restarts the metas on the new ensemble and deletes the ' +
    'old tree after an export. Keeps everything (tables, duplications, backup policies, bulk-load state). ' +
    'Choose it whenever the old ensemble still answers; the meta-recovery runbook is for when it does not.',
  params: ZK_MIGRATION_COPY_PARAMS,
  schema: zkMigrationCopySchema,
  steps(params) {
    return [
      precheckSource,
      precheckClusterRoot,
      precheckMetaLock,
      precheckTarget,
      precheckTargetWritable,
      precheckTargetEmpty,
      precheckSourceWritable,
      stopFollowersStep,
      setLevelBlindStep,
      verifyLevelBlindStep,
      ...(params.mode === 'mirror' ? [confirmMirrorStep] : []),
      planStep,
      copyStep,
      copyVerifyStep,
      updateHostsListStep,
      restartLeaderStep,
      restartFollowersStep,
      levelBackStep,
      confirmCleanupStep,
      cleanupOldTreeStep,
    ];
  },
};
