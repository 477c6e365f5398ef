/**
 * Parses a command's arguments against its flag specs: `--flag value`, `--flag=value`, repeatable
 * flags, booleans, and `--` to end the flags. Unknown flags and missing values are usage errors that
 * name the flag, never silently ignored (a typo in --mode must not run a copy in another mode).
 */
import { type FlagSpec, type ParsedArgs, UsageError } from './command';

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const parsed: ParsedArgs = { positionals: [], flags: {} };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option '${arg}'`);
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`Unknown option '--${name}'`);
    if (spec.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      parsed.flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name} needs a value${spec.value ? ` (${spec.value})` : ''}`);
      }
      index += 1;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got '${value}'`);
    }
    if (spec.repeat) {
      const list = (parsed.flags[name] as string[] | undefined) ?? [];
      list.push(value);
      parsed.flags[name] = list;
    } else {
      parsed.flags[name] = value;
    }
  }
  return parsed;
}

/** The usage text of a command, from its specs. */
export function usageText(words: readonly string[], usage: string, specs: readonly FlagSpec[]): string {
  const lines = [`Usage: mdesk ${words.join(' ')}${usage ? ` ${usage}` : ''} [options]`, '', 'Options:'];
  for (const spec of specs) {
    const head =
      spec.kind === 'boolean'
        ? `--${spec.name}`
        : `--${spec.name} ${spec.choices ? spec.choices.join('|') : (spec.value ?? 'VALUE')}${spec.repeat ? ' (repeatable)' : ''}`;
    lines.push(`  ${head.padEnd(44)} ${spec.help}`);
  }
  return lines.join('\n');
}
