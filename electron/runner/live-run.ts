/** What this process holds for a run it drives: its output sink, what runs now, and how to stop it. */
import type { JsonObject } from '../store/types';
import type { RunOutputSink } from './run-output';
import type { StopKind } from './run-stop';
import type { StepDefinition } from './runbook-definition';
import type { StepProgressMeter } from './step-progress';

export interface Execution {
  index: number;
  controller: AbortController;
  settled: Promise<unknown>;
}

export interface LiveRun {
  id: string;
  sink: RunOutputSink;
  /** The drive loop, while it runs. */
  driving: Promise<void> | null;
  /** Something changed while the loop ran: go round once more. */
  again: boolean;
  /** The executor running now (a step, a check, a postcondition, a rollback). */
  execution: Execution | null;
  /** Set while the runner stops the execution, so the outcome is read as a stop. */
  stop: StopKind | null;
  /** A rollback running in the background. */
  rollback: Promise<void> | null;
  meter: StepProgressMeter | null;
  progressEmittedAt: number;
  progressSavedAt: number;
  /** The run's parameters and step definitions, once checked against the stored steps. */
  definitions: { params: JsonObject; steps: StepDefinition[] } | null;
}

export interface RunDefinitions {
  params: JsonObject;
  steps: StepDefinition[];
}
