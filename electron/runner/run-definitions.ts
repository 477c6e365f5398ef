/**
 * A run's parameters and step definitions as this version of Migration Desk builds them, checked
 * against the steps the run was created with. A run whose runbook is gone, whose parameters the
 * runbook no longer accepts, or whose steps differ cannot go on: the refusal tells the operator to
 * abort it (and start a new run).
 */
import type { RunRecord, RunStepRecord } from '../store/runs-repo';
import type { RunDefinitions } from './live-run';
import type { RunbookDefinition } from './runbook-definition';
import { RunRefusal, shortRunId } from './runner-errors';

export function checkedDefinitions(
  run: RunRecord,
  runbook: RunbookDefinition | undefined,
  stored: readonly RunStepRecord[],
): RunDefinitions {
  if (!runbook) {
    throw new RunRefusal(
      `Run ${shortRunId(run.id)} uses runbook '${run.runbookId}', which this version of Migration Desk does not have: abort the run`,
      'conflict',
    );
  }
  const parsed = runbook.schema.safeParse(run.params);
  if (!parsed.success) {
    throw new RunRefusal(
      `Run ${shortRunId(run.id)} has parameters this version of runbook '${run.runbookId}' no longer accepts: abort it and start a new run`,
      'conflict',
    );
  }
  const steps = runbook.steps(parsed.data);
  const mismatch = stored.find((step) => steps[step.index]?.id !== step.stepId);
  if (mismatch || stored.length !== steps.length) {
    throw new RunRefusal(
      `Run ${shortRunId(run.id)} was created with another version of runbook '${run.runbookId}' (its steps differ): abort it and start a new run`,
      'conflict',
    );
  }
  return { params: parsed.data, steps };
}
