import { describe, expect, it } from 'vitest';
import { countOf, noun } from '../../../shared/plural';

describe('counts in words', () => {
  it('says 1 request, 0 and 7 requests, grouped, never request(s)', () => {
    expect(countOf(1, 'write request')).toBe('1 write request');
    expect(countOf(7, 'write request')).toBe('7 write requests');
    expect(countOf(0, 'difference')).toBe('0 differences');
    expect(countOf(1200, 'node')).toBe('1,200 nodes');
    expect(countOf(2, 'pass', 'passes')).toBe('2 passes');
    expect(noun(1, 'has', 'have')).toBe('has');
    expect(noun(3, 'has', 'have')).toBe('have');
  });
});
