/**
 * Matching ZooKeeper paths and node names: by prefix, glob or regex (subtree search), and the
 * filter-as-you-type of a node's children. Pure and shared: the host searches with it, the renderer
 * filters with it, and a pattern that does not compile gets the same message on both sides.
 *
 * Rules an operator can predict:
 * - a pattern that starts with '/' is matched against the whole path, any other against the node's
 *   name (its last segment), so `*.json` and `/apps/* /0` (no space) both do what they say;
 * - glob: `*` any run of characters within one segment, `**` any run across segments, `?` one
 *   character, `[abc]` / `[!abc]` a class; everything else is literal;
 * - regex: JavaScript syntax, searched (not anchored) unless the pattern anchors itself.
 */

export type PathMatchMode = 'prefix' | 'glob' | 'regex';

export interface MatchOptions {
  /** Default true: ZooKeeper paths are case-sensitive. */
  caseSensitive?: boolean;
}

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: string };

/** Longest pattern accepted: a guard against pathological regexes pasted by accident. */
export const MAX_PATTERN_LENGTH = 500;

/** Compiles a regex, or says why it does not compile (the engine's own message, which names the problem). */
export function compileRegex(source: string, options: MatchOptions = {}): Compiled<RegExp> {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  try {
    return { ok: true, value: new RegExp(source, options.caseSensitive === false ? 'i' : '') };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // "Invalid regular expression: /(/u: Unterminated group" -> "Unterminated group"
    const reason = message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return { ok: false, error: `'${source}' is not a valid regular expression: ${reason}` };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Translates a glob to an anchored regex source; unbalanced '[' is an error, not a literal. */
export function globToRegexSource(glob: string): Compiled<string> {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else {
        out += '[^/]*';
      }
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0)
        return { ok: false, error: `'${glob}' has a '[' at position ${i + 1} without a closing ']'` };
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else {
      out += escapeRegex(char);
    }
  }
  return { ok: true, value: `^${out}$` };
}

function subjectOf(pattern: string): (path: string) => string {
  if (pattern.startsWith('/')) return (path) => path;
  return (path) => (path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1));
}

/** A predicate over absolute paths for a search pattern, or the reason the pattern is unusable. */
export function compilePathMatcher(
  mode: PathMatchMode,
  pattern: string,
  options: MatchOptions = {},
): Compiled<(path: string) => boolean> {
  if (pattern === '') return { ok: false, error: 'is empty' };
  const caseSensitive = options.caseSensitive !== false;
  if (mode === 'regex') {
    const regex = compileRegex(pattern, options);
    if (!regex.ok) return regex;
    return { ok: true, value: (path) => regex.value.test(path) };
  }
  const subject = subjectOf(pattern);
  if (mode === 'prefix') {
    const wanted = caseSensitive ? pattern : pattern.toLowerCase();
    return {
      ok: true,
      value: caseSensitive
        ? (path) => subject(path).startsWith(wanted)
        : (path) => subject(path).toLowerCase().startsWith(wanted),
    };
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  const source = globToRegexSource(pattern);
  if (!source.ok) return source;
  const regex = new RegExp(source.value, caseSensitive ? 's' : 'si');
  return { ok: true, value: (path) => regex.test(subject(path)) };
}

/** Whether a filter text is a glob (has a wildcard) rather than a plain substring. */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * The filter of a node's child names as the operator types: a case-insensitive substring, or a
 * case-insensitive glob over the name when the text has a wildcard. Returns undefined for an empty
 * filter (everything matches) and a predicate that matches nothing for an unusable glob.
 */
export function childNameFilter(text: string): ((name: string) => boolean) | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!isGlob(trimmed)) {
    const needle = trimmed.toLowerCase();
    return (name) => name.toLowerCase().includes(needle);
  }
  const source = globToRegexSource(trimmed);
  if (!source.ok) return () => false;
  const regex = new RegExp(source.value, 'si');
  return (name) => regex.test(name);
}

/** Applies a child-name filter, keeping the (sorted) order; the input itself when nothing is filtered. */
export function filterChildNames(names: readonly string[], text: string): readonly string[] {
  const predicate = childNameFilter(text);
  if (!predicate) return names;
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (predicate(name)) out.push(name);
  }
  return out;
}
