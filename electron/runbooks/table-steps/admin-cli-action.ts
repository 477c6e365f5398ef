/**
 * One admin-cli command of a table runbook (`admin-cli -m <metas>`, commands on stdin), with the same
 * three endings as a shell step: parsed answer, manual fallback with the exact lines (no admin-cli in
 * the profile, or it cannot start), or a failure with the reason.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { toolLines } from '../../pegasus/commands';
import type { ParseResult } from '../../pegasus/shell-output';
import { ToolRunError } from '../../pegasus/tools/tool-run-error';
import { toolOutput } from '../../pegasus/tools/tool-runners';
import { type AnyStepContext, messageOf } from '../pegasus-steps/cluster-profile';
import { parsedOrFailure } from '../pegasus-steps/shell-step';
import type { ShellAction } from './shell-action';

const CANNOT_START = new Set(['NOT_FOUND', 'NOT_EXECUTABLE', 'BAD_WORKING_DIR', 'SPAWN_FAILED']);

function startLine(profile: PegasusProfile): GeneratedCommand {
  return {
    label: `Start admin-cli for ${profile.name}`,
    kind: 'shell',
    text: `${profile.tools.adminCli ?? 'admin-cli'} -m ${profile.metaServers.join(',') || '<meta1:34601,meta2:34601>'}`,
  };
}

export async function adminCliAction<T>(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  command: GeneratedCommand,
  parse: (text: string) => ParseResult<T>,
  options: { timeoutMs?: number } = {},
): Promise<ShellAction<T>> {
  const access = ctx.services.pegasus;
  const cli = access.adminCli(profile.id);
  const manual = (reason: string): ShellAction<T> => ({
    ok: false,
    outcome: { status: 'manual', reason, commands: [startLine(profile), command] },
  });
  if (!cli) {
    return manual(
      access.unavailableReason?.(profile.id, 'adminCli') ??
        `No admin-cli is configured in the cluster profile '${profile.name}'`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  ctx.log(`admin-cli> ${command.text}`);
  try {
    const result = await cli.run(toolLines(command), {
      signal: ctx.signal,
      timeoutMs,
      onLine: (line, stream) => ctx.log(line, stream),
    });
    const parsed = parsedOrFailure(ctx, profile, parse(toolOutput(result)));
    if (!parsed.ok) return parsed;
    return { ok: true, value: parsed.value, text: toolOutput(result) };
  } catch (error) {
    if (error instanceof ToolRunError && CANNOT_START.has(error.code)) {
      return manual(`admin-cli could not start: ${error.message}`);
    }
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `admin-cli could not run '${command.text}': ${messageOf(error)}`,
        hint: 'Check the meta servers answer (cluster-info in admin-cli), then retry this step.',
      },
    };
  }
}
