/**
 * `mdesk metaproxy switch ROOT TABLE --cluster NAME --metas H:P,H:P --expect-cluster OLD [--yes]`
 *
 * The cut-over of a hot table migration (reference §3.5 step 6): point TABLE's MetaProxy entry at
 * another cluster. Without --yes it shows what would change and writes nothing. With --yes it writes
 * with a compare-and-set on the version it read, records both values in the audit log, and prints the
 * rollback command for the change ticket.
 */
import { planMetaProxySwitch } from '../../pegasus/meta-proxy-switch';
import { booleanFlag, type CliCommand, UsageError } from '../command';
import {
  entryAuditTarget,
  entryFromFlags,
  executeMetaProxyPlan,
  metaProxyRoot,
  ROOT_USAGE,
  requiredFlag,
  rollbackCommand,
  withSession,
} from './metaproxy-shared';

export const metaproxySwitchCommand: CliCommand = {
  words: ['metaproxy', 'switch'],
  summary: "point a table's MetaProxy entry at another cluster (compare-and-set, audited)",
  usage: `${ROOT_USAGE} TABLE`,
  details: [
    "ROOT is meta-proxy's zookeeper.root (also @saved-name:/ROOT); the entry is ROOT/TABLE, holding",
    '{"cluster_name": "NAME", "meta_addrs": "H:P,H:P"} exactly as admin-cli\'s table-migrator writes it.',
    'The switch is refused when the entry does not route to --expect-cluster now, when the new entry is',
    'invalid (meta-proxy crashes on bad JSON and rejects fewer than two meta servers), or when the entry',
    'changes between the read and the write. Re-running a switch that already landed changes nothing.',
    'Credentials: MDESK_ZK_AUTH=digest:user:password, or the saved connection (named, or to the same servers).',
    '',
    'Examples:',
    '  mdesk metaproxy switch zk://10.0.0.9:2181/pegasus-cluster user_profile \\',
    '      --cluster c4srv-ad --metas 10.1.0.1:34601,10.1.0.2:34601 --expect-cluster c3srv-ad',
    '  (shows the change; add --yes to write it, --json for a JSON last line)',
    '',
    'Exit codes: 0 switched (or already switched), 1 refused because the entry is not as expected or',
    'the write failed (nothing written), 2 bad arguments, invalid new entry, or --yes missing.',
  ].join('\n'),
  flags: [
    {
      name: 'cluster',
      kind: 'string',
      value: 'NAME',
      help: 'the cluster to route TABLE to (as in [pegasus.clusters])',
    },
    { name: 'metas', kind: 'string', value: 'H:P,H:P', help: "that cluster's meta servers, at least two" },
    {
      name: 'expect-cluster',
      kind: 'string',
      value: 'OLD',
      help: 'the cluster the entry must route to now (the migration source)',
    },
    { name: 'yes', kind: 'boolean', help: 'write the change (without it, only show it)' },
    { name: 'json', kind: 'boolean', help: 'print a JSON object as the last line of stdout' },
  ],
  async run(context, args) {
    if (args.positionals.length !== 2) throw new UsageError(`Give ${ROOT_USAGE} and TABLE`);
    const [rootText, table] = args.positionals as [string, string];
    const next = entryFromFlags(args, 'cluster', 'metas');
    const expectCluster = requiredFlag(args, 'expect-cluster', 'c3srv-ad').trim();
    const json = booleanFlag(args, 'json');
    const yes = booleanFlag(args, 'yes');
    const ref = metaProxyRoot(context, rootText, 'metaproxy switch');
    const target = entryAuditTarget(ref, table);

    return withSession(context, ref, yes ? 'write' : 'read', async (session) =>
      executeMetaProxyPlan(
        context,
        session,
        await planMetaProxySwitch(session, { root: ref.path, table, next, expectCluster }),
        {
          command: 'switch',
          json,
          yes,
          table,
          target,
          audit: () => ({ events: context.store.events, actor: context.actor, target }),
          intent: `switch ${table} to cluster '${next.clusterName}'`,
          describeChange: (result) =>
            `Switched ${table} from cluster '${result.previous.clusterName}' to '${result.current.clusterName}' (version ${result.previous.version} -> ${result.current.version}, audit event ${result.auditEventId}).\n` +
            `To roll back: ${rollbackCommand(rootText, table, result)}\n`,
        },
      ),
    );
  },
};
