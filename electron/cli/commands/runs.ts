/**
 * `mdesk runs list|show|resume|retry|skip|abort|report`: the run history of the data dir, one run in
 * detail, and the controls a headless operator needs to continue a stopped run. The controls are the
 * app's (the same allowedActions); IDs may be shortened to a unique prefix (at least 4 characters).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunSummary, RunView } from '../../../shared/api/run-views';
import { RUN_STATES } from '../../../shared/api/runs';
import { RunRefusal } from '../../runner/runner-errors';
import { booleanFlag, type CliCommand, EXIT, listFlag, stringFlag, UsageError } from '../command';
import type { CliContext } from '../context';
import { EXIT_WAITING, formatStepProgress, headlessJson, runHeadless } from '../run-headless';
import { type CliRunner, openCliRunner } from '../runbook-services';

/** The runner's refusals as the CLI reports them: bad input is a usage error (exit 2). */
export function refusalAsUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RunRefusal && (error.reason === 'invalid' || error.reason === 'not-found')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

async function withRunner<T>(context: CliContext, fn: (cli: CliRunner) => Promise<T>): Promise<T> {
  const cli = openCliRunner(context);
  try {
    return await fn(cli);
  } finally {
    await cli.close();
  }
}

function runIdArgument(args: { positionals: string[] }): string {
  if (args.positionals.length !== 1) throw new UsageError('Give one run ID (mdesk runs list shows them)');
  return args.positionals[0]!;
}

function time(at: number | null): string {
  return at === null ? '-' : new Date(at).toISOString().replace('T', ' ').slice(0, 19);
}

const JSON_FLAG = { name: 'json', kind: 'boolean', help: 'print one JSON object (the last line)' } as const;
const YES_FLAG = {
  name: 'yes',
  kind: 'boolean',
  help: 'answer gates and warnings headless when the run reaches them',
} as const;

/** `show --json`: the run, its steps and its audit events (oldest first). */
export function runJson(run: RunView, events: unknown[]): Record<string, unknown> {
  return {
    runId: run.id,
    runbook: run.runbookId,
    title: run.title,
    state: run.state,
    message: run.message,
    params: run.params,
    currentStep: run.currentStep,
    allowedActions: run.allowedActions,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    operator: run.operator,
    steps: run.steps.map((step) => ({
      index: step.index,
      id: step.id,
      title: step.title,
      kind: step.kind,
      state: step.state,
      attempts: step.attempts,
      startedAt: step.startedAt,
      endedAt: step.endedAt,
      outcome: step.outcome,
      result: step.result,
      awaiting: step.awaiting,
      commands: step.commands,
      note: step.note,
      skipReason: step.skipReason,
      progress: step.progress,
      outputLines: step.outputLines,
    })),
    events,
  };
}

export const runsListCommand: CliCommand = {
  words: ['runs', 'list'],
  summary: 'list runbook runs, newest first',
  usage: '',
  flags: [
    { name: 'runbook', kind: 'string', value: 'ID', help: 'only runs of this runbook' },
    { name: 'state', kind: 'string', repeat: true, choices: RUN_STATES, help: 'only runs in this state' },
    {
      name: 'text',
      kind: 'string',
      value: 'TEXT',
      help: 'only runs whose id, title or parameters contain TEXT',
    },
    { name: 'limit', kind: 'string', value: 'N', help: 'at most N runs (default 50)' },
    { name: 'json', kind: 'boolean', help: 'print one JSON array' },
  ],
  async run(context, args) {
    const limitText = stringFlag(args, 'limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1-1000');
    return withRunner(context, async ({ runner }) => {
      const runs: RunSummary[] = runner.list({
        limit,
        ...(stringFlag(args, 'runbook') ? { runbookId: stringFlag(args, 'runbook') } : {}),
        ...(listFlag(args, 'state').length > 0 ? { states: listFlag(args, 'state') } : {}),
        ...(stringFlag(args, 'text') ? { text: stringFlag(args, 'text') } : {}),
      });
      if (booleanFlag(args, 'json')) {
        context.io.stdout(`${JSON.stringify(runs)}\n`);
        return EXIT.ok;
      }
      if (runs.length === 0) {
        context.io.stdout('No runs in this data dir (start one with mdesk run RUNBOOK).\n');
        return EXIT.ok;
      }
      const lines = runs.map(
        (run) =>
          `${run.id.slice(0, 8)}  ${time(run.createdAt)}  ${run.state.padEnd(9)}  ${`${run.stepsDone}/${run.stepCount}`.padEnd(5)}  ${run.runbookId}${run.currentStepTitle && run.state !== 'completed' ? `  at: ${run.currentStepTitle}` : ''}`,
      );
      context.io.stdout(
        `${['ID        CREATED (UTC)        STATE      STEPS  RUNBOOK', ...lines].join('\n')}\n`,
      );
      return EXIT.ok;
    });
  },
};

