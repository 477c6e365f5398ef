/**
 * One side of a copy read through the bulk reader (electron/zk/bulk-read): getData and getChildren
 * go out in multiRead batches, getACL as pipelined plain requests, so a node costs a fraction of a
 * round trip instead of one or two (issue 5, "Benchmark"; zookeeper-reference.md, section 3).
 *
 * Reads are idempotent, so a lost connection is survived here: the reader waits with backoff, opens
 * a fresh bulk reader (a new session, the same credentials) and sends the read again, until the
 * fault policy gives up. The writer has its own, stricter rules (batch-writer.ts).
 */
import { isZkError, ZkError } from '../../zk/errors';
import { isReservedPath } from '../../zk/tree-walker';
import type { ZkAcl } from '../../zk/types';
import { Backoff, DEFAULT_FAULT_POLICY, type FaultPolicy } from './faults';
import { ABSENT, absolutePath, type NodeState, type ReadResult, type TreeReader } from './tree-reader';

/** The stat fields the engine uses; the bulk reader's WireStat has them. */
export interface BulkStat {
  version: number;
  aversion: number;
  numChildren: number;
  ephemeralOwner: string;
}

/** What the engine needs of a bulk reader (ZkBulkReader implements it). */
export interface BulkReadSession {
  /** The connect string's chroot, or undefined when paths start at the ensemble root. */
  readonly chroot: string | undefined;
  getData(path: string): Promise<{ data: Buffer; stat: BulkStat }>;
  getChildren(path: string): Promise<{ children: string[] }>;
  getACL(path: string): Promise<{ acl: readonly ZkAcl[]; stat: BulkStat }>;
  close(): Promise<void>;
}

/** Failures that say nothing about the node: the connection or session went away. */
const RETRYABLE = new Set(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'TIMEOUT', 'UNREACHABLE', 'CLOSED']);

export interface BulkTreeReaderOptions {
  /** Opens a bulk reader for this side (the first one, and a replacement after a lost connection). */
  open: () => Promise<BulkReadSession>;
  first: BulkReadSession;
  rootPath: string;
  label: string;
  /** Parallel sessions of the bulk reader: the walk sizes its window by it. */
  lanes: number;
  faults?: FaultPolicy;
}

export class BulkTreeReader implements TreeReader {
  readonly rootPath: string;
  readonly label: string;
  readonly lanes: number;
  /** Told why reads wait (a reconnect), and null once they flow again. */
  onWaiting: ((message: string | null) => void) | undefined;
  private bulk: BulkReadSession;
  private replacing: Promise<void> | undefined;
  private closed = false;
  private readonly ensembleRoot: boolean;

  constructor(private readonly options: BulkTreeReaderOptions) {
    this.bulk = options.first;
    this.rootPath = options.rootPath;
    this.label = options.label;
    this.lanes = Math.max(1, options.lanes);
    this.ensembleRoot = !options.first.chroot;
  }

  /** ACL reads for the odd check outside the walk (the credential hint of a NO_AUTH stop). */
  get primary(): Pick<BulkReadSession, 'getACL'> {
    return { getACL: (path) => this.bulk.getACL(path) };
  }

  isReserved(rel: string): boolean {
    return isReservedPath(absolutePath(this.rootPath, rel), this.ensembleRoot);
  }

  async read(rel: string, _lane: number, withAcl: boolean): Promise<ReadResult> {
    const path = absolutePath(this.rootPath, rel);
    let backoff: Backoff | undefined;
    for (;;) {
      const bulk = this.bulk;
      try {
        let node: NodeState;
        if (withAcl) {
          const [{ data, stat }, { acl }] = await Promise.all([bulk.getData(path), bulk.getACL(path)]);
          node = nodeState(data, stat, acl);
        } else {
          const { data, stat } = await bulk.getData(path);
          node = nodeState(data, stat, undefined);
        }
        if (backoff) this.onWaiting?.(null);
        return { state: 'present', node };
      } catch (error) {
        if (isZkError(error) && error.code === 'NO_NODE') return ABSENT;
        if (isZkError(error) && error.code === 'NO_AUTH') {
          return { state: 'unreadable', code: error.code, message: error.message };
        }
        backoff = await this.recover(error, bulk, `read ${path}`, backoff);
      }
    }
  }

  async children(rel: string): Promise<string[]> {
    const path = absolutePath(this.rootPath, rel);
    let backoff: Backoff | undefined;
    for (;;) {
      const bulk = this.bulk;
      try {
        const { children } = await bulk.getChildren(path);
        if (backoff) this.onWaiting?.(null);
        return children;
      } catch (error) {
        backoff = await this.recover(error, bulk, `list the children of ${path}`, backoff);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.replacing?.catch(() => undefined);
    await this.bulk.close();
  }

  /** Rethrows what retrying cannot fix; otherwise waits, replaces the reader once, and returns the backoff. */
  private async recover(
    error: unknown,
    failed: BulkReadSession,
    what: string,
    backoff: Backoff | undefined,
  ): Promise<Backoff> {
    if (this.closed || !isZkError(error) || !RETRYABLE.has(error.code)) throw error;
    const streak = backoff ?? new Backoff(this.options.faults ?? DEFAULT_FAULT_POLICY);
    await streak.wait(error, `${what} on ${this.label}`, (message) => this.onWaiting?.(message));
    await this.replace(failed);
    return streak;
  }

  /** One replacement for every read that failed on the same reader; a failed open is retried by the next read. */
  private async replace(failed: BulkReadSession): Promise<void> {
    if (this.bulk !== failed) return;
    if (!this.replacing) {
      this.replacing = (async () => {
        try {
          const fresh = await this.options.open();
          if (this.closed) {
            await fresh.close();
            throw new ZkError('CLOSED', `The reader of ${this.label} was closed`);
          }
          this.bulk = fresh;
          void failed.close().catch(() => undefined);
        } finally {
          this.replacing = undefined;
        }
      })();
    }
    await this.replacing.catch(() => undefined);
  }
}

function nodeState(data: Buffer, stat: BulkStat, acl: readonly ZkAcl[] | undefined): NodeState {
  const node: NodeState = {
    data,
    version: stat.version,
    aversion: stat.aversion,
    numChildren: stat.numChildren,
    ephemeral: stat.ephemeralOwner !== '0x0',
  };
  if (acl) node.acl = acl;
  return node;
}
