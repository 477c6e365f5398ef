/**
 * A refused switch or rollback: an answer, not an exception. Every refusal says what was found, that
 * nothing was written, and what to do next; the codes let a runbook step or the CLI decide the exit.
 */
import type { MetaProxyEntryBytes, MetaProxyEntrySnapshot } from './entry-snapshot';

export type MetaProxyWriteKind = 'switch' | 'rollback';

export type MetaProxyRefusalCode =
  /** The root or table name cannot hold an entry meta-proxy reads. */
  | 'invalid-target'
  /** The new entry (switch) would make meta-proxy crash or reject the table. */
  | 'invalid-entry'
  /** The value to restore (rollback) would make meta-proxy crash or reject the table. */
  | 'invalid-restore'
  /** There is no entry for the table under this root. */
  | 'missing-entry'
  /** The entry holds data that does not decode, so it cannot be checked against the expected cluster. */
  | 'unreadable-entry'
  /** The entry does not route to the cluster the operator expected. */
  | 'wrong-cluster'
  /** The compare-and-set found another version: someone wrote between our read and our write. */
  | 'changed-underneath'
  /** The entry was deleted between our read and our write. */
  | 'deleted-underneath'
  /** Rollback: the entry is no longer what this tool last wrote. */
  | 'changed-since-write';

export interface MetaProxyRefusal {
  ok: false;
  kind: MetaProxyWriteKind;
  code: MetaProxyRefusalCode;
  /** What was found, that nothing was written, and what to do. */
  message: string;
  /** The individual reasons, for invalid entries (one line each). */
  problems: string[];
  path: string | null;
  /** The entry as found when refusing; null when missing or never read. */
  current: MetaProxyEntrySnapshot | null;
  /** The entry the compare-and-set expected (the one read when planning). */
  expected: MetaProxyEntrySnapshot | null;
  /** What would have been written. */
  attempted: MetaProxyEntryBytes | null;
}

export function refusal(
  kind: MetaProxyWriteKind,
  code: MetaProxyRefusalCode,
  message: string,
  context: Partial<Pick<MetaProxyRefusal, 'problems' | 'path' | 'current' | 'expected' | 'attempted'>> = {},
): MetaProxyRefusal {
  return {
    ok: false,
    kind,
    code,
    message,
    problems: context.problems ?? [],
    path: context.path ?? null,
    current: context.current ?? null,
    expected: context.expected ?? null,
    attempted: context.attempted ?? null,
  };
}

/** Refusals that come from the operator's input rather than from what ZooKeeper holds. */
export function isInputRefusal(code: MetaProxyRefusalCode): boolean {
  return code === 'invalid-target' || code === 'invalid-entry' || code === 'invalid-restore';
}
