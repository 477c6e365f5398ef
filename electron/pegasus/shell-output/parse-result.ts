/**
 * What every shell-output parser returns: the typed reading, or a ShellParseError that says whether
 * the tool reported a failure (with its ERR_* code when it printed one) or printed something this
 * parser does not recognise, and quotes the offending text so the operator sees what the tool said.
 */
import { errorCodeIn, excerpt } from './shell-text';

export type ShellParseErrorKind =
  /** The tool ran and said the command failed (`... failed, error=ERR_TIMEOUT`). */
  | 'command-failed'
  /** The output is not what this command prints: another version, a crash, a wrong command. */
  | 'unrecognized';

export class ShellParseError extends Error {
  override name = 'ShellParseError';
  constructor(
    /** The command whose output this was, e.g. 'cluster_info'. */
    readonly command: string,
    readonly kind: ShellParseErrorKind,
    message: string,
    /** The lines that made the parser give up, verbatim. */
    readonly offendingText: string,
    /** The ERR_* code the tool printed, when there was one. */
    readonly errorCode: string | null = null,
  ) {
    super(message);
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ShellParseError };

export const parsed = <T>(value: T): ParseResult<T> => ({ ok: true, value });

export function commandFailed(command: string, line: string, what = `${command} failed`): ParseResult<never> {
  const code = errorCodeIn(line);
  return {
    ok: false,
    error: new ShellParseError(
      command,
      'command-failed',
      `${what}${code ? ` (${code})` : ''}: ${line.trim()}`,
      line.trim(),
      code,
    ),
  };
}

/**
 * The output does not look like `command`'s. If some line carries an ERR_* code, that line is the
 * likely cause (a shell that cannot reach the meta prints one before anything else), so it is
 * reported as a failure with that code.
 */
export function unrecognized(command: string, lines: readonly string[], why: string): ParseResult<never> {
  const errorLine = lines.find((line) => errorCodeIn(line) !== null);
  if (errorLine) return commandFailed(command, errorLine);
  const text = excerpt(lines);
  return {
    ok: false,
    error: new ShellParseError(
      command,
      'unrecognized',
      `The output of ${command} was not recognised (${why}). The tool printed:\n${text}`,
      text,
    ),
  };
}

/** The value of a parse, or the ShellParseError thrown: for callers that treat a bad parse as a failure. */
export function orThrow<T>(result: ParseResult<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}
