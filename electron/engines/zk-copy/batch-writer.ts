/**
 * The copy's writer: multi batches sized by bytes, several in flight on one session, settled in
 * order.
 *
 * Why one session: ZooKeeper applies one session's requests in the order sent, so a batch creating
 * children can follow the batch creating their parent without waiting for it. Why "settled in
 * order": when a batch fails, later ones may have failed only because of it (a missing parent), so
 * each batch is repaired only after every earlier one is settled; a checkpoint never passes a batch
 * that is not settled.
 *
 * A batch whose answer was lost (CONNECTION_LOSS, SESSION_EXPIRED, TIMEOUT) is checked op by op
 * (was the node created, the data written, the node removed?) after a backoff, and only what was not
 * applied is sent again: a retry never duplicates a write, and a write never goes out twice blindly.
 */
import { isZkError } from '../../zk/errors';
import type { MultiOp, MultiResult, ZkWriteSession } from '../../zk/multi';
import {
  type Batch,
  BatchCommitError,
  type BatchEntry,
  type CulpritResolver,
  commitOps,
  commitSplitting,
  isOpLevelError,
  MultiBatcher,
} from '../../zk/multi-batcher';
import type { ZkAcl } from '../../zk/types';
import { aclEqual } from './acl-rules';
import { Backoff, type FaultPolicy, isUnknownOutcome } from './faults';
import type { TallyEntry } from './pending-tally';

export type AclOp = { type: 'setACL'; path: string; acl: readonly ZkAcl[]; version: number };
export type WriteOp = MultiOp | AclOp;

export interface WriteTag {
  /** Pre-order key of the item this op belongs to: the checkpoint may not pass it before it settles. */
  key: string;
  rel: string;
  kind: 'create' | 'update' | 'acl' | 'delete';
  /** Data bytes the op writes. */
  dataBytes: number;
  /** The copy's pending count entry of the item (pending-tally.ts), counted into once applied. */
  tally?: TallyEntry;
}

export interface SettledBatch {
  seq: number;
  /** Entries the server applied (replacements included), in order. */
  applied: BatchEntry<WriteTag>[];
  /** Entries the batch was sent with. */
  sent: number;
  /** Requests it took (1 when nothing failed). */
  requests: number;
  requestBytes: number;
  firstPath: string;
  lastPath: string;
}

export interface BatchWriterOptions {
  session: ZkWriteSession;
  maxBatchBytes?: number;
  maxBatchOps?: number;
  /** Batches in flight at once (default 4). */
  maxInFlight?: number;
  /** Decides the fate of an op that failed a multi (see commitSplitting). */
  resolveCulprit: CulpritResolver<WriteTag>;
  /** Called in batch order once a batch is settled, after its keys left the pending set. */
  onSettled: (batch: SettledBatch) => void;
  faults: FaultPolicy;
  /** A message while waiting for ZooKeeper (null once it answers again). */
  onWaiting?: (message: string | null) => void;
}

interface InFlight {
  seq: number;
  minKey: string;
}

function isAclOp(op: WriteOp): op is AclOp {
  return op.type === 'setACL';
}

export class BatchWriter {
  private readonly batcher: MultiBatcher<WriteTag>;
  private readonly session: ZkWriteSession;
  private readonly maxInFlight: number;
  private readonly pending = new Set<InFlight>();
  private openMinKey: string | undefined;
  private seq = 0;
  private inFlight = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private roomWaiters: (() => void)[] = [];

  constructor(private readonly options: BatchWriterOptions) {
    this.session = options.session;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 4);
    this.batcher = new MultiBatcher<WriteTag>({
      maxBytes: options.maxBatchBytes,
      maxOps: options.maxBatchOps,
      chrootBytes: Buffer.byteLength(options.session.chroot ?? '', 'utf8'),
    });
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Batches sent and not settled yet. */
  get batchesInFlight(): number {
    return this.inFlight;
  }

