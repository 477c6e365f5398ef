/**
 * Opening the two sides of a run. The engine never sees where credentials come from: a
 * SessionFactory (the host's, from saved connections; the CLI's, from MDESK_ZK_AUTH or a saved
 * connection) opens sessions for an EndpointRef and says which credentials it used.
 */
import type { SnapshotsRepo } from '../../store/types';
import { asWriteSession, type ZkWriteSession } from '../../zk/multi';
import type { ZkSessionLike } from '../../zk/types';
import { readExportFile } from '../zk-export/export-file';
import { SnapshotReader } from '../zk-export/snapshot-reader';
import { type BulkReadSession, BulkTreeReader } from './bulk-tree-reader';
import type { FaultPolicy } from './faults';
import { openStoredSnapshot } from './stored-snapshot-reader';
import { type TreeReader, ZkTreeReader } from './tree-reader';
import type { EndpointRef } from './types';

export type ZkEndpointRef = Extract<EndpointRef, { kind: 'zk' }>;

export interface SessionFactory {
  /** Opens a session; 'write' refuses endpoints that are read-only (saved read-only connections). */
  open(ref: ZkEndpointRef, purpose: 'read' | 'write'): Promise<ZkSessionLike>;
  /** The digest credentials (user:password) sessions for this endpoint authenticate with. */
  credentials(ref: ZkEndpointRef): string[];
  /**
   * Opens a read-only bulk reader (electron/zk/bulk-read: multiRead batches over `sessions`
   * sessions) for the walks of plan, copy and verify. Optional: without it, walks read through
   * `open(ref, 'read')` sessions, one request per read (several times slower on large trees).
   */
  openBulkReader?(ref: ZkEndpointRef, sessions: number): Promise<BulkReadSession>;
}

export interface OpenedSide {
  reader: TreeReader;
  /** The write session (target side only). */
  writer?: ZkWriteSession;
  credentials: string[];
  close(): Promise<void>;
}

/**
 * 'zk://127.0.0.1:2181/a', '@prod:/a', 'snapshot backup.json:/a' or, for a snapshot of the store,
 * "snapshot 'before-upgrade' (id, captured 2026-...Z):/a", for messages and reports.
 */
export function describeEndpoint(ref: EndpointRef): string {
  if (ref.kind === 'snapshot') return `snapshot ${ref.file}:${ref.path}`;
  if (ref.kind === 'stored-snapshot') {
    return `snapshot '${ref.snapshotName}' (${ref.snapshotId}, captured ${new Date(ref.capturedAt).toISOString()}):${ref.path}`;
  }
  if (ref.connectionName) return `@${ref.connectionName}:${ref.path}`;
  return `zk://${ref.connectString}${ref.path === '/' ? '' : ref.path}`;
}

export async function openSide(
  ref: EndpointRef,
  factory: SessionFactory | undefined,
  options: {
    readers: number;
    writer: boolean;
    faults?: FaultPolicy;
    /** The store's snapshots, for a source that is one of them. */
    snapshots?: SnapshotsRepo;
  },
): Promise<OpenedSide> {
  const label = describeEndpoint(ref);
  if (ref.kind === 'stored-snapshot') {
    if (options.writer) throw new Error(`Cannot write to ${label}: a snapshot is read-only`);
    return {
      reader: openStoredSnapshot(options.snapshots, ref, label),
      credentials: [],
      close: async () => {},
    };
  }
  if (ref.kind === 'snapshot') {
    if (options.writer) throw new Error(`Cannot write to ${label}: a snapshot is read-only`);
    const tree = readExportFile(ref.file);
    return {
      reader: new SnapshotReader(tree, ref.path, label),
      credentials: [],
      close: async () => {},
    };
  }
  if (!factory) throw new Error(`No way to connect to ${label}`);
  const opened: ZkSessionLike[] = [];
  try {
    // The write session first: a read-only endpoint is refused before any read session is opened.
    const writer = options.writer ? asWriteSession(await factory.open(ref, 'write')) : undefined;
    if (writer) opened.push(writer);
    const openBulk = factory.openBulkReader?.bind(factory);
    if (openBulk) {
      const lanes = Math.max(1, options.readers);
      const reader = new BulkTreeReader({
        open: () => openBulk(ref, lanes),
        first: await openBulk(ref, lanes),
        rootPath: ref.path,
        label,
        lanes,
        faults: options.faults,
      });
      return {
        reader,
        writer,
        credentials: factory.credentials(ref),
        close: async () => {
          await Promise.allSettled([reader.close(), ...opened.map((session) => session.close())]);
        },
      };
    }
    const readers = await Promise.all(
      Array.from({ length: Math.max(1, options.readers) }, () => factory.open(ref, 'read')),
    );
    opened.push(...readers);
    const reader = new ZkTreeReader(readers, ref.path, label);
    return {
      reader,
      writer,
      credentials: factory.credentials(ref),
      close: async () => {
        await Promise.allSettled(opened.map((session) => session.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((session) => session.close()));
    throw error;
  }
}
