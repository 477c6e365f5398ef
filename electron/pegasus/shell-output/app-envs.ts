/**
 * Table envs in the shell (after `use <app>`, which answers `OK`): `set_app_envs k v [k v…]` prints
 * `set app envs succeed`, or `set app envs failed with error ERR_* [hint:"…"]!`; without a `use` it
 * prints `No app is using now`. `get_app_envs` prints an `[app_envs]` table (older shells: `get app
 * envs succeed, count = N` then `k = v` lines between `=====` rules).
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { keyValueRows, shellLines, tableNamed } from './shell-text';

export interface SetAppEnvsResult {
  set: true;
}

export function parseSetAppEnvs(text: string): ParseResult<SetAppEnvsResult> {
  const command = 'set_app_envs';
  const lines = shellLines(text).map((line) => line.trim());
  if (lines.includes('set app envs succeed')) return parsed({ set: true });
  const failure = lines.find((line) => /^set app envs? failed/.test(line));
  if (failure) return commandFailed(command, failure, 'The meta server refused the table envs');
  if (lines.includes('No app is using now')) {
    return commandFailed(
      command,
      'No app is using now',
      'No table was selected: the `use <table>` line is missing or failed',
    );
  }
  return unrecognized(command, lines, 'no "set app envs succeed" line');
}

export function parseGetAppEnvs(text: string): ParseResult<Record<string, string>> {
  const command = 'get_app_envs';
  const lines = shellLines(text);
  const failure = lines.find(
    (line) => /^get app envs? failed/.test(line.trim()) || line.trim() === 'No app is using now',
  );
  if (failure) return commandFailed(command, failure, 'The table envs could not be read');
  const table = tableNamed(lines, 'app_envs');
  if (table) return parsed(Object.fromEntries(keyValueRows(table.rows).entries));
  const start = lines.findIndex((line) => /^get app envs succeed, count = \d+/.test(line.trim()));
  if (start >= 0) {
    const envs: Record<string, string> = {};
    for (const line of lines.slice(start + 1)) {
      const match = /^(\S+) = (.*)$/.exec(line.trim());
      if (match) envs[match[1]!] = match[2]!;
    }
    return parsed(envs);
  }
  return unrecognized(command, lines, 'no [app_envs] table');
}

/** `use <app>` answers OK; anything else means the following table commands have no table. */
export function parseUse(text: string): ParseResult<{ used: true }> {
  const lines = shellLines(text).map((line) => line.trim());
  if (lines.includes('OK')) return parsed({ used: true });
  return unrecognized('use', lines, 'no "OK" after use');
}
