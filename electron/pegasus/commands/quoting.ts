/**
 * Quoting for the three places a generated command is typed: a POSIX shell (`text` of 'shell'
 * commands), the Pegasus shell (its lines are split by `sdssplitargs`, Redis-style: double quotes
 * with `\"`, `\\`, `\n`, `\xHH` escapes), and admin-cli (Go, POSIX-like splitting). A value that
 * needs no quoting is left bare so the command reads the way the docs print it.
 */

const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument for sh/bash: bare when safe, else single-quoted ('\'' for a quote inside). */
export function posixQuote(arg: string): string {
  if (arg === '') return "''";
  if (POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function posixCommand(argv: readonly string[]): string {
  return argv.map(posixQuote).join(' ');
}

/** Characters sdssplitargs treats specially outside quotes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be quoted.
const PEGASUS_SAFE = /^[^\s"'\\\x00-\x1f\x7f]+$/;

/** One argument of a Pegasus shell line, as sdssplitargs reads it back byte for byte. */
export function pegasusShellQuote(arg: string): string {
  if (arg !== '' && PEGASUS_SAFE.test(arg)) return arg;
  let out = '"';
  for (const char of arg) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

export function pegasusShellLine(argv: readonly string[]): string {
  return argv.map(pegasusShellQuote).join(' ');
}

/**
 * admin-cli lines: POSIX-style quoting. A line break cannot be quoted there (it would end the
 * command and start another), so it is refused.
 */
export function adminCliLine(argv: readonly string[]): string {
  const broken = argv.find((arg) => /[\r\n]/.test(arg));
  if (broken !== undefined) {
    throw new CommandOptionError(
      `An admin-cli argument cannot contain a line break: ${JSON.stringify(broken)}`,
    );
  }
  return posixCommand(argv);
}

/** A builder was given an option it cannot turn into a correct command; the message names it. */
export class CommandOptionError extends Error {
  override name = 'CommandOptionError';
}
