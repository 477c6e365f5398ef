/**
 * A run's output lines on their way to run_output and to live subscribers: masked for secrets,
 * numbered in print order across steps, emitted at once, and written to SQLite in small batches (a
 * chatty tool must not cost a transaction per line). Each step keeps at most `limitPerStep` lines;
 * beyond that lines are counted, and one note says so, because a report must stay readable and the
 * store bounded.
 */
import type { RunOutputLine } from '../../shared/api/run-views';
import type { OutputStream, RunOutputRecord, RunsRepo } from '../store/runs-repo';
import { redactSecrets } from './output-redaction';

export const DEFAULT_OUTPUT_LIMIT_PER_STEP = 20_000;
const MAX_LINE_CHARS = 8_000;
const FLUSH_LINES = 200;
const FLUSH_DELAY_MS = 250;

export class RunOutputSink {
  private seq: number;
  private readonly buffer: RunOutputRecord[] = [];
  private readonly stored: Map<number, number>;
  private readonly dropped = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly runId: string,
    private readonly repo: RunsRepo,
    private readonly emit: (line: RunOutputLine) => void,
    private readonly now: () => number,
    private readonly limitPerStep = DEFAULT_OUTPUT_LIMIT_PER_STEP,
  ) {
    this.seq = repo.maxOutputSeq(runId);
    this.stored = repo.outputCounts(runId);
  }

  /** Writes one or more lines (a string with newlines is split) for step `index`. */
  write(index: number, text: string, stream: OutputStream = 'log'): void {
    // After close (the host stopped), late lines of a step still settling have nowhere to go.
    if (this.closed) return;
    const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    // A trailing newline is the end of the last line, not an empty line.
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    for (const raw of lines) this.writeLine(index, raw, stream);
  }

  /** Lines this step printed beyond the cap (not stored). */
  droppedFor(index: number): number {
    return this.dropped.get(index) ?? 0;
  }

  storedFor(index: number): number {
    return this.stored.get(index) ?? 0;
  }

  counts(): Map<number, number> {
    return new Map(this.stored);
  }

  /** Flushes and stops taking lines (the store is about to close). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const lines = this.buffer.splice(0, this.buffer.length);
    this.repo.appendOutput(lines);
  }

  private writeLine(index: number, raw: string, stream: OutputStream): void {
    const count = this.stored.get(index) ?? 0;
    if (count > this.limitPerStep) {
      this.dropped.set(index, (this.dropped.get(index) ?? 0) + 1);
      return;
    }
    let line = redactSecrets(raw);
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS)} ... (${line.length - MAX_LINE_CHARS} more characters not kept)`;
    }
    if (count === this.limitPerStep) {
      // The one line past the cap is the note that says where the rest went.
      line = `(output of this step truncated after ${this.limitPerStep} lines: further lines are counted, not kept)`;
      stream = 'log';
      this.dropped.set(index, (this.dropped.get(index) ?? 0) + 1);
    }
    this.stored.set(index, count + 1);
    this.seq += 1;
    const record: RunOutputRecord = { runId: this.runId, index, seq: this.seq, at: this.now(), stream, line };
    this.buffer.push(record);
    this.emit({ ...record });
    if (this.buffer.length >= FLUSH_LINES) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY_MS);
      this.timer.unref?.();
    }
  }
}
