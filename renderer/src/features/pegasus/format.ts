/** How the Pegasus views print times, counts and addresses. */
import { formatDate, formatDateTime } from '../../lib/date-time';

/** Epoch seconds (as Pegasus stores them) as a local date and time, or '-' when unknown. */
export function formatEpochSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '-' : formatDateTime(seconds * 1000);
}

/** Epoch seconds as a local date only, for a narrow grid column (the time goes in its title). */
export function formatEpochSecondsDate(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '-' : formatDate(seconds * 1000);
}

export function formatEpochMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : formatDateTime(ms);
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : value.toLocaleString('en-US');
}

/** "3 of 8" style, for partitions found against declared. */
export function formatRatio(part: number, whole: number): string {
  return part === whole ? String(whole) : `${part} / ${whole}`;
}
