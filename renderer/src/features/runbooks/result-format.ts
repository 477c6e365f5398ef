/**
 * How a step's result fields read in the run view: words instead of camelCase keys, counts grouped
 * (10,009, not 10009), epoch-millisecond times as dates. Ids and decrees stay as the tools print them,
 * so an operator can paste them into a shell command. The raw value stays on the row's data-value.
 */
import { formatTime } from './run-format';

const count = new Intl.NumberFormat('en-US');

/** The verify and copy counters, named as the Copy view names them. */
const LABELS: Record<string, string> = {
  mismatched: 'data differs',
  aclMismatched: 'ACL differs',
  extraSource: 'only on the source',
  extraTarget: 'only on the target',
  skippedEphemeral: 'ephemeral, skipped',
};

/** Values that are identifiers, not quantities: grouping digits would make them wrong to copy. */
const IDENTIFIER = /(id|ids|decree|zxid|port|version|code)$/i;
/** After 2001-09-09 and before 2286: a number this size in an "...At" field is epoch milliseconds. */
const EPOCH_MS_MIN = 1e12;
const EPOCH_MS_MAX = 1e13;

export function resultLabel(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bacls?\b/g, (word) => word.toUpperCase())
    .replace(/\bzk\b/g, 'ZK')
    .replace(/\bid\b/g, 'ID');
  return words;
}

export function resultValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (/At$/.test(key) && value >= EPOCH_MS_MIN && value < EPOCH_MS_MAX) return formatTime(value);
    if (IDENTIFIER.test(key)) return String(value);
    return count.format(value);
  }
  return String(value);
}
