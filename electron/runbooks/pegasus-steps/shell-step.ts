/**
 * Running one Pegasus shell command from a step, with the three endings a step must tell apart:
 * the shell ran (its output goes to the parser), the shell is not there (no shell in the profile,
 * or it could not start: the step becomes manual with the generated commands), or the run went
 * wrong (timed out, stopped): a failure with the reason. Every output line is streamed into the
 * step's log as it arrives, so what the shell said is on record whatever the parser makes of it.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { profileShellCommand, toolLines } from '../../pegasus/commands';
import type { ParseResult } from '../../pegasus/shell-output';
import type { ToolRunResult } from '../../pegasus/tools/tool-access';
import { ToolRunError } from '../../pegasus/tools/tool-run-error';
import { toolOutput } from '../../pegasus/tools/tool-runners';
import type { StepOutcome } from '../../runner/runbook-definition';
import { type AnyStepContext, messageOf } from './cluster-profile';

type Failed = Extract<StepOutcome, { status: 'failed' }>;

export type ShellRun =
  | { kind: 'output'; text: string; result: ToolRunResult }
  /** No shell, or it could not start: the caller falls back to manual (or to meta HTTP). */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'failed'; outcome: Failed };

/** Errors that mean "this shell cannot be started here", not "the command went wrong". */
const CANNOT_START = new Set(['NOT_FOUND', 'NOT_EXECUTABLE', 'BAD_WORKING_DIR', 'SPAWN_FAILED']);

const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export async function runShellCommand(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  command: GeneratedCommand,
  options: { timeoutMs?: number; onLine?(line: string): void } = {},
): Promise<ShellRun> {
  const access = ctx.services.pegasus;
  const shell = access.shell(profile.id);
  if (!shell) {
    return {
      kind: 'unavailable',
      reason:
        access.unavailableReason?.(profile.id, 'shell') ??
        (profile.tools.shell
          ? `The Pegasus shell of '${profile.name}' cannot be run from this process (it runs no Pegasus tools)`
          : `No Pegasus shell is configured in the cluster profile '${profile.name}'`),
    };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  ctx.log(`pegasus shell> ${command.text}`);
  try {
    const result = await shell.run(toolLines(command), {
      signal: ctx.signal,
      timeoutMs,
      onLine: (line, stream) => {
        ctx.log(line, stream);
        options.onLine?.(line);
      },
    });
    return { kind: 'output', text: toolOutput(result), result };
  } catch (error) {
    if (error instanceof ToolRunError && CANNOT_START.has(error.code)) {
      return { kind: 'unavailable', reason: `The Pegasus shell could not start: ${error.message}` };
    }
    if (error instanceof ToolRunError && error.code === 'TIMEOUT') {
      return {
        kind: 'failed',
        outcome: {
          status: 'failed',
          summary: `The Pegasus shell did not finish '${command.text}' within ${seconds(timeoutMs)} and was stopped`,
          hint: 'The meta server may be slow or unreachable from the shell: check it answers (cluster_info), then retry this step.',
        },
      };
    }
    if (error instanceof ToolRunError && error.code === 'ABORTED') {
      return {
        kind: 'failed',
        outcome: { status: 'failed', summary: `Stopped while running '${command.text}'` },
      };
    }
    return {
      kind: 'failed',
      outcome: {
        status: 'failed',
        summary: `The Pegasus shell could not run '${command.text}': ${messageOf(error)}`,
        hint: 'Fix the cause shown, then retry this step.',
      },
    };
  }
}

/**
 * A parse result, or the failed outcome for it: the shell said the command failed (with its ERR_*
 * code), or printed something that is not this command's output (another version, a wrong
 * binary, a crash). The raw output is already in the step's log; the summary quotes the part that
 * did not fit.
 */
export function parsedOrFailure<T>(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  result: ParseResult<T>,
): { ok: true; value: T } | { ok: false; outcome: Failed } {
  if (result.ok) return result;
  const error = result.error;
  ctx.log(error.message, 'stderr');
  if (error.kind === 'command-failed') {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: error.message,
        hint:
          error.errorCode === 'ERR_NETWORK_FAILURE' || error.errorCode === 'ERR_TIMEOUT'
            ? `The shell cannot reach the meta servers of '${profile.name}' (${profile.metaServers.join(', ') || 'none listed'}): check that the meta leader runs and the profile's meta list is right, then retry this step.`
            : 'Read the shell output in the step log, fix the cause, then retry this step.',
      },
    };
  }
  return {
    ok: false,
    outcome: {
      status: 'failed',
      summary: `The shell's output of ${error.command} did not parse: ${error.offendingText.split('\n').slice(0, 3).join(' | ')}`,
      hint:
        `Check that the profile '${profile.name}' starts the Pegasus shell of this cluster (run it by hand and type ${error.command}) ` +
        'and that its version prints the documented output; the raw output is in the step log. Then retry this step, or do it by hand and skip it with a reason.',
    },
  };
}

/** The commands of a step that fell back to manual: how to start the shell (when known), then its lines. */
export function shellCommandsFor(
  profile: PegasusProfile,
  commands: readonly GeneratedCommand[],
): GeneratedCommand[] {
  const start = profileShellCommand(profile);
  return [
    ...(start ? [start] : []),
    ...(commands.length > 0 && !start
      ? [
          {
            label: `Start the Pegasus shell of ${profile.name} on a host that has it`,
            kind: 'shell' as const,
            text: `./run.sh shell --cluster ${profile.metaServers.join(',') || '<meta1:34601,meta2:34601>'}`,
          },
        ]
      : []),
    ...commands,
  ];
}

/** The 'manual' outcome with the shell start command and the lines to type. */
export function manualShellOutcome(
  profile: PegasusProfile,
  reason: string,
  commands: readonly GeneratedCommand[],
): Extract<StepOutcome, { status: 'manual' }> {
  return { status: 'manual', reason, commands: shellCommandsFor(profile, commands) };
}
