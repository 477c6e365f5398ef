/** The parameters of `duplication`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { booleanParam, integerParam, selectParam } from '../param-schemas';
import { profileParam } from '../pegasus-steps/params';
import { optionalClusterNameParam, tableNameParam } from '../table-steps/params';

export const DUPLICATION_RUNBOOK_ACTIONS = [
  'add',
  'list',
  'pause',
  'start',
  'remove',
  'set-fail-mode',
] as const;
export type DuplicationRunbookAction = (typeof DUPLICATION_RUNBOOK_ACTIONS)[number];

export const duplicationSchema = z
  .object({
    profile: profileParam(),
    table: tableNameParam(),
    action: selectParam(DUPLICATION_RUNBOOK_ACTIONS, 'list'),
    remoteCluster: optionalClusterNameParam(),
    checkpoint: booleanParam(true),
    dupid: integerParam(0, 2 ** 31 - 1, 0),
    failMode: selectParam(['slow', 'skip'] as const, 'slow'),
  })
  .superRefine((params, ctx) => {
    if (params.action === 'add' && params.remoteCluster === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['remoteCluster'],
        message: 'add needs the remote cluster, as [pegasus.clusters] names it',
      });
    }
    if (params.action !== 'add' && params.action !== 'list' && params.dupid === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['dupid'],
        message: `${params.action} needs the duplication id (dupid: run the list action to see them)`,
      });
    }
  });

export type DuplicationParams = z.infer<typeof duplicationSchema>;

export const DUPLICATION_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Source cluster',
    help: 'The cluster profile of the table that duplicates (its ZooKeeper for the duplication nodes, its shell for the commands).',
    input: 'pegasus-profile',
    required: true,
  },
  { name: 'table', label: 'Table', help: 'The source table.', input: 'text', required: true },
  {
    name: 'action',
    label: 'Action',
    help: 'add, list (status and progress), pause (only from DS_LOG), start (only from DS_PAUSE), remove (final), set-fail-mode.',
    input: 'select',
    required: true,
    default: 'list',
    options: DUPLICATION_RUNBOOK_ACTIONS,
  },
  {
    name: 'remoteCluster',
    label: 'Remote cluster (add)',
    help: 'The follower cluster, as [pegasus.clusters] of the shell and of the source meta servers name it.',
    input: 'text',
    required: false,
    default: '',
  },
  {
    name: 'checkpoint',
    label: 'Full copy first (add)',
    help: 'On: duplicate a checkpoint first (the follower gets the existing data, then the log). Off: only new writes (incremental; the follower must already hold the data).',
    input: 'boolean',
    required: false,
    default: true,
  },
  {
    name: 'dupid',
    label: 'Duplication id',
    help: 'For pause, start, remove and set-fail-mode: the dupid the list action shows.',
    input: 'number',
    required: false,
    default: 0,
  },
  {
    name: 'failMode',
    label: 'Fail mode (set-fail-mode)',
    help: 'slow retries failed mutations (default); skip drops them: data loss on the follower.',
    input: 'select',
    required: false,
    default: 'slow',
    options: ['slow', 'skip'],
  },
];
