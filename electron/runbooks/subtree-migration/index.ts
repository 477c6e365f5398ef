/**
 * Runbook `subtree-migration` (issue 6 item 5): any ZooKeeper subtree to another place, the AtlasDB
 * way: setup (prechecks; an empty target, or mirror mode behind a gate), migrate (the copy engine,
 * resumable from its checkpoints), validate (compare, reconcile, compare), report. No manual steps:
 * it runs headless with `mdesk run subtree-migration ... --yes`.
 */
import type { RunbookDefinition } from '../../runner/runbook-definition';
import { confirmMirrorStep, migrateStep, planStep, validateStep } from './engine-steps';
import { SUBTREE_MIGRATION_PARAMS, type SubtreeMigrationParams, subtreeMigrationSchema } from './params';
import { precheckSource, precheckTarget, precheckTargetEmpty, precheckTargetWritable } from './prechecks';
import { reportStep } from './report-step';

export const subtreeMigrationRunbook: RunbookDefinition<SubtreeMigrationParams> = {
  id: 'subtree-migration',
  title: 'Migrate a ZooKeeper subtree',
  summary:
    'Copies one ZooKeeper subtree to another path or ensemble, then proves the copy equal: prechecks, a ' +
    'dry-run plan, the copy (resumable after a pause or a crash), and validation that compares every ' +
    "node's data and ACL and copies again what changed meanwhile. For any application's tree; for a " +
    "Pegasus cluster's metadata choose the ZooKeeper-migration runbooks, which also stop and restart the meta servers.",
  params: SUBTREE_MIGRATION_PARAMS,
  schema: subtreeMigrationSchema,
  steps(params) {
    return [
      precheckSource,
      precheckTarget,
      precheckTargetWritable,
      precheckTargetEmpty,
      planStep,
      ...(params.mode === 'mirror' ? [confirmMirrorStep] : []),
      migrateStep,
      validateStep,
      reportStep,
    ];
  },
};
