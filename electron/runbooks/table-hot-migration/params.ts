/** The parameters of `table-hot-migration`, as the wizard asks for them and the CLI takes them. */
import { z } from 'zod';
import type { RunbookParam } from '../../runner/runbook-definition';
import { connectionParam, integerParam, zkPathParam } from '../param-schemas';
import { profileParam } from '../pegasus-steps/params';
import {
  clusterNameParam,
  metaListParam,
  optionalClusterNameParam,
  tableNameParam,
} from '../table-steps/params';

export const tableHotMigrationSchema = z.object({
  profile: profileParam(),
  table: tableNameParam(),
  targetCluster: clusterNameParam(),
  targetMetas: metaListParam(),
  sourceCluster: optionalClusterNameParam(),
  metaProxy: connectionParam(),
  metaProxyRoot: zkPathParam(),
  pendingThreshold: integerParam(0, 100_000_000, 100_000),
  waitMinutes: integerParam(1, 7 * 24 * 60, 240),
  verifySeconds: integerParam(1, 600, 30),
});

export type TableHotMigrationParams = z.infer<typeof tableHotMigrationSchema>;

export const TABLE_HOT_MIGRATION_PARAMS: readonly RunbookParam[] = [
  {
    name: 'profile',
    label: 'Source cluster',
    help: 'The Pegasus cluster profile of the source: its ZooKeeper (duplication progress), and its shell (dup add, table envs).',
    input: 'pegasus-profile',
    required: true,
  },
  { name: 'table', label: 'Table', help: 'The table to move.', input: 'text', required: true },
  {
    name: 'targetCluster',
    label: 'Target cluster name',
    help: "The target as the source's [pegasus.clusters] and [duplication-group] name it; also the cluster_name the MetaProxy entry gets.",
    input: 'text',
    required: true,
  },
  {
    name: 'targetMetas',
    label: 'Target meta servers',
    help: 'host:port,host:port of the target meta servers (at least two: meta-proxy rejects one).',
    input: 'text',
    required: true,
  },
  {
    name: 'sourceCluster',
    label: 'Source cluster name',
    help: "The cluster_name the MetaProxy entry must show now. Empty: the shell's cluster_info, else the profile's cluster name.",
    input: 'text',
    required: false,
    default: '',
  },
  {
    name: 'metaProxy',
    label: 'MetaProxy ZooKeeper',
    help: 'The ZooKeeper meta-proxy reads (a saved connection, switched to read-write for the switch).',
    input: 'connection',
    required: true,
  },
  {
    name: 'metaProxyRoot',
    label: 'MetaProxy root',
    help: "meta-proxy's zookeeper.root: the entry is <root>/<table>.",
    input: 'zk-path',
    required: true,
  },
  {
    name: 'pendingThreshold',
    label: 'Pending mutations threshold',
    help: 'Writes are denied only once every partition trails the target by at most this many decrees (admin-cli table-migrator: 100000).',
    input: 'number',
    required: false,
    default: 100_000,
  },
  {
    name: 'waitMinutes',
    label: 'Longest wait (minutes)',
    help: 'How long each wait step polls before it fails and asks what to do (default 240).',
    input: 'number',
    required: false,
    default: 240,
  },
  {
    name: 'verifySeconds',
    label: 'Traffic sample (seconds)',
    help: "The cut-over check reads the replica servers' request counters twice this far apart to get each cluster's QPS (default 30).",
    input: 'number',
    required: false,
    default: 30,
  },
];
