import { describe, expect, it } from 'vitest';
import {
  childNameFilter,
  compilePathMatcher,
  compileRegex,
  filterChildNames,
  globToRegexSource,
  MAX_PATTERN_LENGTH,
} from '../../../shared/path-match';

function matcher(mode: 'prefix' | 'glob' | 'regex', pattern: string, caseSensitive = true) {
  const compiled = compilePathMatcher(mode, pattern, { caseSensitive });
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.value;
}

describe('path matching', () => {
  it('prefix: a pattern with a leading / is a path prefix, any other a name prefix', () => {
    expect(matcher('prefix', '/pegasus/apps')('/pegasus/apps/12')).toBe(true);
    expect(matcher('prefix', '/pegasus/apps')('/other/pegasus/apps')).toBe(false);
    expect(matcher('prefix', 'meta')('/pegasus/meta.lock')).toBe(true);
    expect(matcher('prefix', 'meta')('/meta/lock')).toBe(false);
    expect(matcher('prefix', 'META', false)('/a/meta.lock')).toBe(true);
    expect(matcher('prefix', 'META')('/a/meta.lock')).toBe(false);
  });

  it('glob: * stays within a segment, ** crosses segments, ? is one character', () => {
    expect(matcher('glob', '/apps/*/0')('/apps/12/0')).toBe(true);
    expect(matcher('glob', '/apps/*/0')('/apps/12/x/0')).toBe(false);
    expect(matcher('glob', '/apps/**/0')('/apps/12/x/0')).toBe(true);
    expect(matcher('glob', '/apps/?')('/apps/1')).toBe(true);
    expect(matcher('glob', '/apps/?')('/apps/12')).toBe(false);
    expect(matcher('glob', '*.json')('/conf/a.json')).toBe(true);
    expect(matcher('glob', '*.json')('/conf/a.json/b')).toBe(false);
  });

  it('glob: classes and negated classes; everything else literal (dots, parentheses, plus)', () => {
    expect(matcher('glob', 'node-[0-2]')('/x/node-1')).toBe(true);
    expect(matcher('glob', 'node-[!0-2]')('/x/node-1')).toBe(false);
    expect(matcher('glob', 'node-[!0-2]')('/x/node-7')).toBe(true);
    expect(matcher('glob', 'a.b')('/axb')).toBe(false);
    expect(matcher('glob', 'f(1)+')('/f(1)+')).toBe(true);
  });

  it('glob: an unclosed class is an error that says where', () => {
    expect(globToRegexSource('abc[de')).toEqual({
      ok: false,
      error: "'abc[de' has a '[' at position 4 without a closing ']'",
    });
  });

  it('regex: searched, not anchored, unless the pattern anchors itself', () => {
    expect(matcher('regex', 'apps/\\d+$')('/pegasus/apps/12')).toBe(true);
    expect(matcher('regex', '^apps')('/apps/1')).toBe(false);
    expect(matcher('regex', 'LOCK', false)('/meta.lock')).toBe(true);
  });

  it('regex: one that does not compile gives the engine reason, not an exception', () => {
    expect(compileRegex('apps/(')).toEqual({
      ok: false,
      error: "'apps/(' is not a valid regular expression: Unterminated group",
    });
    expect(compileRegex('[z-a]')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Range out of order/),
    });
    expect(compilePathMatcher('regex', 'x'.repeat(MAX_PATTERN_LENGTH + 1))).toEqual({
      ok: false,
      error: `is longer than ${MAX_PATTERN_LENGTH} characters`,
    });
    expect(compilePathMatcher('glob', '')).toEqual({ ok: false, error: 'is empty' });
  });
});

describe('filter as you type', () => {
  const names = ['app-1', 'app-10', 'App-2', 'lock', 'meta.lock'];

  it('is a case-insensitive substring without wildcards', () => {
    expect(filterChildNames(names, 'APP')).toEqual(['app-1', 'app-10', 'App-2']);
    expect(filterChildNames(names, 'lock')).toEqual(['lock', 'meta.lock']);
  });

  it('is a whole-name glob with wildcards', () => {
    expect(filterChildNames(names, 'app-?')).toEqual(['app-1', 'App-2']);
    expect(filterChildNames(names, '*.lock')).toEqual(['meta.lock']);
  });

  it('returns the same list (no copy) for an empty filter, and nothing for a broken glob', () => {
    expect(filterChildNames(names, '  ')).toBe(names);
    expect(childNameFilter('')).toBeUndefined();
    expect(filterChildNames(names, 'app[')).toEqual([]);
  });

  it('filters 100,000 names in well under a frame budget per keystroke', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `child-${String(i).padStart(6, '0')}`);
    const started = performance.now();
    const result = filterChildNames(many, '9999');
    const elapsed = performance.now() - started;
    // 009999, 019999 ... 089999, and 099990 ... 099999
    expect(result).toHaveLength(19);
    expect(result[0]).toBe('child-009999');
    expect(result.at(-1)).toBe('child-099999');
    expect(elapsed).toBeLessThan(200);
  });
});
