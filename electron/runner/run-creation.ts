/**
 * What creating a run checks before anything is stored, and the draft it stores: parameters the
 * runbook does not take are refused (a misspelt optional one must not silently run with its default),
 * the rest must pass the runbook's schema, every connection parameter must name a connection this
 * shell knows, and the step list must be usable. Each refusal names the field, so the wizard can mark it.
 */
import type { JsonObject } from '../store/types';
import type { RunServices } from './run-services';
import type { RunbookDefinition, StepDefinition } from './runbook-definition';
import { RunRefusal } from './runner-errors';
import { messageOf } from './step-outcomes';
import { asJson, type RunDetail, type StepRecord } from './step-record';

/** The runbook's parameters from what the caller sent, checked; throws a RunRefusal with every issue. */
export function checkRunParams(
  runbook: RunbookDefinition,
  rawParams: unknown,
  connection: RunServices['connection'],
): JsonObject {
  // A misspelt optional parameter must not silently run with its default (mode=mirror typed as mdoe).
  const known = new Set(runbook.params.map((param) => param.name));
  const unknown = Object.keys((rawParams ?? {}) as object).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new RunRefusal(
      `Unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')} for ${runbook.id}; it takes ${[...known].join(', ')}`,
      'invalid',
      unknown[0],
      unknown.map((name) => ({
        field: name,
        message: `unknown parameter; ${runbook.id} takes ${[...known].join(', ')}`,
      })),
    );
  }
  const parsed = runbook.schema.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const message = issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new RunRefusal(
      `Invalid parameters for ${runbook.id}: ${message}`,
      'invalid',
      issues[0]?.path.join('.') || undefined,
      issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
    );
  }
  const params = parsed.data;
  for (const param of runbook.params) {
    const value = params[param.name];
    if (param.input !== 'connection' || typeof value !== 'string' || value === '') continue;
    try {
      connection(value);
    } catch (error) {
      throw new RunRefusal(`${param.name}: ${messageOf(error)}`, 'invalid', param.name, [
        { field: param.name, message: messageOf(error) },
      ]);
    }
  }
  return params;
}

/** A runbook bug (two steps with one id, no steps at all) refused before a run is stored. */
export function checkStepList(runbookId: string, steps: readonly StepDefinition[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) {
      throw new RunRefusal(
        `Runbook ${runbookId} has two steps with the id '${step.id}' (a runbook bug)`,
        'invalid',
      );
    }
    seen.add(step.id);
  }
  if (steps.length === 0)
    throw new RunRefusal(`Runbook ${runbookId} has no steps for these parameters`, 'invalid');
}

/** The run detail of a new draft. */
export function draftDetail(): JsonObject {
  const detail: RunDetail = {
    precheckOnly: false,
    holdBefore: null,
    lease: null,
    message: null,
    rollbacks: [],
  };
  return asJson(detail);
}

/** The stored steps of a new draft: each with its static text copied in, so old reports still explain it. */
export function draftSteps(steps: readonly StepDefinition[]) {
  return steps.map((step) => {
    const record: StepRecord = { why: step.why };
    if (step.severity) record.severity = step.severity;
    if (step.rollback) record.rollbackLabel = step.rollback.label;
    return {
      stepId: step.id,
      kind: step.kind,
      title: step.title,
      state: 'pending' as const,
      record: asJson(record),
    };
  });
}
