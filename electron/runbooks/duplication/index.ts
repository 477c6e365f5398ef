/**
 * Runbook `duplication`: add, list, pause, start, remove a table's duplication or set its fail mode
 * (reference §1.7, §6.2, §6.3), each checked against the meta's state rules before it is sent, and
 * the status and progress shown afterwards from the shell, ZooKeeper and the meta HTTP API.
 */
import type { RunbookDefinition, StepDefinition } from '../../runner/runbook-definition';
import { applyActionStep } from './apply-step';
import { DUPLICATION_PARAMS, type DuplicationParams, duplicationSchema } from './params';
import { confirmActionStep, precheckConfigStep, precheckDuplicationStep } from './prechecks';
import { statusStep } from './status-step';

export const duplicationRunbook: RunbookDefinition<DuplicationParams> = {
  id: 'duplication',
  title: 'Manage a table duplication',
  summary:
    'One duplication operation, chosen by the action parameter: add (with a full checkpoint copy, or incremental for a ' +
    'follower that already holds the data), list with status and progress, pause (only from DS_LOG), start (only from ' +
    'DS_PAUSE), remove (final), or set the fail mode (skip loses data). Choose it to keep a follower cluster in sync with ' +
    'writes going on (cross-cluster backup, or the first half of a migration); for the whole online move with the ' +
    'MetaProxy cut-over, use table-hot-migration.',
  params: DUPLICATION_PARAMS,
  schema: duplicationSchema,
  steps(params) {
    const steps: StepDefinition<DuplicationParams>[] = [precheckDuplicationStep];
    if (params.action === 'add') steps.push(precheckConfigStep);
    if (params.action === 'remove' || (params.action === 'set-fail-mode' && params.failMode === 'skip')) {
      steps.push(confirmActionStep);
    }
    if (params.action !== 'list') steps.push(applyActionStep);
    steps.push(statusStep);
    return steps;
  },
};
