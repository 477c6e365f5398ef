import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatDateTime } from '../../../renderer/src/lib/date-time';

describe('the one date format', () => {
  // Built from local parts: the helper prints local time, whatever the machine's zone.
  const at = new Date(2026, 11, 6, 9, 4, 5).getTime();
  it('prints year first, 24-hour, zero-padded, to the second', () => {
    expect(formatDateTime(at)).toBe('2026-12-06 09:04:05');
    expect(formatDate(at)).toBe('2026-12-06');
    expect(formatClock(at)).toBe('09:04:05');
    expect(formatClock(new Date(2026, 0, 1, 23, 59, 59).getTime())).toBe('23:59:59');
  });
});
