/**
 * Why a tool run did not produce a result. Every message says what happened and what to do; a tool
 * that ran and exited, whatever its exit code, is not an error here (its output says how it went).
 */
import type { ToolRunResult } from './tool-access';

export type ToolRunErrorCode =
  /** The binary (or run.sh) does not exist at that path, or is not on PATH. */
  | 'NOT_FOUND'
  /** It exists but cannot be executed (permissions, a directory, a missing interpreter). */
  | 'NOT_EXECUTABLE'
  /** The working directory it needs does not exist. */
  | 'BAD_WORKING_DIR'
  /** The commands given cannot be sent safely (a line break inside one command). */
  | 'BAD_INPUT'
  | 'SPAWN_FAILED'
  /** Ran longer than the timeout: the process group was killed. */
  | 'TIMEOUT'
  /** The caller aborted (pause, abort, shutdown): the process group was killed. */
  | 'ABORTED';

export class ToolRunError extends Error {
  override name = 'ToolRunError';
  constructor(
    readonly code: ToolRunErrorCode,
    message: string,
    /** The argv that was (or would have been) run, already redacted. */
    readonly argv: readonly string[],
    /** What the tool printed before it was stopped (TIMEOUT, ABORTED). */
    readonly partial: ToolRunResult | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const MANUAL_HINT = 'set the path in the cluster profile, or run the step manually';
