/** `mdesk zk diff A B`: compare two subtrees (paths, data bytes, ACLs); writes nothing. */
import { compareParams } from '../../engines/zk-copy/copy-params';
import { booleanFlag, type CliCommand, UsageError } from '../command';
import { applyMaxRate, MAX_RATE_FLAG } from '../max-rate-flag';
import { runInForeground } from '../run-live';
import { exitCodeOf, printSummary } from '../run-summary';
import { resolveSourceEndpoint, resolveTargetEndpoint } from '../snapshot-spec';

export const zkDiffCommand: CliCommand = {
  words: ['zk', 'diff'],
  summary: 'compare two subtrees: matching, mismatched, extra on either side (writes nothing)',
  usage: 'A B',
  details: [
    'A: zk://host:port/path, @saved-name:/path, or @snapshot:<name-or-id>[:/path] (a snapshot saved in',
    'the app: compares the live B with the tree as it was captured). B: a live one.',
    'Exit codes: 0 equal, 1 failed, 2 bad arguments, 3 differences found.',
  ].join('\n'),
  flags: [
    MAX_RATE_FLAG,
    { name: 'json', kind: 'boolean', help: 'print the result as one JSON object on the last line' },
  ],
  async run(context, args) {
    if (args.positionals.length !== 2) throw new UsageError('Give A and B');
    const [a, b] = args.positionals as [string, string];
    const params = compareParams(
      resolveSourceEndpoint(context, a, 'A'),
      resolveTargetEndpoint(context, b, 'B'),
    );
    applyMaxRate(params, args);
    const runs = context.engineRuns();
    const view = runs.create('zk-diff', params);
    const final = await runInForeground(context, runs, view.id, () => runs.start(view.id));
    printSummary(context.io, final, booleanFlag(args, 'json'));
    return exitCodeOf(final);
  },
};
