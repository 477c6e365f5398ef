/** How the health view writes its figures: counts with separators, bytes in binary units, a dash for unknown. */

export const UNKNOWN = '—';

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? UNKNOWN : value.toLocaleString('en-US');
}

export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return UNKNOWN;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let size = value;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
}

export function formatLatency(latency: { min: number; avg: number; max: number } | null): string {
  if (!latency) return UNKNOWN;
  const avg = Number.isInteger(latency.avg) ? latency.avg : latency.avg.toFixed(1);
  return `${latency.min} / ${avg} / ${latency.max} ms`;
}

/** The version number without the build suffix ("3.8.0", not "3.8.0-${mvngit...}, built on ..."). */
export function shortVersion(version: string | null): string {
  if (!version) return UNKNOWN;
  return /^[\d.]+/.exec(version)?.[0] ?? version;
}
