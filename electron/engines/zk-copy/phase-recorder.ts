/**
 * Where a phase keeps its checkpoint, its progress and its audit trail. The store implementation
 * writes all three in one SQLite transaction: a checkpoint never runs ahead of the progress and the
 * batch record that justify it, and a kill between two transactions loses nothing that was claimed.
 */
import type { JsonObject, Store } from '../../store/types';
import type { ProgressEvent } from './types';

export interface PhaseCheckpoint {
  /** Relative path (pre-order position) everything before which is finished; null: from the start. */
  cursor: string | null;
  done: boolean;
  state: JsonObject | null;
}

/** One write batch as the audit trail records it. */
export interface BatchAudit {
  seq: number;
  ops: number;
  applied: number;
  created: number;
  updated: number;
  aclUpdated: number;
  deleted: number;
  bytes: number;
  requests: number;
  firstPath: string;
  lastPath: string;
}

export interface PhaseRecorder {
  load(unit: string): PhaseCheckpoint | undefined;
  save(
    unit: string,
    checkpoint: PhaseCheckpoint,
    extras?: { progress?: ProgressEvent; batch?: BatchAudit },
  ): void;
}

export class StoreRecorder implements PhaseRecorder {
  constructor(
    private readonly store: Store,
    private readonly runId: string,
    private readonly actor: string,
    /** The audit action for batch summaries ('zk-copy.batch'). */
    private readonly batchAction: string,
  ) {}

  load(unit: string): PhaseCheckpoint | undefined {
    const checkpoint = this.store.checkpoints.get(this.runId, unit);
    if (!checkpoint) return undefined;
    return { cursor: checkpoint.cursor, done: checkpoint.done, state: checkpoint.state };
  }

  save(
    unit: string,
    checkpoint: PhaseCheckpoint,
    extras: { progress?: ProgressEvent; batch?: BatchAudit } = {},
  ): void {
    this.store.transaction(() => {
      this.store.checkpoints.save({ runId: this.runId, unit, ...checkpoint });
      if (extras.progress) {
        this.store.engineRuns.update(this.runId, { progress: extras.progress as unknown as JsonObject });
      }
      if (extras.batch) {
        this.store.events.append({
          actor: this.actor,
          action: this.batchAction,
          target: this.runId,
          detail: { unit, ...extras.batch },
        });
      }
    });
  }
}

/** Keeps checkpoints in memory: for engine uses that need no resume (tests, one-shot tools). */
export class MemoryRecorder implements PhaseRecorder {
  readonly checkpoints = new Map<string, PhaseCheckpoint>();
  readonly batches: BatchAudit[] = [];

  load(unit: string): PhaseCheckpoint | undefined {
    return this.checkpoints.get(unit);
  }

  save(unit: string, checkpoint: PhaseCheckpoint, extras: { batch?: BatchAudit } = {}): void {
    this.checkpoints.set(unit, checkpoint);
    if (extras.batch) this.batches.push(extras.batch);
  }
}
