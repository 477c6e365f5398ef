/** `mdesk zk export SRC FILE`: save a subtree (data as base64, ACLs, ephemeral flags) to a JSON file. */
import { resolve } from 'node:path';
import { describeEndpoint } from '../../engines/zk-copy/endpoints';
import { exportTree } from '../../engines/zk-export/export-tree';
import { type CliCommand, EXIT, UsageError } from '../command';
import { parseEndpointSpec } from '../endpoint-spec';

const number = new Intl.NumberFormat('en-US');

export const zkExportCommand: CliCommand = {
  words: ['zk', 'export'],
  summary: 'save a subtree to a versioned JSON file (gzip when FILE ends in .gz)',
  usage: 'SRC FILE',
  details:
    'Exit codes: 0 complete export, 1 failed or incomplete (nodes the credentials cannot read), 2 bad arguments.',
  flags: [],
  async run(context, args) {
    if (args.positionals.length !== 2) throw new UsageError('Give SRC and FILE');
    const [sourceText, fileText] = args.positionals as [string, string];
    const source = context.resolveEndpoint(parseEndpointSpec(sourceText, 'SRC'));
    const file = resolve(fileText);
    const sessions = await Promise.all([
      context.factory.open(source, 'read'),
      context.factory.open(source, 'read'),
    ]);
    try {
      const summary = await exportTree({
        sessions,
        root: source.path,
        file,
        source: describeEndpoint(source),
        onProgress: (nodes) => {
          if (nodes % 10_000 === 0) context.io.stderr(`exported ${number.format(nodes)} nodes\n`);
        },
      });
      context.store.events.append({
        actor: context.actor,
        action: 'zk-export.saved',
        target: file,
        detail: {
          source: describeEndpoint(source),
          nodeCount: summary.nodeCount,
          bytes: summary.bytes,
          complete: summary.complete,
          unreadable: summary.unreadable.slice(0, 20),
        },
      });
      context.io.stdout(
        `Exported ${number.format(summary.nodeCount)} nodes (${number.format(summary.bytes)} data bytes, ${summary.ephemeral} ephemeral) from ${describeEndpoint(source)} to ${file} in ${summary.seconds.toFixed(1)} s\n`,
      );
      if (!summary.complete) {
        context.io.stderr(
          `Incomplete: ${summary.unreadable.length} nodes could not be read (e.g. ${summary.unreadable.slice(0, 3).join(', ')}): add a credential that can read them (MDESK_ZK_AUTH=digest:user:password)\n`,
        );
        return EXIT.failed;
      }
      return EXIT.ok;
    } finally {
      await Promise.allSettled(sessions.map((session) => session.close()));
    }
  },
};
