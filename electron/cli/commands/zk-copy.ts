/** `mdesk zk copy SRC DST`: plan, copy, verify (and reconcile) a subtree, resumable by run id. */
import { copyParams } from '../../engines/zk-copy/copy-params';
import { COPY_MODES, type CopyMode } from '../../engines/zk-copy/types';
import { booleanFlag, type CliCommand, EXIT, listFlag, stringFlag, UsageError } from '../command';
import { applyMaxRate, MAX_RATE_FLAG } from '../max-rate-flag';
import { runInForeground } from '../run-live';
import { exitCodeOf, printSummary } from '../run-summary';
import { resolveSourceEndpoint, resolveTargetEndpoint } from '../snapshot-spec';

export const zkCopyCommand: CliCommand = {
  words: ['zk', 'copy'],
  summary: 'copy a subtree between ZooKeeper ensembles: plan, copy, verify, resumable',
  usage: 'SRC DST',
  details: [
    'SRC and DST: zk://host:port[,host:port]/path or @saved-name:/path (a connection saved in the app).',
    "A saved connection with an SSH jump host goes through it; trust the jump host's key in the app first.",
    'SRC may also be @snapshot:<name-or-id>[:/path]: a snapshot saved in the app (its label, or',
    "'connection:/root' without one; the path defaults to its root), copied offline as captured:",
    'exact bytes and ACLs, ephemeral nodes skipped; verify compares DST with the snapshot.',
    "Credentials: MDESK_ZK_AUTH=digest:user:password (both sides) and/or the saved connection's own.",
    'Modes: create-only (default; a target node with other data is a conflict), overwrite (rewrite what',
    'differs), mirror (also delete target nodes the source lacks; needs --yes).',
    'Exit codes: 0 done and verified equal, 1 failed, 2 bad arguments, 3 verify found differences.',
  ].join('\n'),
  flags: [
    { name: 'mode', kind: 'string', choices: COPY_MODES, help: 'create-only (default), overwrite or mirror' },
    {
      name: 'no-acl',
      kind: 'boolean',
      help: "create nodes with the target's default ACL instead of the source's",
    },
    {
      name: 'include',
      kind: 'string',
      repeat: true,
      value: 'GLOB',
      help: 'copy only these subtrees (relative to SRC)',
    },
    {
      name: 'exclude',
      kind: 'string',
      repeat: true,
      value: 'GLOB',
      help: 'leave these subtrees out (relative to SRC)',
    },
    MAX_RATE_FLAG,
    {
      name: 'dry-run',
      kind: 'boolean',
      help: 'print the plan (creates, updates, deletes...), write nothing',
    },
    { name: 'run-id', kind: 'string', value: 'ID', help: 'the id of the new run (default: a random one)' },
    {
      name: 'resume',
      kind: 'string',
      value: 'ID',
      help: 'resume run ID from its checkpoint (SRC and DST come from the run)',
    },
    { name: 'yes', kind: 'boolean', help: 'confirm mirror mode (it deletes on the target)' },
    { name: 'json', kind: 'boolean', help: 'print the result as one JSON object on the last line' },
  ],
  async run(context, args) {
    const json = booleanFlag(args, 'json');
    const runs = context.engineRuns();
    const resumeId = stringFlag(args, 'resume');
    if (resumeId) {
      if (args.positionals.length > 0) {
        context.io.stderr('Resuming: SRC and DST come from the run; the ones given are ignored\n');
      }
      const view = runs.get(resumeId);
      if (view.kind !== 'zk-copy' && view.kind !== 'zk-import') {
        throw new UsageError(`Run ${resumeId} is a ${view.kind} run, not a copy`);
      }
      const final = await runInForeground(context, runs, resumeId, () => runs.start(resumeId));
      printSummary(context.io, final, json);
      return exitCodeOf(final);
    }
    if (args.positionals.length !== 2) throw new UsageError('Give SRC and DST (or --resume ID)');
    const [sourceText, targetText] = args.positionals as [string, string];
    const mode = (stringFlag(args, 'mode') ?? 'create-only') as CopyMode;
    if (mode === 'mirror' && !booleanFlag(args, 'yes') && !booleanFlag(args, 'dry-run')) {
      throw new UsageError(
        'Mirror mode deletes every node under DST that SRC lacks: add --yes to confirm (or --dry-run to see the plan first)',
      );
    }
    const params = copyParams(
      resolveSourceEndpoint(context, sourceText),
      resolveTargetEndpoint(context, targetText),
      {
        mode,
        copyAcl: !booleanFlag(args, 'no-acl'),
        include: listFlag(args, 'include'),
        exclude: listFlag(args, 'exclude'),
        // Passes only write what the source changed during the copy (and what failed): cheap when clean.
        reconcilePasses: 2,
      },
    );
    applyMaxRate(params, args);
    const view = runs.create('zk-copy', params, { runId: stringFlag(args, 'run-id') });
    if (booleanFlag(args, 'dry-run')) {
      await runs.plan(view.id);
      const planned = runs.get(view.id);
      printSummary(context.io, { ...planned, state: 'completed' }, json, { dryRun: true });
      return EXIT.ok;
    }
    const final = await runInForeground(context, runs, view.id, () =>
      runs.start(view.id, { mirrorConfirmed: mode === 'mirror' }),
    );
    printSummary(context.io, final, json);
    return exitCodeOf(final);
  },
};
