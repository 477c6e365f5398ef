/**
 * A ceiling on how many nodes per second a run reads from its source: an operator copying out of a
 * production ensemble under load keeps the copy from competing with the clients it serves
 * (`--max-rate` in the CLI, "Max rate" in the Copy view). Every phase reads the source through the
 * pair walk, so limiting the source reader paces plan, copy, verify and reconcile alike, and the
 * walk's bounded window means nothing reads ahead of the limit.
 *
 * Written here rather than taken from a rate-limit library: what is needed is a pacer for reads
 * already issued concurrently by the walk (each reserves the next free slot), with unused time
 * kept only briefly so a pause or a slow stretch does not turn into a burst afterwards.
 */
import { MAX_RATE_RANGE } from '../../../shared/api/zk-copy';
import type { ReadResult, TreeReader } from './tree-reader';

export class ReadPacer {
  /** When the next slot starts; unset until the first read, so a run does not start with a burst. */
  private next: number | undefined;
  private readonly intervalMs: number;

  constructor(
    readonly perSecond: number,
    /** How much unused time may be spent at once (ms): the burst after a pause stays this small. */
    private readonly burstMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(perSecond) || perSecond < MAX_RATE_RANGE.min || perSecond > MAX_RATE_RANGE.max) {
      throw new RangeError(
        `The read rate must be between ${MAX_RATE_RANGE.min} and ${MAX_RATE_RANGE.max.toLocaleString('en-US')} nodes per second, got ${perSecond}`,
      );
    }
    this.intervalMs = 1000 / perSecond;
  }

  /** Reserves the next slot and says how long to wait for it (0: go now). */
  reserve(): number {
    const now = this.now();
    // Kept time is for catching up after a slow stretch, not for the start: a first burst showed as
    // a rate above the ceiling in a short progress window (8,244/s under a 7,500/s ceiling).
    const start = this.next === undefined ? now : Math.max(this.next, now - this.burstMs);
    this.next = start + this.intervalMs;
    return Math.max(0, start - now);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The source reader with each node read paced; child lists (one per parent) are not counted. */
export class PacedTreeReader implements TreeReader {
  constructor(
    private readonly inner: TreeReader,
    private readonly pacer: ReadPacer,
  ) {}

  get label(): string {
    return this.inner.label;
  }

  get rootPath(): string {
    return this.inner.rootPath;
  }

  get lanes(): number {
    return this.inner.lanes;
  }

  get onWaiting(): ((message: string | null) => void) | undefined {
    return this.inner.onWaiting;
  }

  set onWaiting(listener: ((message: string | null) => void) | undefined) {
    this.inner.onWaiting = listener;
  }

  /** The reader's own session for the odd ACL check (a NO_AUTH stop's hint), when it has one. */
  get primary(): unknown {
    return (this.inner as { primary?: unknown }).primary;
  }

  async read(rel: string, lane: number, withAcl: boolean): Promise<ReadResult> {
    const wait = this.pacer.reserve();
    if (wait > 0) await sleep(wait);
    return this.inner.read(rel, lane, withAcl);
  }

  children(rel: string, lane: number): Promise<string[]> {
    return this.inner.children(rel, lane);
  }

  isReserved(rel: string): boolean {
    return this.inner.isReserved(rel);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
