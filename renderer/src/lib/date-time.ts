/**
 * How every view prints a date or a time: local time, year first, 24-hour, e.g. "2026-12-06 12:40:38".
 * One format across the app, so that an operator lining up a run's log with a node's mtime and a
 * snapshot's capture compares like with like, whatever the browser's locale would have printed.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-06": the date alone, for a narrow column (the full time goes in its title). */
export function formatDate(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "12:40:38": the time of day alone, for events of the session at hand (a log line, a change mark). */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "2026-12-06 12:40:38": a date and time, local. */
export function formatDateTime(epochMs: number): string {
  return `${formatDate(epochMs)} ${formatClock(epochMs)}`;
}