export const runsShowCommand: CliCommand = {
  words: ['runs', 'show'],
  summary: 'show one run: steps, outcomes, what it waits for, recent output',
  usage: 'ID',
  details:
    'With --json, one object: {runId, runbook, state, message, params, allowedActions, steps: [{index, title, kind, state, attempts, outcome, result, awaiting, commands, note, skipReason, ...}], events: [...]} (events oldest first).',
  flags: [
    JSON_FLAG,
    { name: 'output', kind: 'string', value: 'N', help: 'print the last N output lines (default 20)' },
  ],
  async run(context, args) {
    const outputText = stringFlag(args, 'output');
    const outputLines = outputText === undefined ? 20 : Number(outputText);
    if (!Number.isInteger(outputLines) || outputLines < 0 || outputLines > 5000) {
      throw new UsageError('--output must be 0-5000');
    }
    return withRunner(context, async ({ runner }) => {
      const runId = refusalAsUsage(() => runner.resolveId(runIdArgument(args)));
      const run = runner.get(runId);
      const events = runner.auditEvents(runId, { limit: 1000 }).reverse();
      if (booleanFlag(args, 'json')) {
        context.io.stdout(`${JSON.stringify(runJson(run, events))}\n`);
        return EXIT.ok;
      }
      const lines = [
        `Run ${run.id} (${run.runbookId}): ${run.state}`,
        `Created ${time(run.createdAt)} by ${run.operator}; started ${time(run.startedAt)}; ended ${time(run.endedAt)}`,
        `Parameters: ${Object.entries(run.params)
          .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' ')}`,
        ...(run.message ? [run.message] : []),
        '',
      ];
      for (const step of run.steps) {
        lines.push(
          `${String(step.index + 1).padStart(2)}. ${step.state.padEnd(20)} ${step.title} [${step.kind}]${step.attempts > 1 ? ` (${step.attempts} attempts)` : ''}`,
        );
        if (step.outcome) lines.push(`      ${step.outcome.status}: ${step.outcome.summary}`);
        if (step.outcome?.hint && step.state === 'failed') lines.push(`      hint: ${step.outcome.hint}`);
        if (step.skipReason) lines.push(`      skipped: ${step.skipReason}`);
        if (step.note) lines.push(`      note: ${step.note}`);
        if (step.awaiting) lines.push(`      waiting: ${step.awaiting.prompt}`);
        if (step.progress && step.state === 'running')
          lines.push(`      ${formatStepProgress(step.progress)}`);
      }
      lines.push('', `Allowed now: ${run.allowedActions.join(', ') || 'nothing (the run is over)'}`);
      if (outputLines > 0) {
        const tail = runner.tail(runId, { limit: outputLines });
        if (tail.length > 0) {
          lines.push('', `Last ${tail.length} output lines:`);
          for (const line of tail) lines.push(`  [${line.index + 1}] ${line.line}`);
        }
      }
      context.io.stdout(`${lines.join('\n')}\n`);
      return EXIT.ok;
    });
  },
};

