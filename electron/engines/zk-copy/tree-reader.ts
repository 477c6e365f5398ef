/**
 * One side of a copy or a diff as the engine reads it: nodes by path relative to the side's root.
 * A live ZooKeeper subtree (several read sessions) and a saved export (engines/zk-export) both
 * implement it, so "copy from a snapshot" and "import" are the same engine as "copy".
 */
import { isZkError } from '../../zk/errors';
import { isReservedPath } from '../../zk/tree-walker';
import type { ZkAcl, ZkErrorCode, ZkSessionLike } from '../../zk/types';

export interface NodeState {
  /** The exact bytes. */
  data: Buffer;
  /** Present when read with ACLs (shared between nodes with the same ACL: never mutate it). */
  acl?: readonly ZkAcl[];
  version: number;
  aversion: number;
  numChildren: number;
  ephemeral: boolean;
}

export type ReadResult =
  | { state: 'present'; node: NodeState }
  | { state: 'absent' }
  | { state: 'unreadable'; code: ZkErrorCode; message: string };

export const ABSENT: ReadResult = Object.freeze({ state: 'absent' }) as ReadResult;

export interface TreeReader {
  /** For messages: 'zk://127.0.0.1:2181/a' or 'snapshot backup.json:/a'. */
  readonly label: string;
  /** Absolute path of this side's root. */
  readonly rootPath: string;
  /** Parallel lanes (sessions) the reader spreads requests over. */
  readonly lanes: number;
  read(rel: string, lane: number, withAcl: boolean): Promise<ReadResult>;
  /** Sorted child names; throws a ZkError (NO_NODE, NO_AUTH) when they cannot be listed. */
  children(rel: string, lane: number): Promise<string[]>;
  /** Whether rel is ZooKeeper's own subtree on this side (/zookeeper at the ensemble root). */
  isReserved(rel: string): boolean;
  /** Told why reads wait (a reconnect with backoff), and null once they flow again; set by the phase. */
  onWaiting?: ((message: string | null) => void) | undefined;
  close(): Promise<void>;
}

/** '' + '/a' under '/x' is '/x/a'; the root itself is rel ''. */
export function absolutePath(root: string, rel: string): string {
  if (rel === '') return root;
  return root === '/' ? rel : `${root}${rel}`;
}

/** A subtree of a live ensemble, read over several sessions. */
export class ZkTreeReader implements TreeReader {
  readonly lanes: number;
  private readonly ensembleRoot: boolean;

  constructor(
    private readonly sessions: readonly ZkSessionLike[],
    readonly rootPath: string,
    readonly label: string,
    private readonly closeSessions = true,
  ) {
    if (sessions.length === 0) throw new RangeError('ZkTreeReader needs at least one session');
    this.lanes = sessions.length;
    this.ensembleRoot = !(sessions[0] as { chroot?: string | undefined }).chroot;
  }

  /** A session of this reader (the first lane), for the odd check outside the walk. */
  get primary(): ZkSessionLike {
    return this.sessions[0]!;
  }

  isReserved(rel: string): boolean {
    return isReservedPath(absolutePath(this.rootPath, rel), this.ensembleRoot);
  }

  async read(rel: string, lane: number, withAcl: boolean): Promise<ReadResult> {
    const session = this.sessions[lane % this.lanes]!;
    const path = absolutePath(this.rootPath, rel);
    try {
      const [{ data, stat }, aclResult] = withAcl
        ? await Promise.all([session.getData(path), session.getACL(path)])
        : [await session.getData(path), undefined];
      const node: NodeState = {
        data,
        version: stat.version,
        aversion: stat.aversion,
        numChildren: stat.numChildren,
        ephemeral: stat.ephemeralOwner !== '0x0',
      };
      if (aclResult) node.acl = aclResult.acl;
      return { state: 'present', node };
    } catch (error) {
      if (isZkError(error) && error.code === 'NO_NODE') return ABSENT;
      if (isZkError(error) && error.code === 'NO_AUTH') {
        return { state: 'unreadable', code: error.code, message: error.message };
      }
      throw error;
    }
  }

  async children(rel: string, lane: number): Promise<string[]> {
    const session = this.sessions[lane % this.lanes]!;
    return (await session.getChildren(absolutePath(this.rootPath, rel))).children;
  }

  async close(): Promise<void> {
    if (!this.closeSessions) return;
    await Promise.allSettled(this.sessions.map((session) => session.close()));
  }
}
