/**
 * `set_meta_level <level>` and `get_meta_level` (`src/shell/commands/rebalance.cpp`). Both go through
 * RPC_CM_CONTROL_META and print the level with its `fl_` prefix; the level lives only in the leader's
 * memory (reference §1.6), so a failover silently resets it.
 */
import { commandFailed, type ParseResult, parsed, unrecognized } from './parse-result';
import { shellLines } from './shell-text';

export const META_LEVELS = ['stopped', 'blind', 'freezed', 'steady', 'lively'] as const;
export type MetaLevel = (typeof META_LEVELS)[number];

/** 'fl_steady' or 'steady' -> 'steady'; anything else (fl_invalid, typos) -> null. */
export function normalizeMetaLevel(text: string): MetaLevel | null {
  const bare = text.trim().toLowerCase().replace(/^fl_/, '');
  return (META_LEVELS as readonly string[]).includes(bare) ? (bare as MetaLevel) : null;
}

export interface SetMetaLevelResult {
  /** The level before this command, as the leader reported it. */
  oldLevel: MetaLevel | null;
  oldLevelRaw: string;
}

export function parseSetMetaLevel(text: string): ParseResult<SetMetaLevelResult> {
  const lines = shellLines(text);
  for (const line of lines) {
    const ok = /^control meta level ok, the old level is (\S+)/.exec(line.trim());
    if (ok) return parsed({ oldLevel: normalizeMetaLevel(ok[1]!), oldLevelRaw: ok[1]! });
    if (/^control meta level got error/.test(line.trim())) {
      return commandFailed('set_meta_level', line, 'The meta server refused set_meta_level');
    }
    if (/^parse .* as meta function level failed/.test(line.trim())) {
      return commandFailed('set_meta_level', line, 'The shell did not accept the level');
    }
  }
  return unrecognized('set_meta_level', lines, 'no "control meta level ok" line');
}

export interface GetMetaLevelResult {
  level: MetaLevel | null;
  levelRaw: string;
}

export function parseGetMetaLevel(text: string): ParseResult<GetMetaLevelResult> {
  const lines = shellLines(text);
  for (const line of lines) {
    const ok = /^current meta level is (\S+)/.exec(line.trim());
    if (ok) return parsed({ level: normalizeMetaLevel(ok[1]!), levelRaw: ok[1]! });
    if (/^get meta level got error/.test(line.trim())) {
      return commandFailed('get_meta_level', line, 'The meta server did not answer get_meta_level');
    }
  }
  return unrecognized('get_meta_level', lines, 'no "current meta level is" line');
}
