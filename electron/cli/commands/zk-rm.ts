/**
 * `mdesk zk rm PATH --yes`: the cleanup engine. Exports the tree first (the backup), counts it, and
 * only with --yes deletes exactly what it exported, bottom-up in batches.
 */
import { type CliCommand, EXIT, booleanFlag, UsageError } from '../command';
import { parseEndpointSpec } from '../endpoint-spec';
import { runInForeground } from '../run-live';

const number = new Intl.NumberFormat('en-US');

export const zkRmCommand: CliCommand = {
  words: ['zk', 'rm'],
  summary: 'delete a subtree recursively, after saving an export of it',
  usage: 'PATH',
  details: [
    'PATH: zk://host:port/path or @saved-name:/path. The export goes to <data-dir>/exports/.',
    'Exit codes: 0 deleted, 1 failed, 2 bad arguments or --yes missing (nothing deleted).',
  ].join('\n'),
  flags: [{ name: 'yes', kind: 'boolean', help: 'confirm the delete (without it, only the export is made)' }],
  async run(context, args) {
    if (args.positionals.length !== 1) throw new UsageError('Give PATH');
    const target = context.resolveEndpoint(parseEndpointSpec(args.positionals[0]!, 'PATH'));
    const runs = context.engineRuns();
    const prepared = await runs.prepareCleanup(target);
    const cleanup = prepared.result?.cleanup as
      | { exportFile: string; nodeCount: number; complete?: boolean }
      | undefined;
    if (prepared.state === 'failed' || !cleanup) {
      context.io.stderr(`${prepared.result?.error?.message ?? 'The export failed'}\n`);
      return EXIT.failed;
    }
    context.io.stdout(
      `Saved an export of ${number.format(cleanup.nodeCount)} nodes under ${target.path} to ${cleanup.exportFile}\n`,
    );
    if (cleanup.complete === false) {
      context.io.stderr('The export is incomplete (some nodes could not be read): nothing deleted\n');
      return EXIT.failed;
    }
    if (!booleanFlag(args, 'yes')) {
      context.io.stderr(
        `Nothing deleted: add --yes to delete these ${number.format(cleanup.nodeCount)} nodes\n`,
      );
      return EXIT.usage;
    }
    const final = await runInForeground(context, runs, prepared.id, () =>
      runs.start(prepared.id, { confirmNodeCount: cleanup.nodeCount }),
    );
    if (final.state !== 'completed') {
      context.io.stderr(`${final.result?.error?.message ?? `The cleanup ${final.state}`}\n`);
      return EXIT.failed;
    }
    context.io.stdout(
      `Deleted ${number.format(final.result?.cleanup?.deleted ?? 0)} nodes under ${target.path} (run ${final.id}); the export stays in ${cleanup.exportFile}\n`,
    );
    return EXIT.ok;
  },
};
