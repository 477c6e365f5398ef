/**
 * What a CLI command is: its words (`zk copy`), its flags, and a run function returning the exit
 * code. Adding a command is one file exporting a CliCommand, plus one line in registry.ts.
 */
import type { CliContext } from './context';

export type FlagSpec =
  | { name: string; kind: 'boolean'; help: string }
  | {
      name: string;
      kind: 'string';
      help: string;
      repeat?: boolean;
      choices?: readonly string[];
      value?: string;
    };

export interface ParsedArgs {
  positionals: string[];
  /** Boolean flags: true when given. String flags: the last value, or every value when repeatable. */
  flags: Record<string, string | string[] | boolean | undefined>;
}

export interface CliCommand {
  /** The words that select it, e.g. ['zk', 'copy']. */
  words: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** Positional arguments as the usage line shows them, e.g. 'SRC DST'. */
  usage: string;
  flags: readonly FlagSpec[];
  /** More help: what it does, exit codes. */
  details?: string;
  run(context: CliContext, args: ParsedArgs): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** The operation failed (unreachable, not authorized, a run that failed). */
  failed: 1,
  /** Bad arguments, or a confirmation (--yes) is missing. */
  usage: 2,
  /** It ran, and found differences (verify / diff). */
  differences: 3,
} as const;

/** Thrown by commands for a bad invocation: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.flags[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}
