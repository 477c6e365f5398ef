/** The parameters of `zk-migration-recovery`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { booleanParam, connectionParam, integerParam } from '../param-schemas';
import { optionalTextParam, optionalZkPathParam, profileParam } from '../pegasus-steps/params';

export const zkMigrationRecoverySchema = z.object({
  profile: profileParam(),
  target: connectionParam(),
  targetRoot: optionalZkPathParam(),
  configSyncIntervalMs: integerParam(0, 600_000, 30_000),
  recoverWaitSeconds: integerParam(1, 3600, 100),
  skipBadNodes: booleanParam(false),
  skipLostPartitions: booleanParam(false),
  workDir: optionalTextParam().refine(
    (value) => value === '' || value.startsWith('/'),
    'give an absolute directory (starting with /), or leave it empty',
  ),
});

export type ZkMigrationRecoveryParams = z.infer<typeof zkMigrationRecoverySchema>;

export const ZK_MIGRATION_RECOVERY_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Cluster',
    help: 'The Pegasus cluster profile: its meta servers, its shell if one is configured, and the cluster root (and the old ZooKeeper, when it still answers).',
    input: 'pegasus-profile',
    required: true,
  },
  {
    name: 'target',
    label: 'New ZooKeeper',
    help: 'The ensemble the metadata is rebuilt into (a saved connection). Its hosts become [zookeeper] hosts_list.',
    input: 'connection',
    required: true,
  },
  {
    name: 'targetRoot',
    label: 'New cluster root',
    help: 'Where the meta rebuilds the cluster root on the new ensemble; it must not hold an apps node. Empty: the same path as now.',
    input: 'zk-path',
    required: false,
    default: '',
  },
  {
    name: 'configSyncIntervalMs',
    label: 'config_sync_interval_ms',
    help: "The replica servers' [replication] config_sync_interval_ms: how long to wait after the metas stop so every replica notices (default 30000).",
    input: 'number',
    required: false,
    default: 30_000,
  },
  {
    name: 'recoverWaitSeconds',
    label: 'recover -w (seconds)',
    help: 'How long the shell waits for the recovery to answer (the shell default is 100).',
    input: 'number',
    required: false,
    default: 100,
  },
  {
    name: 'skipBadNodes',
    label: 'recover -b (skip bad nodes)',
    help: 'Go on when a listed replica server cannot be reached: its replicas are lost. Off by default.',
    input: 'boolean',
    required: false,
    default: false,
  },
  {
    name: 'skipLostPartitions',
    label: 'recover -l (skip lost partitions)',
    help: 'Recreate partitions no replica server has, empty: their data is lost. Off by default.',
    input: 'boolean',
    required: false,
    default: false,
  },
  {
    name: 'workDir',
    label: 'Work directory',
    help: 'Where the table list, node list and recover node list files are written on this machine (where the shell runs). Empty: a folder in the temp directory named after the run.',
    input: 'text',
    required: false,
    default: '',
  },
];
