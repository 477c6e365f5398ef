/**
 * The contract between runbook steps and the Pegasus tools of a cluster profile. Implemented in this
 * folder (profiles from the store, tools as child processes with an argument array, never a shell
 * string); a step that gets `null` for a tool falls back to a manual step with generated commands.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';

/** One finished tool invocation: every line it printed (also streamed through onLine) and its exit. */
export interface ToolRunResult {
  /** The argument array that ran (binary first), for the log and the report. */
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ToolRunOptions {
  signal?: AbortSignal;
  /** Each line as it arrives, for the step's live output. */
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
  timeoutMs?: number;
}

/** The Pegasus shell (`run.sh shell` or `pegasus_shell <config> <cluster>`): commands go to its stdin. */
export interface PegasusShellRunner {
  /**
   * e.g. run(['use temp', 'copy_data -c target -a temp']). Resolves whatever the exit code (the
   * output says how the commands went: parse it with ../shell-output). Rejects with ToolRunError
   * (./tool-run-error.ts) when the tool cannot start (NOT_FOUND, NOT_EXECUTABLE, BAD_WORKING_DIR),
   * a command holds a line break (BAD_INPUT), or it was stopped (TIMEOUT, ABORTED: `partial` holds
   * what it printed). Without timeoutMs a run is stopped after 10 minutes.
   */
  run(commands: readonly string[], options?: ToolRunOptions): Promise<ToolRunResult>;
  /** The argv that would start the shell, for the manual fallback's generated command. */
  describe(): string[];
}

/** admin-cli -m <metas>: commands go to its stdin. */
export interface AdminCliRunner {
  run(commands: readonly string[], options?: ToolRunOptions): Promise<ToolRunResult>;
  describe(): string[];
}

export interface PegasusToolAccess {
  profile(id: string): PegasusProfile | undefined;
  /** null when the profile has no shell configured (the step becomes manual). */
  shell(profileId: string): PegasusShellRunner | null;
  adminCli(profileId: string): AdminCliRunner | null;
  /**
   * Why shell() or adminCli() gave null, for the manual fallback's reason ("No Pegasus shell is
   * configured in the cluster profile 'x'", "admin-cli needs IPv4 meta addresses"...); null when the
   * tool is available. Optional so test doubles need not implement it.
   */
  unavailableReason?(profileId: string, tool: 'shell' | 'adminCli'): string | null;
}
