/** `mdesk zk import FILE DST`: the copy engine with an export file (ours or zk-shell's) as the source. */
import { resolve } from 'node:path';
import { readExportFile } from '../../engines/zk-export/export-file';
import { copyParams } from '../../engines/zk-copy/copy-params';
import { COPY_MODES, type CopyMode } from '../../engines/zk-copy/types';
import { booleanFlag, type CliCommand, stringFlag, UsageError } from '../command';
import { parseEndpointSpec } from '../endpoint-spec';
import { runInForeground } from '../run-live';
import { exitCodeOf, printSummary } from '../run-summary';

export const zkImportCommand: CliCommand = {
  words: ['zk', 'import'],
  summary: 'write an export file (Migration Desk or zk-shell JSON) under a path, then verify',
  usage: 'FILE DST',
  details:
    'Exit codes: 0 imported and verified equal, 1 failed, 2 bad arguments, 3 verify found differences.',
  flags: [
    { name: 'mode', kind: 'string', choices: COPY_MODES, help: 'create-only (default), overwrite or mirror' },
    { name: 'yes', kind: 'boolean', help: 'confirm mirror mode (it deletes on the target)' },
  ],
  async run(context, args) {
    if (args.positionals.length !== 2) throw new UsageError('Give FILE and DST');
    const [fileText, targetText] = args.positionals as [string, string];
    const file = resolve(fileText);
    const mode = (stringFlag(args, 'mode') ?? 'create-only') as CopyMode;
    if (mode === 'mirror' && !booleanFlag(args, 'yes')) {
      throw new UsageError(
        'Mirror mode deletes every node under DST that the file lacks: add --yes to confirm',
      );
    }
    // Read once here for its root (and to fail early on a bad file); the run reads it again.
    const tree = readExportFile(file);
    const params = copyParams(
      { kind: 'snapshot', file, path: tree.root },
      context.resolveEndpoint(parseEndpointSpec(targetText, 'DST')),
      { mode },
    );
    const runs = context.engineRuns();
    const view = runs.create('zk-import', params);
    const final = await runInForeground(context, runs, view.id, () =>
      runs.start(view.id, { mirrorConfirmed: mode === 'mirror' }),
    );
    printSummary(context.io, final, false);
    return exitCodeOf(final);
  },
};
