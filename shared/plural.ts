/**
 * Counts as an operator reads them: "1 write request", "7 write requests", "1,200 nodes", never
 * "request(s)". English only, as the rest of the app. In shared/ so the host's errors, step summaries and
 * CLI output read the same as the renderer's.
 */

const grouped = new Intl.NumberFormat('en-US');

/** The noun that goes with `count`: `one` for exactly 1, `many` (default `one` + "s") otherwise. */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** "1 node", "1,200 nodes": the count grouped, then its noun. */
export function countOf(count: number, one: string, many?: string): string {
  return `${grouped.format(count)} ${noun(count, one, many)}`;
}
