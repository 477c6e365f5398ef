/**
 * `mdesk` run in-process through the dispatcher the bin runs: the exit code, stdout and stderr
 * collected, and the last stdout line parsed when it is JSON (what --json prints last). Quicker than
 * a child process (cli-process.ts), for tests that never kill it.
 */
import { dispatch } from '../../electron/cli/dispatch';
import { COMMANDS } from '../../electron/cli/registry';

export interface MdeskOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout, parsed; undefined when it is not JSON. */
  json: unknown;
}

/** Runs `mdesk ARGS` with exactly `env` as its environment (callers spread process.env when they want it). */
export async function runMdesk(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { onStderr?: (text: string) => void } = {},
): Promise<MdeskOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await dispatch(
    COMMANDS,
    args,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
        options.onStderr?.(text);
      },
      stderrIsTTY: false,
    },
    env,
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    // not a --json run
  }
  return { code, stdout, stderr, json };
}

/** An outcome whose JSON line is read as an object (empty when there was none), as --json assertions read it. */
export interface MdeskJsonOutcome extends Omit<MdeskOutcome, 'json'> {
  json: Record<string, unknown>;
}

/** `mdesk ARGS --data-dir DIR` with process.env and `env` over it. */
export async function runMdeskOn(
  dataDir: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<MdeskJsonOutcome> {
  const outcome = await runMdesk([...args, '--data-dir', dataDir], { ...process.env, ...env });
  return { ...outcome, json: (outcome.json ?? {}) as Record<string, unknown> };
}
