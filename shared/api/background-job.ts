/**
 * Long operations the host runs for the explorer (export, import, snapshot capture, comparison) as
 * jobs: they outlive the request that started them, and their progress streams as server-sent
 * events with counts, the rate over the recent window and an ETA.
 */
import { z } from 'zod';

export type BackgroundJobKind =
  | 'export'
  | 'import-preview'
  | 'import-apply'
  | 'snapshot-capture'
  | 'snapshot-compare';

export interface JobProgressEvent {
  type: 'progress';
  /** What the job is doing now ('reading', 'planning', 'snapshot', 'writing', 'verifying', ...). */
  phase: string;
  done: number;
  /** Items the phase will handle; null when nothing tells. */
  total: number | null;
  /** The total is an estimate (a previous capture, or the nodes known so far), not a count. */
  totalIsEstimate: boolean;
  /** Items per second over the recent window. */
  rate: number;
  bytes: number;
  /** Seconds left; null without a total or below 1 %. */
  etaSeconds: number | null;
  elapsedMs: number;
  /** Running counters (created, updated, ...), when the job has them. */
  counts?: Record<string, number>;
  /** Example paths per category so far. */
  samples?: Record<string, string[]>;
}

export type JobEvent<R = unknown> =
  | JobProgressEvent
  | { type: 'done'; elapsedMs: number; result: R }
  | { type: 'failed'; elapsedMs: number; message: string };

export interface JobStarted {
  jobId: string;
  kind: BackgroundJobKind;
}

export const jobIdInputSchema = z.object({ jobId: z.string().min(1).max(64) });
