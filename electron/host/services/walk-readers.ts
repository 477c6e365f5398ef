/**
 * The reads a whole-subtree walk goes through (a comparison, an export): the multiRead bulk reader
 * (electron/zk/bulk-read: 128 reads a request over two short-lived sessions, through the same tunnel)
 * when it opens, else the connection's shared session. Measured on a 100k-node tree on this 2-core
 * machine: 4.6-8 s walking with data and ACLs through the bulk reader, 16-18 s through one session.
 *
 * The bulk reader's stat carries versions, sizes, times and the ephemeral owner but no zxids unless
 * asked for them (`fullStat`, a snapshot keeps whole stats): formatting three zxids a node is work
 * the other walks skip.
 */
import { EventEmitter } from 'node:events';
import { ZkBulkReader } from '../../zk/bulk-read/bulk-reader';
import type { WireStat } from '../../zk/bulk-read/wire-protocol';
import type { SessionState, ZkAcl, ZkSessionLike, ZkStatRaw } from '../../zk/types';
import type { HostServices } from './host-services';

/** A bulk reader that cannot connect this fast is not worth waiting for: the session reads instead. */
const BULK_OPEN_TIMEOUT_MS = 5000;

/** Reads go to the bulk reader; anything else (exists, writes) to the session. */
class BulkWalkSession extends EventEmitter implements ZkSessionLike {
  constructor(
    private readonly bulk: ZkBulkReader,
    private readonly session: ZkSessionLike,
    /** The bulk reader was opened with fullStat: its stats are ZkSession's whole stats. */
    private readonly fullStat = false,
  ) {
    super();
  }

  get state(): SessionState {
    return this.session.state;
  }

  get sessionId(): string | undefined {
    return this.session.sessionId;
  }

  /** walkTree decides from it whether /zookeeper is the reserved subtree. */
  get chroot(): string | undefined {
    return this.bulk.chroot;
  }

  exists(path: string): Promise<ZkStatRaw | null> {
    return this.session.exists(path);
  }

  async getData(path: string): Promise<{ data: Buffer; stat: ZkStatRaw }> {
    const { data, stat } = await this.bulk.getData(path);
    return { data, stat: this.statOf(stat) };
  }

  async getChildren(path: string): Promise<{ children: string[]; stat: ZkStatRaw }> {
    const { children } = await this.bulk.getChildren(path);
    return { children, stat: undefined as unknown as ZkStatRaw };
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZkStatRaw }> {
    const { acl, stat } = await this.bulk.getACL(path);
    return { acl: [...acl], stat: this.statOf(stat) };
  }

  /** A whole stat as it came, else the fields the reader skipped as unknown ('' zxids). */
  private statOf(stat: WireStat): ZkStatRaw {
    if (this.fullStat) return stat as ZkStatRaw;
    return { czxid: '', mzxid: '', pzxid: '', cversion: 0, ...stat };
  }

  create(path: string, data: Buffer, options?: Parameters<ZkSessionLike['create']>[2]): Promise<string> {
    return this.session.create(path, data, options);
  }

  setData(path: string, data: Buffer, version: number): Promise<ZkStatRaw> {
    return this.session.setData(path, data, version);
  }

  remove(path: string, version: number): Promise<void> {
    return this.session.remove(path, version);
  }

  async close(): Promise<void> {
    await this.bulk.close();
  }
}

export interface WalkReaders {
  sessions: ZkSessionLike[];
  /** Visits in flight: enough to fill multiRead batches through the bulk reader. */
  concurrency: number | undefined;
  /** 'multi-read' / 'single-reads' through the bulk reader, 'session' otherwise. */
  via: string;
  close(): Promise<void>;
}

/**
 * The fastest way to walk a connection's subtree (a snapshot workspace reads its store directly).
 * `walk.fullStat`: stats with zxids and cversion, as a snapshot stores them.
 */
export async function walkReadersFor(
  services: HostServices,
  connectionId: string,
  walk: { fullStat?: boolean } = {},
): Promise<WalkReaders> {
  const session = await services.sessions.open(connectionId);
  const options = services.sessions.sessionOptions(connectionId);
  const fullStat = walk.fullStat === true;
  const bulk = options
    ? await ZkBulkReader.open({
        ...options,
        connectTimeoutMs: Math.min(options.connectTimeoutMs, BULK_OPEN_TIMEOUT_MS),
        sessions: 2,
        fullStat,
      }).catch(() => undefined)
    : undefined;
  if (!bulk) return { sessions: [session], concurrency: undefined, via: 'session', close: async () => {} };
  return bulkWalkReaders(bulk, session, fullStat);
}

/**
 * An open bulk reader as walk readers (`session` serves anything but reads); closing them closes the
 * bulk reader, never the session. Exported for the snapshot bench, which opens its own reader.
 */
export function bulkWalkReaders(bulk: ZkBulkReader, session: ZkSessionLike, fullStat = false): WalkReaders {
  const reader = new BulkWalkSession(bulk, session, fullStat);
  return {
    sessions: [reader],
    concurrency: 1024,
    via: bulk.stats().mode,
    close: () => reader.close(),
  };
}
