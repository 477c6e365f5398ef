/**
 * The Pegasus shell and admin-cli of one cluster profile, as PegasusShellRunner / AdminCliRunner.
 * Each run starts the tool, types the commands into its stdin (one per line) and closes it; every
 * run is audited before it starts (what was typed, so an interrupted run still left a record) and
 * when it ends (how it ended).
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { Store } from '../../store/types';
import { adminCliInvocation, shellInvocation, type ToolInvocation } from '../commands/invocation';
import { CommandOptionError } from '../commands/quoting';
import { type ProcessRunOptions, runProcess } from './process-runner';
import { redactArgv, redactLine } from './redaction';
import type { AdminCliRunner, PegasusShellRunner, ToolRunOptions, ToolRunResult } from './tool-access';
import { ToolRunError } from './tool-run-error';

export type ToolKind = 'shell' | 'adminCli';

/** A run without its own timeout gets this one: long enough for a recover, short of forever. */
export const DEFAULT_TOOL_TIMEOUT_MS = 10 * 60 * 1000;

export interface ToolRunnerDeps {
  store: Store;
  actor: string;
  /** Environment for the tools (tests point the fixture at its scenario); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Passed to every run (output budget, kill grace). */
  processOptions?: Pick<ProcessRunOptions, 'maxOutputBytes' | 'killGraceMs'>;
}

const TOOL_NAMES: Record<ToolKind, string> = { shell: 'The Pegasus shell', adminCli: 'admin-cli' };
const FIX_HINTS: Record<ToolKind, string> = {
  shell: 'set the shell path in the cluster profile, or run the step manually',
  adminCli: 'set the admin-cli path in the cluster profile, or run the step manually',
};

/** One command per line: a line break inside a command would make the tool run a second one. */
function checkCommands(tool: ToolKind, commands: readonly string[], argv: readonly string[]): void {
  const broken = commands.find((command) => /[\r\n]/.test(command));
  if (broken !== undefined) {
    throw new ToolRunError(
      'BAD_INPUT',
      `${TOOL_NAMES[tool]} takes one command per line; ${JSON.stringify(redactLine(broken))} contains a line break. ` +
        'Pass each command as its own entry.',
      argv,
    );
  }
}

class ProfileToolRunner {
  constructor(
    private readonly tool: ToolKind,
    private readonly profile: PegasusProfile,
    private readonly invocation: ToolInvocation,
    private readonly deps: ToolRunnerDeps,
  ) {}

  describe(): string[] {
    return [...this.invocation.argv];
  }

  async run(commands: readonly string[], options: ToolRunOptions = {}): Promise<ToolRunResult> {
    const argv = redactArgv(this.invocation.argv);
    checkCommands(this.tool, commands, argv);
    const { store, actor } = this.deps;
    const target = `pegasus-profile:${this.profile.id}`;
    const typed = commands.map(redactLine);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    // The tools can change a cluster (set_meta_level, recover, copy_data): the intent is on record
    // before anything is sent, in case the app dies while the tool runs.
    store.events.append({
      actor,
      action: 'pegasus.tool.started',
      target,
      detail: { profile: this.profile.name, tool: this.tool, argv, commands: typed, timeoutMs },
    });
    try {
      const result = await runProcess(
        {
          toolName: TOOL_NAMES[this.tool],
          argv: this.invocation.argv,
          cwd: this.invocation.cwd,
          env: this.deps.env,
          input: commands.length > 0 ? `${commands.join('\n')}\n` : '',
          fixHint: FIX_HINTS[this.tool],
        },
        { ...this.deps.processOptions, ...options, timeoutMs },
      );
      store.events.append({
        actor,
        action: 'pegasus.tool.finished',
        target,
        detail: {
          profile: this.profile.name,
          tool: this.tool,
          commands: typed,
          exitCode: result.exitCode,
          signal: result.signal,
          durationMs: result.durationMs,
        },
      });
      return result;
    } catch (error) {
      store.events.append({
        actor,
        action: 'pegasus.tool.failed',
        target,
        detail: {
          profile: this.profile.name,
          tool: this.tool,
          commands: typed,
          code: error instanceof ToolRunError ? error.code : 'UNKNOWN',
          message: error instanceof Error ? redactLine(error.message) : String(error),
        },
      });
      throw error;
    }
  }
}

export interface Availability<T> {
  runner: T | null;
  /** Why there is no runner, for the manual fallback's reason. */
  reason: string | null;
}

export function shellRunnerFor(
  profile: PegasusProfile,
  deps: ToolRunnerDeps,
): Availability<PegasusShellRunner> {
  const tool = profile.tools.shell;
  if (!tool) {
    return {
      runner: null,
      reason: `No Pegasus shell is configured in the cluster profile '${profile.name}'`,
    };
  }
  try {
    return {
      runner: new ProfileToolRunner('shell', profile, shellInvocation(tool, profile.metaServers), deps),
      reason: null,
    };
  } catch (error) {
    if (error instanceof CommandOptionError) {
      return {
        runner: null,
        reason: `The Pegasus shell of '${profile.name}' cannot be started: ${error.message}`,
      };
    }
    throw error;
  }
}

export function adminCliRunnerFor(
  profile: PegasusProfile,
  deps: ToolRunnerDeps,
): Availability<AdminCliRunner> {
  const binary = profile.tools.adminCli;
  if (!binary)
    return { runner: null, reason: `No admin-cli is configured in the cluster profile '${profile.name}'` };
  try {
    return {
      runner: new ProfileToolRunner(
        'adminCli',
        profile,
        adminCliInvocation(binary, profile.metaServers),
        deps,
      ),
      reason: null,
    };
  } catch (error) {
    if (error instanceof CommandOptionError) {
      return { runner: null, reason: `admin-cli of '${profile.name}' cannot be started: ${error.message}` };
    }
    throw error;
  }
}

/** stdout then stderr, for parsers (the shell prints some results on each). */
export function toolOutput(result: Pick<ToolRunResult, 'stdout' | 'stderr'>): string {
  return result.stderr ? `${result.stdout}\n${result.stderr}` : result.stdout;
}
