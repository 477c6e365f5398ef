/**
 * The reads a whole-subtree walk goes through (a comparison, an export): the multiRead bulk reader
 * (electron/zk/bulk-read: 128 reads a request over two short-lived sessions, through the same tunnel)
 * when it opens, else the connection's shared session. Measured on a 100k-node tree on this 2-core
 * machine: 4.6-8 s walking with data and ACLs through the bulk reader, 16-18 s through one session.
 *
 * The bulk reader's stat carries versions, sizes, times and the ephemeral owner but no zxids: walks
 * that must keep a full stat (a snapshot, an export with stats) read through the session.
 */
import { EventEmitter } from 'node:events';
import { ZkBulkReader } from '../../zk/bulk-read/bulk-reader';
import type { SessionState, ZkAcl, ZkSessionLike, ZkStatRaw } from '../../zk/types';
import type { HostServices } from './host-services';

/** A bulk reader that cannot connect this fast is not worth waiting for: the session reads instead. */
const BULK_OPEN_TIMEOUT_MS = 5000;

/** Reads go to the bulk reader; anything else (exists, writes) to the session. */
class BulkWalkSession extends EventEmitter implements ZkSessionLike {
  constructor(
    private readonly bulk: ZkBulkReader,
    private readonly session: ZkSessionLike,
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
    return { data, stat: { czxid: '', mzxid: '', pzxid: '', cversion: 0, ...stat } };
  }

  async getChildren(path: string): Promise<{ children: string[]; stat: ZkStatRaw }> {
    const { children } = await this.bulk.getChildren(path);
    return { children, stat: undefined as unknown as ZkStatRaw };
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZkStatRaw }> {
    const { acl, stat } = await this.bulk.getACL(path);
    return { acl: [...acl], stat: { czxid: '', mzxid: '', pzxid: '', cversion: 0, ...stat } };
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

/** The fastest way to walk a connection's subtree (a snapshot workspace reads its store directly). */
export async function walkReadersFor(services: HostServices, connectionId: string): Promise<WalkReaders> {
  const session = await services.sessions.open(connectionId);
  const options = services.sessions.sessionOptions(connectionId);
  const bulk = options
    ? await ZkBulkReader.open({
        ...options,
        connectTimeoutMs: Math.min(options.connectTimeoutMs, BULK_OPEN_TIMEOUT_MS),
        sessions: 2,
      }).catch(() => undefined)
    : undefined;
  if (!bulk) return { sessions: [session], concurrency: undefined, via: 'session', close: async () => {} };
  const reader = new BulkWalkSession(bulk, session);
  return {
    sessions: [reader],
    concurrency: 1024,
    via: bulk.stats().mode,
    close: () => reader.close(),
  };
}
