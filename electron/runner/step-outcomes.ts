/** Reading executors' outcomes: checking their shape, and turning them into what views and logs show. */
import type { StepOutcomeView } from '../../shared/api/run-views';
import type { StepDefinition, StepOutcome } from './runbook-definition';

const STATUSES = ['succeeded', 'warning', 'failed', 'pending', 'manual'];

/** An outcome, or the failure that says the runbook returned something that is not one. */
export function validOutcome(value: unknown): StepOutcome {
  const outcome = value as StepOutcome | undefined;
  if (!outcome || typeof outcome !== 'object' || !STATUSES.includes(outcome.status)) {
    return { status: 'failed', summary: 'The step returned no outcome (a runbook bug)' };
  }
  if (outcome.status === 'manual' && !Array.isArray(outcome.commands)) {
    return { status: 'failed', summary: 'The step fell back to manual without commands (a runbook bug)' };
  }
  return outcome;
}

export function outcomeSummary(outcome: StepOutcome): string {
  switch (outcome.status) {
    case 'pending':
      return `still waiting for: ${outcome.waitingFor}`;
    case 'manual':
      return outcome.reason;
    default:
      return outcome.summary;
  }
}

export function outcomeView(
  outcome: StepOutcome,
  kind: StepDefinition['kind'],
  severity: StepDefinition['severity'],
): StepOutcomeView {
  switch (outcome.status) {
    case 'pending':
      // Only reaches here for a step that is not a wait step.
      return {
        status: 'failed',
        summary: `The step said it is still waiting (${outcome.waitingFor}), but only a wait step can wait (a runbook bug)`,
      };
    case 'manual':
      return { status: 'manual', summary: outcome.reason };
    case 'failed':
      return {
        // A 'warn' precheck's failure is a warning: it asks for an acknowledgement, not a fix.
        status: kind === 'precheck' && severity === 'warn' ? 'warning' : 'failed',
        summary: outcome.summary,
        ...(outcome.hint ? { hint: outcome.hint } : {}),
      };
    default:
      return { status: outcome.status, summary: outcome.summary };
  }
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
