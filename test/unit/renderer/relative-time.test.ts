import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from '../../../renderer/src/lib/relative-time';

describe('formatRelativeTime', () => {
  const now = Date.UTC(2025, 0, 15, 12, 0, 0);
  it('picks the largest whole unit', () => {
    expect(formatRelativeTime(now - 5_000, now, 'en')).toBe('5 seconds ago');
    expect(formatRelativeTime(now - 3 * 60_000, now, 'en')).toBe('3 minutes ago');
    expect(formatRelativeTime(now - 2 * 3600_000, now, 'en')).toBe('2 hours ago');
    expect(formatRelativeTime(now - 24 * 3600_000, now, 'en')).toBe('yesterday');
    expect(formatRelativeTime(now - 400 * 24 * 3600_000, now, 'en')).toBe('last year');
    expect(formatRelativeTime(now, now, 'en')).toBe('now');
  });
});
