/**
 * `copy_data` and `count_data` (`src/shell/commands/data_operations.cpp`), all on stderr: `INFO: key =
 * value` parameter lines, `INFO: prepare scanners succeed, split_count = N`, then every second
 * `INFO: processed for <s> seconds, (<done>/<total>) splits, total <rows> rows, last second <delta>
 * rows` (with `, error occurred, terminating...` once a write failed), then `INFO: split[i]: N rows`
 * per split and `Copy done, total N rows.` / `Copy terminated, …` (count_data: `Count done, …`,
 * `Count terminated as error occurred, …`). The progress line is parsed on its own too, so a step
 * can feed each line as it streams in.
 */
import { type ParseResult, parsed, ShellParseError, unrecognized } from './parse-result';
import { shellLines } from './shell-text';

export interface ScanProgress {
  seconds: number;
  completedSplits: number;
  totalSplits: number;
  totalRows: number;
  lastSecondRows: number;
  /** The shell saw a failed write and is stopping every split. */
  errorOccurred: boolean;
}

const PROGRESS =
  /INFO: processed for (\d+) seconds, \((\d+)\/(\d+)\) splits, total (\d+) rows, last second (-?\d+) rows(, error occurred, terminating)?/;

/** One progress line, or null for any other line. */
export function parseScanProgressLine(line: string): ScanProgress | null {
  const match = PROGRESS.exec(line);
  if (!match) return null;
  return {
    seconds: Number(match[1]),
    completedSplits: Number(match[2]),
    totalSplits: Number(match[3]),
    totalRows: Number(match[4]),
    lastSecondRows: Number(match[5]),
    errorOccurred: match[6] !== undefined,
  };
}

export type ScanOutcome =
  /** `Copy done` / `Count done`. */
  | 'done'
  /** `… terminated`: a write failed (copy) or an error or the run time ended (count). */
  | 'terminated'
  /** Refused before scanning (bad option, no target app, scanner failed): see `errors`. */
  | 'not-started'
  /** No final line: the shell was stopped, or the output is still coming. */
  | 'incomplete';

export interface ScanResult {
  operation: 'copy_data' | 'count_data';
  outcome: ScanOutcome;
  /** `INFO: key = value` lines before the scan (source/target cluster and app, filters, batch size...). */
  parameters: Record<string, string>;
  splitCount: number | null;
  /** Every progress line, in order. */
  progress: ScanProgress[];
  /** `INFO: split[i]: N rows`. */
  splitRows: number[];
  /** From the final line, else the last progress line. */
  totalRows: number | null;
  /** `ERROR: …` lines (the failed write's cause, a refused option). */
  errors: string[];
  /** For `terminated`: why, from the final line (`as run time used out`, `as error occurred`). */
  terminationReason: string | null;
}

export function parseScan(text: string, operation: 'copy_data' | 'count_data'): ParseResult<ScanResult> {
  const word = operation === 'copy_data' ? 'Copy' : 'Count';
  const lines = shellLines(text).map((line) => line.trim());
  const result: ScanResult = {
    operation,
    outcome: 'incomplete',
    parameters: {},
    splitCount: null,
    progress: [],
    splitRows: [],
    totalRows: null,
    errors: [],
    terminationReason: null,
  };
  const final = new RegExp(`^${word} (done|terminated(?: (.*?))?), total (\\d+) rows\\.?$`);
  for (const line of lines) {
    const progress = parseScanProgressLine(line);
    if (progress) {
      result.progress.push(progress);
      continue;
    }
    const split = /^INFO: split\[(\d+)\]: (\d+) rows/.exec(line);
    const scanners = /^INFO: prepare scanners succeed, split_count = (\d+)/.exec(line);
    const parameter = /^INFO: ([a-z_]+) = (.*)$/.exec(line);
    const end = final.exec(line);
    if (split) result.splitRows[Number(split[1])] = Number(split[2]);
    else if (scanners) result.splitCount = Number(scanners[1]);
    else if (parameter) result.parameters[parameter[1]!] = parameter[2]!.replace(/^"(.*)"$/, '$1');
    else if (/^ERROR: /.test(line)) result.errors.push(line.slice('ERROR: '.length));
    else if (end) {
      result.outcome = end[1] === 'done' ? 'done' : 'terminated';
      result.terminationReason = end[2] ?? (end[1] === 'done' ? null : 'error occurred');
      result.totalRows = Number(end[3]);
    }
  }
  const last = result.progress.at(-1);
  if (result.totalRows === null && last) result.totalRows = last.totalRows;
  if (result.outcome === 'incomplete' && result.progress.length === 0 && result.errors.length > 0) {
    result.outcome = 'not-started';
    const cause = result.errors[0]!;
    return {
      ok: false,
      error: new ShellParseError(
        operation,
        'command-failed',
        `${operation} did not start: ${cause}`,
        cause,
        null,
      ),
    };
  }
  if (
    result.outcome === 'incomplete' &&
    result.progress.length === 0 &&
    Object.keys(result.parameters).length === 0
  ) {
    return unrecognized(operation, lines, `no INFO lines and no "${word} done" line`);
  }
  return parsed(result);
}

export const parseCopyData = (text: string) => parseScan(text, 'copy_data');
export const parseCountData = (text: string) => parseScan(text, 'count_data');