/** A control, then the run driven headless from where it stands (like `mdesk run`). */
function continuing(
  words: [string, string],
  summary: string,
  control: (cli: CliRunner, runId: string, args: Parameters<CliCommand['run']>[1]) => unknown,
  extraFlags: CliCommand['flags'] = [],
  details = '',
): CliCommand {
  return {
    words,
    summary,
    usage: 'ID',
    details: `${details}${details ? '\n' : ''}Then the run goes on headless, as with mdesk run (same output, --json and exit codes: 0 completed, 1 failed or aborted, 3 a step waits for the operator).`,
    flags: [...extraFlags, YES_FLAG, JSON_FLAG],
    async run(context, args) {
      return withRunner(context, async (cli) => {
        const runId = refusalAsUsage(() => cli.runner.resolveId(runIdArgument(args)));
        const result = await runHeadless(context, cli.runner, runId, {
          yes: booleanFlag(args, 'yes'),
          begin: () => refusalAsUsage(() => control(cli, runId, args)),
          onInterrupt: () => cli.close(),
        });
        if (booleanFlag(args, 'json')) context.io.stdout(`${JSON.stringify(headlessJson(result))}\n`);
        else {
          context.io.stdout(
            `Run ${runId}: ${result.run.state}${result.code === EXIT_WAITING ? ' (waiting for the operator)' : ''}\n`,
          );
        }
        return result.code;
      });
    },
  };
}

export const runsResumeCommand = continuing(
  ['runs', 'resume'],
  'continue a stopped run (interrupted, paused, or waiting at a gate with --yes)',
  (cli, runId) => cli.runner.continueRun(runId),
  [],
  'An interrupted run (the process was killed) resumes at its step: an action that was running re-checks whether it finished; the copy continues from its checkpoints.',
);

export const runsRetryCommand = continuing(
  ['runs', 'retry'],
  'run the failed step of a run again',
  (cli, runId) => cli.runner.retry(runId),
);

export const runsSkipCommand = continuing(
  ['runs', 'skip'],
  'skip the current step of a run (a reason is required and recorded)',
  (cli, runId, args) => {
    const reason = stringFlag(args, 'reason');
    if (!reason) throw new UsageError('--reason is required: say why the run can go on without this step');
    return cli.runner.skip(runId, reason);
  },
  [{ name: 'reason', kind: 'string', value: 'TEXT', help: 'why the run can go on without this step' }],
);

export const runsAbortCommand: CliCommand = {
  words: ['runs', 'abort'],
  summary: 'abort a run (final: it cannot be resumed)',
  usage: 'ID',
  details: 'Needs --yes (the run id typed in the command is the confirmation). Exit 0 once aborted.',
  flags: [
    { name: 'reason', kind: 'string', value: 'TEXT', help: 'why (recorded in the audit trail)' },
    { name: 'yes', kind: 'boolean', help: 'confirm the abort' },
    JSON_FLAG,
  ],
  async run(context, args) {
    if (!booleanFlag(args, 'yes')) throw new UsageError('An abort is final: add --yes to confirm it');
    return withRunner(context, async ({ runner }) => {
      const runId = refusalAsUsage(() => runner.resolveId(runIdArgument(args)));
      const reason = stringFlag(args, 'reason');
      const run = await runner.abort(runId, { confirm: runId, ...(reason ? { reason } : {}) });
      if (booleanFlag(args, 'json')) context.io.stdout(`${JSON.stringify({ runId, state: run.state })}\n`);
      else context.io.stdout(`Run ${runId}: ${run.state}\n`);
      return EXIT.ok;
    });
  },
};

export const runsReportCommand: CliCommand = {
  words: ['runs', 'report'],
  summary: 'write a run report (Markdown or HTML) to attach to a change ticket',
  usage: 'ID',
  flags: [
    { name: 'format', kind: 'string', choices: ['markdown', 'html'], help: 'markdown (default) or html' },
    { name: 'out', kind: 'string', value: 'FILE', help: 'write to FILE instead of stdout' },
  ],
  async run(context, args) {
    const format = (stringFlag(args, 'format') ?? 'markdown') as 'markdown' | 'html';
    return withRunner(context, async ({ runner }) => {
      const runId = refusalAsUsage(() => runner.resolveId(runIdArgument(args)));
      const report = runner.report(runId, format);
      const out = stringFlag(args, 'out');
      if (out) {
        writeFileSync(resolve(out), report.content, { mode: 0o600 });
        context.io.stderr(`Wrote ${resolve(out)}\n`);
      } else {
        context.io.stdout(report.content);
      }
      return EXIT.ok;
    });
  },
};
