/**
 * `recover -f file | -s list [-w wait] [-b] [-l]` (`replication_ddl_client::do_recovery`): the
 * parameters, the node list between `=====` lines, `Wait recovery for i seconds` while waiting, then
 * `Recover result: ERR_*` and an optional hint block between `=====` lines (warnings about partly
 * collected partitions, or the errors that made it ERR_TRY_AGAIN). Waiting out `-w` prints `Wait
 * recovery failed, administrator should check the meta for progress` instead of a result.
 */
import { type ParseResult, parsed, ShellParseError, unrecognized } from './parse-result';
import { shellLines } from './shell-text';

export interface RecoverResult {
  waitSeconds: number | null;
  skipBadNodes: boolean | null;
  skipLostPartitions: boolean | null;
  /** The nodes the shell sent, as it printed them. */
  nodes: string[];
  /** `Wait recovery for i seconds` lines seen. */
  waitedSeconds: number;
  /** `ERR_OK`, `ERR_TRY_AGAIN`, ...; null when the shell gave up waiting. */
  result: string | null;
  ok: boolean;
  /** The shell stopped waiting before the meta answered: the recovery may still be running. */
  timedOut: boolean;
  /** The hint block, one entry per line. */
  hints: string[];
  /** Hints that start with ERROR: (why ERR_TRY_AGAIN) and WARNING: (possible data loss). */
  errors: string[];
  warnings: string[];
  /** `duplicate replica node x, just ingore it` lines. */
  duplicateNodes: string[];
}

const COMMAND = 'recover';
const RULE = /^=+$/;

export function parseRecover(text: string): ParseResult<RecoverResult> {
  const lines = shellLines(text).map((line) => line.trim());
  const result: RecoverResult = {
    waitSeconds: null,
    skipBadNodes: null,
    skipLostPartitions: null,
    nodes: [],
    waitedSeconds: 0,
    result: null,
    ok: false,
    timedOut: false,
    hints: [],
    errors: [],
    warnings: [],
    duplicateNodes: [],
  };
  let sawHeader = false;
  /** Lines between two `=====` rules, from the rule at `rule`; returns them and the closing index. */
  const ruled = (rule: number): { body: string[]; end: number } => {
    let next = rule + 1;
    const body: string[] = [];
    while (next < lines.length && !RULE.test(lines[next]!)) body.push(lines[next++]!);
    return { body, end: next };
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const wait = /^Wait seconds: (\d+)/.exec(line);
    const skipBad = /^Skip bad nodes: (true|false)/.exec(line);
    const skipLost = /^Skip lost partitions: (true|false)/.exec(line);
    const duplicate = /^duplicate replica node (\S+)/.exec(line);
    const outcome = /^Recover result: (\S+)/.exec(line);
    const withFile = /^recover complete with err = (\S+)/.exec(line);
    if (wait) {
      result.waitSeconds = Number(wait[1]);
      sawHeader = true;
    } else if (skipBad) result.skipBadNodes = skipBad[1] === 'true';
    else if (skipLost) result.skipLostPartitions = skipLost[1] === 'true';
    else if (duplicate) result.duplicateNodes.push(duplicate[1]!);
    else if (line === 'Node list:' && RULE.test(lines[index + 1] ?? '')) {
      const { body, end } = ruled(index + 1);
      result.nodes.push(...body);
      index = end;
    } else if (/^Wait recovery for \d+ seconds/.test(line)) result.waitedSeconds += 1;
    else if (/^Wait recovery failed/.test(line)) result.timedOut = true;
    else if (outcome) {
      result.result = outcome[1]!;
      result.ok = outcome[1] === 'ERR_OK';
      if (RULE.test(lines[index + 1] ?? '')) {
        const { body, end } = ruled(index + 1);
        result.hints.push(...body.filter((hint) => hint !== ''));
        index = end;
      }
    } else if (withFile && result.result === null) {
      // With -o the details went to the file; only this line is printed.
      result.result = withFile[1]!;
      result.ok = withFile[1] === 'ERR_OK';
    } else if (
      /^(node set for recovery it empty|no node specified in file|open file .* failed|parse .* failed|should (only )?specify)/.test(
        line,
      )
    ) {
      return {
        ok: false,
        error: new ShellParseError(
          COMMAND,
          'command-failed',
          `The shell refused recover: ${line}`,
          line,
          null,
        ),
      };
    }
  }
  if (!sawHeader && result.result === null)
    return unrecognized(COMMAND, lines, 'no "Wait seconds:" or "Recover result:" line');
  if (result.result === null && !result.timedOut) {
    return unrecognized(COMMAND, lines, 'the output ends before "Recover result:"');
  }
  result.errors = result.hints.filter((hint) => /^ERROR\b/.test(hint));
  result.warnings = result.hints.filter((hint) => /^WARNING\b/.test(hint));
  return parsed(result);
}
