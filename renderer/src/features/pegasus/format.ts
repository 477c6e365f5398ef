/** How the Pegasus views print times, counts and addresses. */
import { formatLocalDateTime } from '../../lib/relative-time';

/** Epoch seconds (as Pegasus stores them) as a local date and time, or '-' when unknown. */
export function formatEpochSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '-' : formatLocalDateTime(seconds * 1000);
}

/** Epoch seconds as a local date only, for a narrow grid column (the time goes in its title). */
export function formatEpochSecondsDate(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined
    ? '-'
    : new Date(seconds * 1000).toLocaleDateString(undefined, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
}

export function formatEpochMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : formatLocalDateTime(ms);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : value.toLocaleString('en-US');
}

/** "3 of 8" style, for partitions found against declared. */
export function formatRatio(part: number, whole: number): string {
  return part === whole ? String(whole) : `${part} / ${whole}`;
}
