/**
 * GeneratedCommand construction and the checks every builder shares. A builder refuses, with a
 * CommandOptionError naming the option, anything the tool would reject or misread (a table name the
 * meta refuses, a partition count of 0, an address the shell cannot parse), so a manual step never
 * shows a command that cannot work.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { adminCliLine, CommandOptionError, pegasusShellLine } from './quoting';

/** Lines typed into the Pegasus shell; `argv` is set when it is a single command. */
export function pegasusShellCommand(label: string, lines: readonly (readonly string[])[]): GeneratedCommand {
  return {
    label,
    kind: 'pegasus-shell',
    text: lines.map(pegasusShellLine).join('\n'),
    ...(lines.length === 1 ? { argv: [...lines[0]!] } : {}),
  };
}

export function adminCliCommand(label: string, lines: readonly (readonly string[])[]): GeneratedCommand {
  return {
    label,
    kind: 'admin-cli',
    text: lines.map(adminCliLine).join('\n'),
    ...(lines.length === 1 ? { argv: [...lines[0]!] } : {}),
  };
}

/** The lines of a 'pegasus-shell' or 'admin-cli' command, as a runner's `run(commands)` takes them. */
export function toolLines(command: GeneratedCommand): string[] {
  if (command.kind !== 'pegasus-shell' && command.kind !== 'admin-cli') {
    throw new CommandOptionError(`'${command.label}' is a ${command.kind} command, not tool input`);
  }
  return command.text.split('\n');
}

/** Pegasus table names (`replication_ddl_client::valid_app_char`): letters, digits, _ . : */
export function checkTableName(name: string, option = 'table name'): string {
  if (!/^[A-Za-z0-9_.:]+$/.test(name)) {
    throw new CommandOptionError(
      `The ${option} ${JSON.stringify(name)} is not a valid Pegasus table name: use letters, digits, '_', '.' or ':'`,
    );
  }
  return name;
}

/** A cluster name as listed in `[pegasus.clusters]`. */
export function checkClusterName(name: string, option = 'cluster name'): string {
  if (!/^[^\s=[\];#"'\\]+$/.test(name)) {
    throw new CommandOptionError(
      `The ${option} ${JSON.stringify(name)} must be one word, as in [pegasus.clusters] (no spaces, = [ ] ; # or quotes)`,
    );
  }
  return name;
}

export function checkInteger(
  value: number,
  option: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): string {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new CommandOptionError(`${option} must be a whole number ${range}, got ${value}`);
  }
  return String(value);
}

/** `ip:port`: what the shell's `from_string_ipv4` accepts (recover, remote_command -l, admin-cli -m). */
export function checkIpv4Address(address: string, option: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(address.trim());
  const valid =
    match?.slice(1, 5).every((octet) => Number(octet) <= 255) === true &&
    Number(match[5]) >= 1 &&
    Number(match[5]) <= 65535;
  if (!valid) {
    throw new CommandOptionError(
      `${option}: ${JSON.stringify(address)} must be ip:port (e.g. 10.0.0.11:34801); the Pegasus tools do not resolve host names here`,
    );
  }
  return address.trim();
}

export function checkOneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CommandOptionError(
      `${option} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

export function checkText(value: string, option: string): string {
  if (value.trim() === '') throw new CommandOptionError(`${option} is required`);
  return value;
}
