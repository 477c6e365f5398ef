/**
 * What undoing a MetaProxy write needs, kept with the run (a runbook step's result) and in the audit
 * event: the previous value byte for byte with its version, and what we wrote with the version it
 * got. A rollback restores `previous` with a compare-and-set against `written.version`, so it never
 * silently overwrites a change someone made after us.
 */
import type { MetaProxyEntrySnapshot } from './entry-snapshot';
import type { MetaProxyLastWrite } from './write-plan';

/** A JSON object (no class instances, no Buffers) so a runbook can store it as a step result. */
export type MetaProxyRollbackRecord = {
  root: string;
  table: string;
  path: string;
  previous: {
    version: number;
    clusterName: string | null;
    metaAddrs: string | null;
    text: string | null;
    base64: string;
    digest: string;
  };
  written: {
    version: number;
    clusterName: string | null;
    metaAddrs: string | null;
    digest: string;
  };
  /** The audit event of the write. */
  auditEventId: number | null;
};

export function rollbackRecord(
  place: { root: string; table: string; path: string },
  previous: MetaProxyEntrySnapshot,
  written: MetaProxyEntrySnapshot,
  auditEventId: number | null,
): MetaProxyRollbackRecord {
  return {
    root: place.root,
    table: place.table,
    path: place.path,
    previous: {
      version: previous.version,
      clusterName: previous.clusterName,
      metaAddrs: previous.metaAddrs,
      text: previous.text,
      base64: previous.base64,
      digest: previous.digest,
    },
    written: {
      version: written.version,
      clusterName: written.clusterName,
      metaAddrs: written.metaAddrs,
      digest: written.digest,
    },
    auditEventId,
  };
}

/** The write a rollback must find in place before it restores `previous`. */
export function lastWriteOf(record: MetaProxyRollbackRecord): MetaProxyLastWrite {
  return { ...record.written, eventId: record.auditEventId };
}
