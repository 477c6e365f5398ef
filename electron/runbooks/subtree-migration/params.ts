/** The parameters of `subtree-migration`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { maxRateField } from '../param-fields';
import {
  booleanParam,
  connectionParam,
  integerParam,
  optionalRateParam,
  selectParam,
  zkPathParam,
} from '../param-schemas';

export const SUBTREE_MODES = ['create-only', 'mirror'] as const;
export type SubtreeMode = (typeof SUBTREE_MODES)[number];

export const subtreeMigrationSchema = z.object({
  source: connectionParam(),
  sourcePath: zkPathParam(),
  target: connectionParam(),
  targetPath: zkPathParam(),
  mode: selectParam(SUBTREE_MODES, 'create-only'),
  acl: booleanParam(true),
  passLimit: integerParam(0, 10, 2),
  maxNodesPerSecond: optionalRateParam(),
});

export type SubtreeMigrationParams = z.infer<typeof subtreeMigrationSchema>;

export const SUBTREE_MIGRATION_PARAMS: readonly RunbookParam[] = [
  {
    name: 'source',
    label: 'Source connection',
    help: 'The ensemble to copy from (a saved connection; the CLI also takes its name or zk://host:port).',
    input: 'connection',
    required: true,
  },
  {
    name: 'sourcePath',
    label: 'Source path',
    help: 'The subtree to migrate, e.g. /apps/service. It must exist.',
    input: 'zk-path',
    required: true,
  },
  {
    name: 'target',
    label: 'Target connection',
    help: 'The ensemble to copy to. It must be switched to read-write.',
    input: 'connection',
    required: true,
  },
  {
    name: 'targetPath',
    label: 'Target path',
    help: 'Where the subtree goes. Missing parents are created. In create-only mode it must be empty or absent.',
    input: 'zk-path',
    required: true,
  },
  {
    name: 'mode',
    label: 'Mode',
    help: 'create-only: the target path must be empty. mirror: make the target equal to the source, deleting what the source lacks (needs a typed confirmation).',
    input: 'select',
    required: false,
    default: 'create-only',
    options: SUBTREE_MODES,
  },
  {
    name: 'acl',
    label: 'Copy ACLs',
    help: "Copy each node's ACL (default). Off: nodes get the target's default ACL (world:anyone).",
    input: 'boolean',
    required: false,
    default: true,
  },
  {
    name: 'passLimit',
    label: 'Reconcile passes',
    help: 'How many times validate may copy the differences again before it reports them as a failure (0-10).',
    input: 'number',
    required: false,
    default: 2,
  },
  maxRateField(),
];
