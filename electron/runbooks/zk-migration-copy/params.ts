/** The parameters of `zk-migration-copy`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { maxRateField } from '../param-fields';
import { booleanParam, connectionParam, optionalRateParam, selectParam } from '../param-schemas';
import { optionalZkPathParam, profileParam } from '../pegasus-steps/params';

export const ZK_COPY_MODES = ['create-only', 'overwrite', 'mirror'] as const;

export const zkMigrationCopySchema = z.object({
  profile: profileParam(),
  target: connectionParam(),
  targetRoot: optionalZkPathParam(),
  acceptNonEmpty: booleanParam(false),
  mode: selectParam(ZK_COPY_MODES, 'create-only'),
  maxNodesPerSecond: optionalRateParam(),
});

export type ZkMigrationCopyParams = z.infer<typeof zkMigrationCopySchema>;

export const ZK_MIGRATION_COPY_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Cluster',
    help: 'The Pegasus cluster profile: its ZooKeeper connection and cluster root (the source), its meta servers, and its shell if one is configured.',
    input: 'pegasus-profile',
    required: true,
  },
  {
    name: 'target',
    label: 'Target ZooKeeper',
    help: 'The new ensemble (a saved connection, switched to read-write). The meta servers will use its hosts as [zookeeper] hosts_list.',
    input: 'connection',
    required: true,
  },
  {
    name: 'targetRoot',
    label: 'Target cluster root',
    help: 'Where the cluster root goes on the new ensemble. Empty: the same path as now (then only hosts_list changes in the meta config).',
    input: 'zk-path',
    required: false,
    default: '',
  },
  {
    name: 'acceptNonEmpty',
    label: 'Accept a non-empty target root',
    help: 'Off (default): the target root must be empty or absent. On: go ahead when it holds nodes (the plan shows what differs; validation still requires an exact match).',
    input: 'boolean',
    required: false,
    default: false,
  },
  {
    name: 'mode',
    label: 'Copy mode',
    help: 'create-only (default): never touch existing target nodes. overwrite: rewrite target nodes that differ. mirror: also delete target nodes the source lacks (typed confirmation).',
    input: 'select',
    required: false,
    default: 'create-only',
    options: ZK_COPY_MODES,
  },
  maxRateField(),
];
