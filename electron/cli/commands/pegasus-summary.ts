/**
 * `mdesk pegasus summary zk://HOST:PORT[,HOST:PORT]/CLUSTER_ROOT [--json]` (or `@saved-name:/ROOT`)
 *
 * Reads a Pegasus cluster root and prints its summary: with --json exactly one JSON object on
 * stdout (electron/pegasus/cluster-summary.ts, issue 4 item 10), without it a short text report.
 * Exit 0 when the root could be read (decode problems are in `warnings`), 1 when it could not,
 * 2 for bad arguments. Digest credentials come from MDESK_ZK_AUTH, or from a saved connection:
 * the one named with @name, or for a zk:// URL the saved connection to the same servers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConnectString, type ZkHostPort } from '../../../shared/connect-string';
import { DATABASE_FILE } from '../../host/start-host';
import { loadClusterFast } from '../../pegasus/cluster-loader';
import { type ClusterSummary, summarizeCluster } from '../../pegasus/cluster-summary';
import { booleanFlag, type CliCommand, EXIT, UsageError } from '../command';
import type { CliContext } from '../context';
import { parseEndpointSpec } from '../endpoint-spec';

const DEFAULT_SESSION_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;

const hostKey = (hosts: readonly ZkHostPort[]) =>
  hosts
    .map((h) => `${h.host.toLowerCase()}:${h.port}`)
    .sort()
    .join(',');

/** The saved connection to exactly these servers (without a chroot), if the data folder has one. */
export function savedConnectionFor(context: CliContext, connectString: string): string | undefined {
  const wanted = parseConnectString(connectString);
  // No store yet means no saved connection: do not create one just to look.
  if (!wanted.ok || !existsSync(join(context.dataDir, DATABASE_FILE))) return undefined;
  const match = context.store.connections.list().find((profile) => {
    const parsed = parseConnectString(profile.connectString);
    return (
      parsed.ok &&
      !profile.chroot &&
      !parsed.value.chroot &&
      hostKey(parsed.value.hosts) === hostKey(wanted.value.hosts)
    );
  });
  return match?.id;
}

function textReport(summary: ClusterSummary, loadMs: number): string {
  const available = summary.tables.filter((t) => t.status === 'available');
  const unhealthy = available.filter((t) => t.unhealthy > 0);
  const lines = [
    `cluster root   ${summary.clusterRoot}`,
    `meta leader    ${summary.metaLeader ?? '(no meta server holds the lock)'}`,
    `meta servers   ${summary.metaCandidates.join(', ') || '-'}`,
    `tables         ${available.length} available, ${summary.tables.length - available.length} other, ${unhealthy.length} unhealthy`,
    `replica nodes  ${summary.nodes.length}`,
    `duplications   ${summary.tables.reduce((sum, t) => sum + t.duplications.length, 0)}`,
    `warnings       ${summary.warnings.length}`,
    `read in        ${Math.round(loadMs)} ms`,
  ];
  for (const table of unhealthy) {
    lines.push(
      `  unhealthy: ${table.name ?? `app ${table.appId}`} (${table.appId}): ${table.unhealthy}/${table.partitionCount} unhealthy, ${table.writeUnhealthy} write-unhealthy, ${table.readUnhealthy} read-unhealthy`,
    );
  }
  for (const warning of summary.warnings.slice(0, 20)) lines.push(`  warning: ${warning}`);
  if (summary.warnings.length > 20)
    lines.push(`  ... ${summary.warnings.length - 20} more warnings (see --json)`);
  return `${lines.join('\n')}\n`;
}

export const pegasusSummaryCommand: CliCommand = {
  words: ['pegasus', 'summary'],
  summary: 'read a Pegasus cluster root: meta leader, tables and their health, placement, warnings',
  usage: 'zk://HOST:PORT[,HOST:PORT]/CLUSTER_ROOT',
  details:
    'Also takes @saved-name:/CLUSTER_ROOT. Credentials: MDESK_ZK_AUTH=digest:user:password, or the saved connection ' +
    '(named, or the one to the same servers).\nExit codes: 0 the root was read (decode problems are listed in warnings), ' +
    '1 it could not be read, 2 bad arguments.',
  flags: [
    {
      name: 'json',
      kind: 'boolean',
      help: 'print exactly one JSON object (clusterRoot, metaLeader, ... warnings)',
    },
  ],
  async run(context, args) {
    if (args.positionals.length !== 1)
      throw new UsageError('Give exactly one cluster: zk://HOST:PORT/CLUSTER_ROOT');
    const ref = context.resolveEndpoint(parseEndpointSpec(args.positionals[0] as string, 'CLUSTER'));
    // A zk:// URL borrows the credential of a saved connection to the same servers, unless the env gives one.
    const borrowed =
      !ref.connectionId && !context.envCredential
        ? savedConnectionFor(context, ref.connectString)
        : undefined;
    const credentialRef = borrowed ? { ...ref, connectionId: borrowed } : ref;
    const digestAuth = context.factory.credentials(credentialRef);
    if (borrowed && digestAuth.length > 0) {
      const name = context.store.connections.get(borrowed)?.name;
      context.io.stderr(`mdesk pegasus summary: using the credential of saved connection '${name}'\n`);
    }
    // @saved through its SSH jump host, when it has one (refused here if its host key is not trusted).
    const connectString = await context.connectStringFor(ref);
    let loaded: Awaited<ReturnType<typeof loadClusterFast>>;
    try {
      loaded = await loadClusterFast(
        {
          connectString,
          sessionTimeoutMs: ref.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
          connectTimeoutMs: ref.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          digestAuth,
        },
        ref.path,
      );
    } catch (error) {
      context.io.stderr(
        `mdesk pegasus summary: cannot read ${ref.path} on ${ref.connectString}: ${
          error instanceof Error ? error.message : String(error)
        }\n`,
      );
      return EXIT.failed;
    }
    const summary = summarizeCluster(loaded.model);
    context.io.stdout(
      booleanFlag(args, 'json') ? `${JSON.stringify(summary)}\n` : textReport(summary, loaded.loadMs),
    );
    return EXIT.ok;
  },
};
