/**
 * A version conflict shown as two sides: what is stored now ("theirs") and the operator's edit
 * ("yours"). Both sides use the same representation, text when both are clean UTF-8 and hex lines
 * otherwise, so a line-by-line comparison lines up; the summary says where the bytes first differ.
 */
import { analyzeData } from './data-format';
import { hexDumpLine, hexDumpLineCount } from './hex-dump';

export type ConflictRepresentation = 'text' | 'hex';

export interface ConflictSides {
  representation: ConflictRepresentation;
  theirs: string;
  yours: string;
  identical: boolean;
  /** Byte offset of the first difference; -1 when identical. */
  firstDifference: number;
  summary: string;
}

/** Offset of the first differing byte (the shorter length when one is a prefix of the other); -1 if equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : shorter;
}

function asText(bytes: Uint8Array): string | undefined {
  const analysis = analyzeData(bytes);
  return analysis.utf8.valid && !analysis.hasControlChars ? analysis.utf8.text : undefined;
}

/** hexdump -C style lines, one per 16 bytes. */
export function hexLines(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < hexDumpLineCount(bytes.length); i++) {
    const line = hexDumpLine(bytes, i);
    lines.push(`${line.offset}  ${line.hex}  |${line.ascii}|`);
  }
  return lines.join('\n');
}

const fmt = new Intl.NumberFormat('en-US');

export function conflictSides(theirs: Uint8Array, yours: Uint8Array): ConflictSides {
  const theirsText = asText(theirs);
  const yoursText = asText(yours);
  const text = theirsText !== undefined && yoursText !== undefined;
  const difference = firstDifference(theirs, yours);
  const sizes = `Theirs: ${fmt.format(theirs.length)} bytes; yours: ${fmt.format(yours.length)} bytes.`;
  return {
    representation: text ? 'text' : 'hex',
    theirs: text ? (theirsText as string) : hexLines(theirs),
    yours: text ? (yoursText as string) : hexLines(yours),
    identical: difference < 0,
    firstDifference: difference,
    summary:
      difference < 0
        ? `${sizes} They are identical: someone else made the same change.`
        : `${sizes} They first differ at byte ${fmt.format(difference)}.`,
  };
}
