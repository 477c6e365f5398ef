/** `mdesk run RUNBOOK --param k=v ... [--yes] [--json]`: runs a runbook headless. */
import { booleanFlag, type CliCommand, listFlag, UsageError } from '../command';
import { EXIT_WAITING, headlessJson, runHeadless } from '../run-headless';
import { openCliRunner } from '../runbook-services';
import { refusalAsUsage } from './runs';

function parseParams(values: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param '${value}' must look like name=value`);
    const name = value.slice(0, eq).trim();
    if (name in params) throw new UsageError(`--param ${name} is given twice`);
    params[name] = value.slice(eq + 1);
  }
  return params;
}

export const runCommand: CliCommand = {
  words: ['run'],
  summary: 'run a runbook headless, step by step, recorded like a run in the app',
  usage: 'RUNBOOK',
  details: [
    'Parameters: --param name=value, one per parameter (mdesk runbooks lists them). A connection parameter',
    "takes a saved connection's name or id, or zk://host:port[,host:port] (credentials from MDESK_ZK_AUTH=",
    'digest:user:password, never on the command line). Example:',
    '  mdesk run subtree-migration --param source=zk://10.0.0.1:2181 --param sourcePath=/app \\',
    '    --param target=prod-new --param targetPath=/app --param mode=create-only --json',
    'Step transitions, output and progress go to stderr; with --json the last line on stdout is one JSON',
    'object {runId, runbook, state, exitCode, message, step, allowedActions}.',
    'A gate, a warning, or a manual step that checks its own result waits for the operator; --yes answers',
    'it headless (typing the gate text, acknowledging the warning). A manual step without a check cannot be',
    'answered headless. Ctrl-C pauses the run; continue it with mdesk runs resume ID.',
    'Exit codes: 0 completed (or, with --precheck-only, the prechecks are done), 1 a step failed or the run',
    'was aborted, 2 bad arguments or parameters, 3 a step waits for the operator (named in the message).',
  ].join('\n'),
  flags: [
    { name: 'param', kind: 'string', repeat: true, value: 'NAME=VALUE', help: 'a runbook parameter' },
    { name: 'yes', kind: 'boolean', help: 'answer gates and warnings headless (typed confirmations)' },
    { name: 'precheck-only', kind: 'boolean', help: 'run the prechecks, then stop (resumable)' },
    { name: 'json', kind: 'boolean', help: 'print the outcome as one JSON object on the last line' },
  ],
  async run(context, args) {
    if (args.positionals.length !== 1) throw new UsageError('Give one RUNBOOK (mdesk runbooks lists them)');
    const runbookId = args.positionals[0]!;
    const params = parseParams(listFlag(args, 'param'));
    const cli = openCliRunner(context);
    try {
      const run = refusalAsUsage(() => cli.runner.create(runbookId, params));
      context.io.stderr(`Run ${run.id} (${run.title}), ${run.steps.length} steps\n`);
      const precheckOnly = booleanFlag(args, 'precheck-only');
      const result = await runHeadless(context, cli.runner, run.id, {
        yes: booleanFlag(args, 'yes'),
        // With --precheck-only the runner pauses before the first step that is not a precheck.
        begin: () => cli.runner.start(run.id, { precheckOnly }),
        onInterrupt: () => cli.close(),
      });
      if (booleanFlag(args, 'json')) context.io.stdout(`${JSON.stringify(headlessJson(result))}\n`);
      else
        context.io.stdout(
          `Run ${run.id}: ${result.run.state}${result.code === EXIT_WAITING ? ' (waiting for the operator)' : ''}\n`,
        );
      return result.code;
    } finally {
      await cli.close();
    }
  },
};
