/**
 * Why the runner refused a control or a new run. `reason` lets the API pick the status (not found,
 * conflict, bad input) and the CLI its exit code, without parsing messages.
 */
export type RunRefusalReason = 'not-found' | 'invalid' | 'conflict' | 'busy';

export class RunRefusal extends Error {
  override name = 'RunRefusal';
  constructor(
    message: string,
    readonly reason: RunRefusalReason,
    /** The parameter or input field the message is about, when there is one. */
    readonly field?: string,
    /** Every problem with a runbook's parameters, by parameter (the wizard marks each field). */
    readonly issues: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** A run id as messages name it (its first 8 characters, which abort also accepts typed back). */
export const SHORT_RUN_ID = 8;

export function shortRunId(runId: string): string {
  return runId.slice(0, SHORT_RUN_ID);
}
