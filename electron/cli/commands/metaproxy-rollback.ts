/**
 * `mdesk metaproxy rollback ROOT TABLE --to-cluster NAME --to-metas H:P,H:P [--expect-cluster CUR]`
 *
 * Puts a table's MetaProxy entry back to the value given on the command line (copied from the change
 * ticket, or the line `mdesk metaproxy switch` printed), so it works without the run that switched.
 * The write is a compare-and-set on the version read; when the audit log in --data-dir shows what
 * mdesk last wrote to this entry, the entry must still hold exactly that, or the rollback is refused
 * (someone changed it after us) unless --force.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../host/start-host';
import { findLastMetaProxyWrite, planMetaProxyRollback } from '../../pegasus/meta-proxy-switch';
import { booleanFlag, type CliCommand, stringFlag, UsageError } from '../command';
import {
  entryAuditTarget,
  entryFromFlags,
  executeMetaProxyPlan,
  metaProxyRoot,
  ROOT_USAGE,
  withSession,
} from './metaproxy-shared';

export const metaproxyRollbackCommand: CliCommand = {
  words: ['metaproxy', 'rollback'],
  summary: "put a table's MetaProxy entry back to a given value (compare-and-set, audited)",
  usage: `${ROOT_USAGE} TABLE`,
  details: [
    'The value to restore is given explicitly (--to-cluster, --to-metas), so a rollback works from the',
    'change ticket alone. It is refused when the entry does not route to --expect-cluster (if given), when',
    'the value is invalid, or when the entry changes between the read and the write. When the audit log in',
    '--data-dir records what mdesk last wrote to this entry and the entry no longer holds exactly that,',
    'someone changed it after us: the rollback is refused unless --force. --force skips only that check',
    '(for when clients are failing and you have confirmed the later change, often the same switch re-run,',
    'which bumps the version); the expected cluster and the compare-and-set still apply, and the audit',
    'event records that it was forced.',
    '',
    'Example (the line `mdesk metaproxy switch` prints after switching):',
    '  mdesk metaproxy rollback zk://10.0.0.9:2181/pegasus-cluster user_profile \\',
    '      --to-cluster c3srv-ad --to-metas 10.0.0.1:34601,10.0.0.2:34601 --expect-cluster c4srv-ad --yes',
    '',
    'Exit codes: 0 restored (or already in place), 1 refused because the entry is not as expected or the',
    'write failed (nothing written), 2 bad arguments, invalid value, or --yes missing.',
  ].join('\n'),
  flags: [
    { name: 'to-cluster', kind: 'string', value: 'NAME', help: 'the cluster to route TABLE back to' },
    { name: 'to-metas', kind: 'string', value: 'H:P,H:P', help: "that cluster's meta servers, at least two" },
    {
      name: 'expect-cluster',
      kind: 'string',
      value: 'CURRENT',
      help: 'the cluster the entry must route to now (the one switched to)',
    },
    { name: 'force', kind: 'boolean', help: 'restore even though the entry changed since mdesk wrote it' },
    { name: 'yes', kind: 'boolean', help: 'write the change (without it, only show it)' },
    { name: 'json', kind: 'boolean', help: 'print a JSON object as the last line of stdout' },
  ],
  async run(context, args) {
    if (args.positionals.length !== 2) throw new UsageError(`Give ${ROOT_USAGE} and TABLE`);
    const [rootText, table] = args.positionals as [string, string];
    const value = entryFromFlags(args, 'to-cluster', 'to-metas');
    const expectCluster = stringFlag(args, 'expect-cluster')?.trim() ?? null;
    const json = booleanFlag(args, 'json');
    const yes = booleanFlag(args, 'yes');
    const ref = metaProxyRoot(context, rootText, 'metaproxy rollback');
    const target = entryAuditTarget(ref, table);
    // No store in the data dir means no record of our writes: do not create one just to look.
    const lastWrite = existsSync(join(context.dataDir, DATABASE_FILE))
      ? findLastMetaProxyWrite(context.store.events, target)
      : null;

    return withSession(context, ref, yes ? 'write' : 'read', async (session) =>
      executeMetaProxyPlan(
        context,
        session,
        await planMetaProxyRollback(session, {
          root: ref.path,
          table,
          restore: { value },
          expectCluster,
          lastWrite,
          force: booleanFlag(args, 'force'),
        }),
        {
          command: 'rollback',
          json,
          yes,
          table,
          target,
          audit: () => ({ events: context.store.events, actor: context.actor, target }),
          intent: `restore ${table} to cluster '${value.clusterName}'`,
          describeChange: (result) =>
            `Restored ${table} to cluster '${result.current.clusterName}' (version ${result.previous.version} -> ${result.current.version}, audit event ${result.auditEventId}${result.forced ? ', forced' : ''}).\n`,
        },
      ),
    );
  },
};
