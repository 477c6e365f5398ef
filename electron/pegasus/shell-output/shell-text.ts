/**
 * Reading the Pegasus shell's and admin-cli's printed text: the banner the shell prints before any
 * output, prompts, ANSI colours (admin-cli's table headers), and the two shapes of `table_printer`
 * (`src/utils/output_utils.cpp`): a single-column table is `key<pad>: value` rows, a multi-column
 * table is a header row then data rows, every cell padded to its column's width + 2, left- or
 * right-aligned. A `[name]` line starts a named table; `multi_table_printer` ends each with an empty
 * line. Cells never contain two spaces in a row, so two or more spaces separate columns.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what it matches.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** linenoise's `>>> ` (only on a TTY, but transcripts have it) and admin-cli's `Pegasus-AdminCli-x.y.z » `. */
const PROMPT = /^(?:>>>\s?|Pegasus-AdminCli[^»]*»\s?|»\s?)+/;

/** Lines the shell prints on its own, before or after any command's output. */
const BANNER = [
  /^Pegasus Shell\b/,
  /^Type "help" for more information\.?$/,
  /^Type "Ctrl-D" or "Ctrl-C" to exit the shell\.?$/,
  /^The config file is: /,
  /^The cluster name is: /,
  /^The cluster meta list is: /,
  /^dsn exit with code /,
  /^\(use meta list to connect cluster\)$/,
];

export function isBannerLine(line: string): boolean {
  const trimmed = line.trim();
  return BANNER.some((pattern) => pattern.test(trimmed));
}

/** Splits output into lines without colours, carriage returns or prompts (indentation is kept). */
export function shellLines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(PROMPT, '').replace(/\s+$/, ''));
}

/** `ERR_TIMEOUT` and friends: the error code rDSN prints, if the line has one. */
export function errorCodeIn(line: string): string | null {
  return /\b(ERR_[A-Z0-9_]+)\b/.exec(line)?.[1] ?? null;
}

/** A table as printed: its `[name]` (null for an unnamed one) and its rows until the next blank line. */
export interface PrintedTable {
  name: string | null;
  /** Index of the table's first row in the lines it came from. */
  start: number;
  rows: string[];
}

const SECTION = /^\[([^\]]+)\]$/;

/**
 * Every `[name]` table in the lines. A table ends at a blank line, at the next `[name]`, or at a
 * banner line; its rows keep their padding, which column positions depend on.
 */
export function namedTables(lines: readonly string[]): PrintedTable[] {
  const tables: PrintedTable[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const name = SECTION.exec(lines[index]!.trim())?.[1];
    if (name === undefined) continue;
    const rows: string[] = [];
    let next = index + 1;
    while (next < lines.length) {
      const line = lines[next]!;
      if (line.trim() === '' || SECTION.test(line.trim()) || isBannerLine(line)) break;
      rows.push(line);
      next += 1;
    }
    tables.push({ name, start: index + 1, rows });
    index = next - 1;
  }
  return tables;
}

export function tableNamed(lines: readonly string[], name: string): PrintedTable | undefined {
  return namedTables(lines).find((table) => table.name === name);
}

const KEY_VALUE = /^(\S(?:.*?\S)?)\s*:\s?(.*)$/;

/** Rows of a single-column table (`name<pad>: value`); a row without ` : ` is returned in `bad`. */
export function keyValueRows(rows: readonly string[]): { entries: [string, string][]; bad: string[] } {
  const entries: [string, string][] = [];
  const bad: string[] = [];
  for (const row of rows) {
    const match = KEY_VALUE.exec(row.trim());
    // A value may itself hold ':' (host:port); the key never does, and is followed by padding.
    if (!match || !/\s:/.test(row) || match[1]!.includes(':')) {
      bad.push(row);
      continue;
    }
    entries.push([match[1]!, match[2]!.trim()]);
  }
  return { entries, bad };
}

interface Cell {
  text: string;
  start: number;
  end: number;
}

/** Cells of a printed row: runs of text separated by two or more spaces, with where each sits. */
function cellsOf(line: string): Cell[] {
  const cells: Cell[] = [];
  const pattern = /\S+(?: \S+)*/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    cells.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return cells;
}

export interface ColumnsTable {
  header: string[];
  rows: Record<string, string>[];
  /** Data rows whose cells could not be placed under the header. */
  bad: string[];
}

/**
 * A multi-column table: the first row names the columns. A row with one cell per column maps
 * directly; a row with an empty cell (fewer cells) places each cell under the header it overlaps
 * most, which holds for left- and right-aligned columns alike.
 */
export function columnRows(rows: readonly string[]): ColumnsTable {
  const [headerLine, ...data] = rows;
  if (headerLine === undefined) return { header: [], rows: [], bad: [] };
  const header = cellsOf(headerLine);
  const names = header.map((cell) => cell.text);
  const out: Record<string, string>[] = [];
  const bad: string[] = [];
  for (const line of data) {
    if (line.trim() === '') continue;
    const cells = cellsOf(line);
    if (cells.length === header.length) {
      out.push(Object.fromEntries(names.map((name, i) => [name, cells[i]!.text])));
      continue;
    }
    if (cells.length > header.length) {
      bad.push(line);
      continue;
    }
    const row: Record<string, string> = Object.fromEntries(names.map((name) => [name, '']));
    let placed = true;
    for (const cell of cells) {
      let best = -1;
      let bestOverlap = 0;
      header.forEach((column, i) => {
        // Widen the header span to its column: cells are padded, so they start under (left-aligned)
        // or end under (right-aligned) the header's text.
        const overlap = Math.min(cell.end, column.end + 1) - Math.max(cell.start, column.start - 1);
        if (overlap > bestOverlap) {
          bestOverlap = overlap;
          best = i;
        }
      });
      if (best < 0 || row[names[best]!] !== '') placed = false;
      else row[names[best]!] = cell.text;
    }
    if (placed) out.push(row);
    else bad.push(line);
  }
  return { header: names, rows: out, bad };
}

/**
 * The first JSON value (object or array) in the text that parses, with where it started. Shell
 * output puts banner lines around JSON, so it is searched line by line from each `{` or `[`.
 */
export function firstJson(
  lines: readonly string[],
  opener: '{' | '[' = '{',
): { value: unknown; line: number } | null {
  for (let start = 0; start < lines.length; start += 1) {
    if (!lines[start]!.trimStart().startsWith(opener)) continue;
    let text = '';
    for (let end = start; end < lines.length; end += 1) {
      text += `${lines[end]}\n`;
      const trimmed = lines[end]!.trimEnd();
      if (!trimmed.endsWith(opener === '{' ? '}' : ']')) continue;
      try {
        return { value: JSON.parse(text), line: start };
      } catch {
        // Not complete yet: keep adding lines.
      }
    }
  }
  return null;
}

/** The lines that are neither banner nor blank: what a command actually printed. */
export function contentLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trim() !== '' && !isBannerLine(line));
}

/** An excerpt of output for an error message: at most `max` lines of content, marked when cut. */
export function excerpt(lines: readonly string[], max = 12): string {
  const content = contentLines(lines);
  if (content.length === 0) return '(no output besides the shell banner)';
  const shown = content.slice(0, max).join('\n');
  return content.length > max ? `${shown}\n… (${content.length - max} more lines)` : shown;
}

/** Numbers as the printers write them ("8", "0.47"); "-" or empty is null. */
export function numberOrNull(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '-') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
