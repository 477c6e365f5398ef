/**
 * Progress on stderr (stdout stays for the result, the last line of which is JSON with --json).
 * On a terminal one line is redrawn; in a log, a line at most every few seconds.
 */
import type { ProgressEvent } from '../engines/zk-copy/types';
import type { CliIo } from './context';

const number = new Intl.NumberFormat('en-US');

export function formatProgress(event: ProgressEvent): string {
  const parts = [`${event.phase ?? 'run'}${event.pass ? ` (pass ${event.pass})` : ''}:`];
  parts.push(
    event.total !== null
      ? `${number.format(event.done)}/${number.format(event.total)}${event.percent !== null ? ` (${event.percent}%)` : ''}`
      : number.format(event.done),
  );
  parts.push(`${number.format(event.rate)}/s`);
  if (event.etaSeconds !== null && event.percent !== null && event.percent < 100)
    parts.push(`ETA ${event.etaSeconds}s`);
  const counts = Object.entries(event.counts)
    .filter(([, value]) => value > 0)
    .slice(0, 6)
    .map(([name, value]) => `${name} ${number.format(value)}`);
  if (counts.length > 0) parts.push(`[${counts.join(', ')}]`);
  if (event.message) parts.push(`- ${event.message}`);
  return parts.join(' ');
}

export class ProgressPrinter {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly intervalMs = io.stderrIsTTY ? 200 : 2000,
  ) {}

  show(event: ProgressEvent): void {
    const now = Date.now();
    const final = event.percent === 100;
    if (!final && !event.message && now - this.last < this.intervalMs) return;
    this.last = now;
    const line = formatProgress(event);
    if (this.io.stderrIsTTY) {
      this.io.stderr(`\r\u001b[2K${line}`);
      this.drawn = true;
    } else {
      this.io.stderr(`${line}\n`);
    }
  }

  /** Ends a redrawn line so the next output starts on its own line. */
  done(): void {
    if (this.drawn) this.io.stderr('\n');
    this.drawn = false;
  }
}
