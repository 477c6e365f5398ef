/**
 * `mdesk metaproxy list zk://HOST:PORT/ROOT [--json]`: every table routed under a MetaProxy root,
 * the cluster and meta servers it routes to, and whether meta-proxy can route it properly.
 */
import { listMetaProxyRoutes, type MetaProxyRouteRow } from '../../pegasus/meta-proxy-switch';
import { booleanFlag, type CliCommand, EXIT, UsageError } from '../command';
import { metaProxyRoot, ROOT_USAGE, withSession } from './metaproxy-shared';

function textTable(rows: readonly MetaProxyRouteRow[]): string {
  if (rows.length === 0) return 'No MetaProxy entries under this root.\n';
  const header = ['TABLE', 'CLUSTER', 'META SERVERS', 'OK'];
  const cells = rows.map((row) => [
    row.table,
    row.clusterName ?? '-',
    row.metaAddrs ?? '-',
    row.valid ? 'yes' : `NO: ${row.problem}`,
  ]);
  const widths = header.map((title, column) =>
    column === header.length - 1 ? 0 : Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  );
  const format = (line: string[]) =>
    line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  const invalid = rows.filter((row) => !row.valid).length;
  return `${[format(header), ...cells.map(format)].join('\n')}\n\n${rows.length} tables, ${invalid} with a problem\n`;
}

export const metaproxyListCommand: CliCommand = {
  words: ['metaproxy', 'list'],
  summary: 'list the tables under a MetaProxy root and the cluster each one routes to',
  usage: ROOT_USAGE,
  details: [
    "ROOT is meta-proxy's zookeeper.root (also @saved-name:/ROOT). --json prints one JSON array of",
    '{table, clusterName, metaAddrs, valid, problem}; metaAddrs is the meta_addrs string as stored, and',
    'clusterName/metaAddrs are null for an entry that does not decode (meta-proxy crashes on it).',
    'Credentials: MDESK_ZK_AUTH=digest:user:password, or the saved connection (named, or to the same servers).',
    '',
    'Example:',
    '  mdesk metaproxy list zk://10.0.0.9:2181/pegasus-cluster --json',
    '',
    'Exit codes: 0 the root was read (entries with problems are listed as invalid), 1 it could not be',
    'read, 2 bad arguments.',
  ].join('\n'),
  flags: [
    {
      name: 'json',
      kind: 'boolean',
      help: 'print one JSON array of {table, clusterName, metaAddrs, valid, problem}',
    },
  ],
  async run(context, args) {
    if (args.positionals.length !== 1) throw new UsageError(`Give exactly one root: ${ROOT_USAGE}`);
    const ref = metaProxyRoot(context, args.positionals[0] as string, 'metaproxy list');
    let listed: Awaited<ReturnType<typeof listMetaProxyRoutes>>;
    try {
      listed = await withSession(context, ref, 'read', (session) => listMetaProxyRoutes(session, ref.path));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      context.io.stderr(
        `mdesk metaproxy list: cannot read ${ref.path} on ${ref.connectString}: ${
          error instanceof Error ? error.message : String(error)
        }\n`,
      );
      return EXIT.failed;
    }
    for (const warning of listed.warnings) {
      context.io.stderr(`warning: ${warning.path}: ${warning.message}\n`);
    }
    context.io.stdout(
      booleanFlag(args, 'json') ? `${JSON.stringify(listed.rows)}\n` : textTable(listed.rows),
    );
    return EXIT.ok;
  },
};
