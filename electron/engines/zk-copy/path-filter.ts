/**
 * Include / exclude globs over paths relative to the copy root.
 *
 * Semantics (what an operator expects from `--include '/apps/**' --exclude '/apps/* /tmp'`):
 * - a node matched by an exclude glob is left out with its whole subtree;
 * - with include globs, a node is in scope when it or an ancestor matches one; nodes above a possible
 *   match are walked and created when missing (a child cannot exist without its parent) but are
 *   otherwise not compared or rewritten: their scope is 'structural';
 * - `*` matches within one path segment, `?` one character, `**` any number of segments.
 */

export type Scope = 'full' | 'structural';

/** A glob compiled to one matcher per segment ('**' kept as a marker). */
type Segment = { any: true } | { any: false; regex: RegExp };

function compileSegment(text: string): Segment {
  if (text === '**') return { any: true };
  let source = '';
  for (const char of text) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return { any: false, regex: new RegExp(`^${source}$`) };
}

export interface CompiledGlob {
  text: string;
  segments: Segment[];
}

/** Compiles a glob; a leading '/' is optional, the root itself is '/' or ''. */
export function compileGlob(text: string): CompiledGlob {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('A path glob must not be empty: use /** for everything');
  const body = trimmed.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments = body === '' ? [] : body.split('/').map(compileSegment);
  return { text, segments };
}

function splitRel(rel: string): string[] {
  return rel === '' || rel === '/' ? [] : rel.slice(1).split('/');
}

/** Whether the glob matches the whole of `names`. */
function matchesAll(segments: Segment[], names: string[], si = 0, ni = 0): boolean {
  if (si === segments.length) return ni === names.length;
  const segment = segments[si]!;
  if (segment.any) {
    for (let skip = ni; skip <= names.length; skip += 1) {
      if (matchesAll(segments, names, si + 1, skip)) return true;
    }
    return false;
  }
  if (ni === names.length) return false;
  return segment.regex.test(names[ni]!) && matchesAll(segments, names, si + 1, ni + 1);
}

/** Whether `names` can be the beginning of a path the glob matches (so descending may find one). */
function matchesPrefix(segments: Segment[], names: string[], si = 0, ni = 0): boolean {
  if (ni === names.length) return true;
  if (si === segments.length) return false;
  const segment = segments[si]!;
  if (segment.any) return true;
  return segment.regex.test(names[ni]!) && matchesPrefix(segments, names, si + 1, ni + 1);
}

export function globMatches(glob: CompiledGlob, rel: string): boolean {
  return matchesAll(glob.segments, splitRel(rel));
}

export class PathFilter {
  private readonly includes: CompiledGlob[];
  private readonly excludes: CompiledGlob[];

  constructor(include: readonly string[] = [], exclude: readonly string[] = []) {
    this.includes = include.map(compileGlob);
    this.excludes = exclude.map(compileGlob);
  }

  get isEmpty(): boolean {
    return this.includes.length === 0 && this.excludes.length === 0;
  }

  /** The scope of the copy root itself. */
  rootScope(): Scope | 'skip' {
    return this.classify('', 'structural');
  }

  /**
   * The scope of a node given its parent's: 'skip' leaves it (and its subtree) out. Children of a
   * 'full' node are 'full' unless excluded.
   */
  classify(rel: string, parentScope: Scope): Scope | 'skip' {
    // No exclude can match and the parent is in: the common case, decided without splitting.
    if (this.excludes.length === 0 && (parentScope === 'full' || this.includes.length === 0)) return 'full';
    const names = splitRel(rel);
    if (this.excludes.some((glob) => matchesAll(glob.segments, names))) return 'skip';
    if (this.includes.length === 0 || parentScope === 'full') return 'full';
    if (this.includes.some((glob) => matchesAll(glob.segments, names))) return 'full';
    if (this.includes.some((glob) => matchesPrefix(glob.segments, names))) return 'structural';
    return 'skip';
  }
}
