/**
 * One shell command of a table runbook, from run to parsed answer: the shell runs it (its output is
 * in the step log), or there is no shell here (the step becomes manual with the exact lines), or it
 * failed (timeout, refusal, unparseable output) with the reason and what to do.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import type { ParseResult } from '../../pegasus/shell-output';
import type { StepOutcome } from '../../runner/runbook-definition';
import type { AnyStepContext } from '../pegasus-steps/cluster-profile';
import { manualShellOutcome, parsedOrFailure, runShellCommand } from '../pegasus-steps/shell-step';

export type ShellAction<T> =
  | { ok: true; value: T; text: string }
  | { ok: false; outcome: Exclude<StepOutcome, { status: 'succeeded' | 'warning' | 'pending' }> };

export async function shellAction<T>(
  ctx: AnyStepContext,
  profile: PegasusProfile,
  command: GeneratedCommand,
  parse: (text: string) => ParseResult<T>,
  options: { timeoutMs?: number; onLine?(line: string): void; manualReason?: string } = {},
): Promise<ShellAction<T>> {
  const ran = await runShellCommand(ctx, profile, command, options);
  if (ran.kind === 'unavailable') {
    return { ok: false, outcome: manualShellOutcome(profile, options.manualReason ?? ran.reason, [command]) };
  }
  if (ran.kind === 'failed') return { ok: false, outcome: ran.outcome };
  const result = parsedOrFailure(ctx, profile, parse(ran.text));
  if (!result.ok) return result;
  return { ok: true, value: result.value, text: ran.text };
}
