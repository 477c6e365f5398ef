/**
 * The read side of ZooKeeper the Pegasus model needs, and nothing more. The live session
 * (`electron/zk/zk-session.ts`, ZkSessionLike) satisfies it structurally; a snapshot reader and the
 * in-memory test fixture implement it too, so every Pegasus view works the same online and offline.
 */

/** The stat fields the model uses; readers may return more (ZkStatView does). */
export interface ZkReaderStat {
  numChildren: number;
  dataLength?: number;
  /** '0x0' for persistent nodes, the owning session id (hex) for ephemeral ones. */
  ephemeralOwner?: string;
  /** Epoch milliseconds. */
  ctime?: number;
  mtime?: number;
  version?: number;
}

export interface ZkReader {
  /** Node data as bytes (empty data is a zero-length Buffer) with its stat. */
  getData(path: string): Promise<{ data: Buffer; stat: ZkReaderStat }>;
  getChildren(path: string): Promise<{ children: string[] }>;
}

/** The `code` of a reader error ('NO_NODE', 'NO_AUTH', ...), as ZkError and the fixtures carry it. */
export function readerErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function readerErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