  /** Queues an op (synchronously: its key is pending from this moment); may send sealed batches. */
  add(op: WriteOp, tag: WriteTag): void {
    if (this.failure) throw this.failure.error;
    if (isAclOp(op)) {
      // setACL is not a multi op: it goes alone, in order with the batches around it.
      const before = this.batcher.flush();
      if (before) this.dispatch(before);
      this.dispatch({ entries: [{ op: op as unknown as MultiOp, tag }], requestBytes: 0 });
      return;
    }
    if (this.openMinKey === undefined || tag.key < this.openMinKey) this.openMinKey = tag.key;
    for (const batch of this.batcher.add(op, tag)) this.dispatch(batch);
  }

  /** Whether another batch may be sent now (the common case: no need to await waitForRoom). */
  get hasRoom(): boolean {
    return this.failure === undefined && this.inFlight < this.maxInFlight;
  }

  /** Resolves once fewer than maxInFlight batches are in flight; throws when the writer failed. */
  async waitForRoom(): Promise<void> {
    while (!this.failure && this.inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (this.failure) throw this.failure.error;
  }

  /** Sends what waits and resolves when every batch is settled; throws when the writer failed. */
  async flush(): Promise<void> {
    const last = this.batcher.flush();
    if (last) this.dispatch(last);
    await this.tail;
    if (this.failure) throw this.failure.error;
  }

  /** The smallest key of an op not settled yet (queued or in flight). */
  lowestPendingKey(): string | undefined {
    let lowest = this.batcher.size > 0 ? this.openMinKey : undefined;
    for (const batch of this.pending)
      if (lowest === undefined || batch.minKey < lowest) lowest = batch.minKey;
    return lowest;
  }

  private dispatch(batch: Batch<WriteTag>): void {
    if (batch.entries === undefined || batch.entries.length === 0) return;
    this.openMinKey = undefined;
    this.seq += 1;
    let minKey = batch.entries[0]!.tag.key;
    for (const entry of batch.entries) if (entry.tag.key < minKey) minKey = entry.tag.key;
    const info: InFlight = { seq: this.seq, minKey };
    this.pending.add(info);
    this.inFlight += 1;
    // The first attempt goes out now (pipelined); its outcome is handled in order below.
    const first = this.send(batch.entries).then(
      (result) => ({ result }) as { result?: MultiResult; error?: unknown },
      (error: unknown) => ({ error }) as { result?: MultiResult; error?: unknown },
    );
    const previous = this.tail;
    this.tail = (async () => {
      const outcome = await first;
      await previous;
      try {
        if (this.failure) {
          // A batch behind a fatal one: whatever it did stays unsettled; a resume re-checks it.
          return;
        }
        const settled = await this.settle(info.seq, batch, outcome);
        this.pending.delete(info);
        this.options.onSettled(settled);
      } catch (error) {
        if (!this.failure) this.failure = { error };
      } finally {
        this.inFlight -= 1;
        const waiters = this.roomWaiters;
        this.roomWaiters = [];
        for (const wake of waiters) wake();
      }
    })();
  }

  private async send(entries: readonly BatchEntry<WriteTag>[]): Promise<MultiResult> {
    const op = entries[0]!.op as WriteOp;
    if (entries.length === 1 && isAclOp(op)) {
      try {
        await this.session.setACL(op.path, op.acl, op.version);
        return { ok: true, results: [{ ok: true }], failedIndex: -1 };
      } catch (error) {
        if (isOpLevelError(error))
          return { ok: false, results: [{ ok: false, code: error.code }], failedIndex: 0 };
        throw error;
      }
    }
    return commitOps(
      this.session,
      entries.map((entry) => entry.op),
    );
  }

  private async settle(
    seq: number,
    batch: Batch<WriteTag>,
    first: { result?: MultiResult; error?: unknown },
  ): Promise<SettledBatch> {
    const entries = batch.entries;
    const summary = (applied: BatchEntry<WriteTag>[], requests: number): SettledBatch => ({
      seq,
      applied,
      sent: entries.length,
      requests,
      requestBytes: batch.requestBytes,
      firstPath: entries[0]!.op.path,
      lastPath: entries[entries.length - 1]!.op.path,
    });
    if (first.result?.ok) return summary(entries, 1);
    if (first.error !== undefined && !isUnknownOutcome(first.error)) throw first.error;

    const backoff = new Backoff(this.options.faults);
    const applied: BatchEntry<WriteTag>[] = [];
    let requests = 1;
    let remaining = entries.slice();
    if (first.error !== undefined) {
      await backoff.wait(first.error, `write a batch starting at ${entries[0]!.op.path}`, this.waiting);
      const checked = await this.recheck(remaining, backoff);
      applied.push(...checked.applied);
      remaining = checked.remaining;
    }
    while (remaining.length > 0) {
      try {
        const result = await this.commitRemaining(remaining);
        applied.push(...result.applied);
        requests += result.requests;
        remaining = [];
      } catch (error) {
        if (error instanceof BatchCommitError && isUnknownOutcome(error.reason)) {
          applied.push(...(error.applied as BatchEntry<WriteTag>[]));
          await backoff.wait(
            error.reason,
            `write a batch starting at ${remaining[0]!.op.path}`,
            this.waiting,
          );
          const checked = await this.recheck(error.unsettled as BatchEntry<WriteTag>[], backoff);
          applied.push(...checked.applied);
          remaining = checked.remaining;
          continue;
        }
        throw error instanceof BatchCommitError ? error.reason : error;
      }
    }
    this.options.onWaiting?.(null);
    return summary(applied, requests);
  }

  private readonly waiting = (message: string) => this.options.onWaiting?.(message);

  /** Commits entries with the failing op split out; a lone setACL goes through the same resolver. */
  private async commitRemaining(
    entries: BatchEntry<WriteTag>[],
  ): Promise<{ applied: BatchEntry<WriteTag>[]; requests: number }> {
    const op = entries[0]!.op as WriteOp;
    if (entries.length === 1 && isAclOp(op)) {
      let result: MultiResult;
      try {
        result = await this.send(entries);
      } catch (error) {
        if (isZkError(error)) throw new BatchCommitError(error, [], entries);
        throw error;
      }
      if (result.ok) return { applied: entries, requests: 1 };
      const replacement = await this.options.resolveCulprit(
        entries[0]!,
        result.results[0]?.code ?? 'UNKNOWN',
      );
      if (replacement.length === 0) return { applied: [], requests: 1 };
      const again = await this.commitRemaining(replacement);
      return { applied: again.applied, requests: again.requests + 1 };
    }
    return commitSplitting(this.session, entries, this.options.resolveCulprit);
  }

  /**
   * Which entries of an unanswered batch were applied: read each one's node through the write
   * session (which, after a reconnect, has seen its own writes). Retries the reads with the backoff.
   */
  private async recheck(
    entries: BatchEntry<WriteTag>[],
    backoff: Backoff,
  ): Promise<{ applied: BatchEntry<WriteTag>[]; remaining: BatchEntry<WriteTag>[] }> {
    for (;;) {
      try {
        const flags = await Promise.all(entries.map((entry) => this.isApplied(entry.op as WriteOp)));
        const applied: BatchEntry<WriteTag>[] = [];
        const remaining: BatchEntry<WriteTag>[] = [];
        for (const [index, entry] of entries.entries()) (flags[index] ? applied : remaining).push(entry);
        return { applied, remaining };
      } catch (error) {
        if (!isUnknownOutcome(error)) throw error;
        await backoff.wait(error, `check a batch starting at ${entries[0]?.op.path}`, this.waiting);
      }
    }
  }

  private async isApplied(op: WriteOp): Promise<boolean> {
    const session = this.session;
    const readData = async (): Promise<Buffer | null> => {
      try {
        return (await session.getData(op.path)).data;
      } catch (error) {
        if (isZkError(error) && error.code === 'NO_NODE') return null;
        throw error;
      }
    };
    switch (op.type) {
      case 'create':
      case 'setData': {
        const data = await readData();
        return data?.equals(op.data) === true;
      }
      case 'remove':
        return (await session.exists(op.path)) === null;
      case 'check':
        return true;
      case 'setACL': {
        try {
          return aclEqual((await session.getACL(op.path)).acl, op.acl);
        } catch (error) {
          if (isZkError(error) && error.code === 'NO_NODE') return false;
          throw error;
        }
      }
    }
  }
}
