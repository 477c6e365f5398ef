import { describe, expect, it } from 'vitest';
import { compileGlob, globMatches, PathFilter } from '../../../electron/engines/zk-copy/path-filter';

describe('globs', () => {
  it('match * within a segment, ? one character, ** any depth; the leading / is optional', () => {
    expect(globMatches(compileGlob('/apps/*'), '/apps/t1')).toBe(true);
    expect(globMatches(compileGlob('/apps/*'), '/apps/t1/p0')).toBe(false);
    expect(globMatches(compileGlob('apps/**'), '/apps/t1/p0')).toBe(true);
    expect(globMatches(compileGlob('/apps/**'), '/apps')).toBe(true);
    expect(globMatches(compileGlob('/**/lock-??'), '/a/b/lock-07')).toBe(true);
    expect(globMatches(compileGlob('/a.b'), '/axb')).toBe(false);
    expect(globMatches(compileGlob('/'), '')).toBe(true);
    expect(() => compileGlob('  ')).toThrow(/must not be empty/);
  });
});

describe('PathFilter', () => {
  it('keeps everything without globs', () => {
    const filter = new PathFilter();
    expect(filter.rootScope()).toBe('full');
    expect(filter.classify('/anything/below', 'full')).toBe('full');
  });

  it('leaves out an excluded node with its subtree', () => {
    const filter = new PathFilter([], ['/apps/*/tmp']);
    expect(filter.classify('/apps/t1/tmp', 'full')).toBe('skip');
    expect(filter.classify('/apps/t1/data', 'full')).toBe('full');
  });

  it('includes matches with their subtrees, and walks their ancestors as structure only', () => {
    const filter = new PathFilter(['/apps/t1']);
    expect(filter.rootScope()).toBe('structural');
    expect(filter.classify('/apps', 'structural')).toBe('structural');
    expect(filter.classify('/apps/t1', 'structural')).toBe('full');
    expect(filter.classify('/apps/t1/p0', 'full')).toBe('full');
    expect(filter.classify('/apps/t2', 'structural')).toBe('skip');
    expect(filter.classify('/other', 'structural')).toBe('skip');
  });

  it('lets an exclude win inside an include', () => {
    const filter = new PathFilter(['/apps/**'], ['/apps/secret']);
    expect(filter.classify('/apps/secret', 'full')).toBe('skip');
    expect(filter.classify('/apps/open', 'full')).toBe('full');
  });
});
