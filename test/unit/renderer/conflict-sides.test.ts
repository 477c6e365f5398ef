import { describe, expect, it } from 'vitest';
import { conflictSides, firstDifference, hexLines } from '../../../renderer/src/lib/conflict-sides';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('conflict sides', () => {
  it('shows text sides when both are clean UTF-8, with where they first differ', () => {
    const sides = conflictSides(utf8('{"replicas":3}'), utf8('{"replicas":5}'));
    expect(sides).toEqual({
      representation: 'text',
      theirs: '{"replicas":3}',
      yours: '{"replicas":5}',
      identical: false,
      firstDifference: 12,
      summary: 'Theirs: 14 bytes; yours: 14 bytes. They first differ at byte 12.',
    });
  });

  it('falls back to hex lines on both sides when either one is binary', () => {
    const sides = conflictSides(utf8('text'), new Uint8Array([0x74, 0x00, 0xff]));
    expect(sides.representation).toBe('hex');
    expect(sides.theirs).toBe('00000000  74 65 78 74                                       |text|');
    expect(sides.yours).toMatch(/^00000000 {2}74 00 ff /);
    expect(sides.firstDifference).toBe(1);
  });

  it('says when both sides are identical (someone made the same change)', () => {
    const sides = conflictSides(utf8('same'), utf8('same'));
    expect(sides.identical).toBe(true);
    expect(sides.summary).toMatch(/identical/);
  });

  it('finds the first difference, a prefix included', () => {
    expect(firstDifference(utf8('abc'), utf8('abc'))).toBe(-1);
    expect(firstDifference(utf8('abc'), utf8('abcd'))).toBe(3);
    expect(firstDifference(utf8(''), utf8('a'))).toBe(0);
    expect(hexLines(new Uint8Array(17)).split('\n')).toHaveLength(2);
  });
});
