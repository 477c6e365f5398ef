/**
 * ZooKeeper path rules, as the server enforces them (PathUtils.validatePath), so a bad path is
 * refused before it reaches the network with a message that names the problem.
 */

/**
 * Paths of plain names (letters, digits, _ . : @ -, no '.' or '..' segment) are valid by every rule
 * below: one regex instead of a walk over each character, which a copy of 100k nodes paid for every
 * path it wrote (~0.1 s of CPU).
 */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[\w.:@-]+)+$/;

/** Returns undefined for a valid absolute path, or a message that says what is wrong. */
export function validateZkPath(path: string): string | undefined {
  if (PLAIN_PATH.test(path)) return undefined;
  if (path === '') return 'path is empty: paths start with /';
  if (!path.startsWith('/')) return `'${path}' must start with '/'`;
  if (path === '/') return undefined;
  if (path.endsWith('/')) return `'${path}' must not end with '/'`;
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return `'${path}' has an empty segment ('//')`;
    if (segment === '.' || segment === '..') return `'${path}' has a relative segment '${segment}'`;
  }
  for (const char of path) {
    const code = char.codePointAt(0) ?? 0;
    const illegal =
      code === 0 ||
      (code > 0x00 && code <= 0x1f) ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0xd800 && code <= 0xf8ff) ||
      (code >= 0xfff0 && code <= 0xffff) ||
      // Java checks UTF-16 units: an astral character (emoji) is a surrogate pair, refused by the server.
      code > 0xffff;
    if (illegal)
      return `'${path}' contains an illegal character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  }
  return undefined;
}

export function joinZkPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

export function parentZkPath(path: string): string {
  if (path === '/') return '/';
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

export function zkPathName(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}
