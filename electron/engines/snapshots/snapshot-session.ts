/**
 * A snapshot read like a live ZooKeeper session, with no network: the explorer, the search, the
 * Pegasus model and an export all read through ZkSessionLike (and the Pegasus model through its
 * narrower ZkReader), so giving them this object instead of a session is all it takes to browse a
 * snapshot "exactly like a live tree".
 *
 * - Paths are the captured ones (the connection's namespace); the root's ancestors exist as empty
 *   placeholders, so `/` lists the way down to the root and copy-path gives real paths.
 * - Data is the stored BLOB (a Buffer, byte for byte); stat and ACL are as captured.
 * - Watches are accepted and never fire: a snapshot does not change.
 * - Every write is refused with READ_ONLY, which the API maps to 403 like a read-only connection.
 */
import { EventEmitter } from 'node:events';
import type { SnapshotRecord, SnapshotsRepo } from '../../store/types';
import { ZkError } from '../../zk/errors';
import type { SessionState, ZkAcl, ZkStatRaw } from '../../zk/types';
import type { ZkWatchSession, ZkWatcher } from '../../zk/watch';

/** A write against a snapshot: mapped to FORBIDDEN through its zkCode, like a read-only connection. */
export class SnapshotReadOnlyError extends Error {
  override name = 'SnapshotReadOnlyError';
  readonly zkCode = 'READ_ONLY';
  constructor(snapshot: SnapshotRecord) {
    super(
      `This is a snapshot of ${snapshot.root} from '${snapshot.connectionName}' taken ${new Date(
        snapshot.createdAt,
      ).toISOString()}: it is read-only and offline, nothing was written. Open the live connection to make changes.`,
    );
  }
}

const PLACEHOLDER_ACL: ZkAcl[] = [{ scheme: 'world', id: 'anyone', perms: 'r' }];

function placeholderStat(numChildren: number): ZkStatRaw {
  return {
    czxid: '0x0',
    mzxid: '0x0',
    pzxid: '0x0',
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: '0x0',
    dataLength: 0,
    numChildren,
  };
}

/** '/a/b/c' -> ['/', '/a', '/a/b'] (strict ancestors). */
export function ancestorsOf(path: string): string[] {
  if (path === '/') return [];
  const parts = path.split('/').filter(Boolean);
  const out = ['/'];
  for (let index = 1; index < parts.length; index += 1) out.push(`/${parts.slice(0, index).join('/')}`);
  return out;
}

export class SnapshotSession extends EventEmitter implements ZkWatchSession {
  readonly state: SessionState = 'connected';
  readonly sessionId: string | undefined = undefined;
  /** Ancestor path -> the one child on the way down to the root. */
  private readonly placeholders = new Map<string, string>();

  constructor(
    private readonly repo: SnapshotsRepo,
    readonly snapshot: SnapshotRecord,
  ) {
    super();
    const root = snapshot.root;
    for (const ancestor of ancestorsOf(root)) {
      const rest = ancestor === '/' ? root.slice(1) : root.slice(ancestor.length + 1);
      this.placeholders.set(ancestor, rest.split('/')[0] as string);
    }
  }

  /** Whether `path` is only a placeholder above the captured root. */
  isPlaceholder(path: string): boolean {
    return this.placeholders.has(path);
  }

  private missing(path: string): ZkError {
    return new ZkError(
      'NO_NODE',
      `${path} is not in this snapshot (it holds ${this.snapshot.root} and below, as captured ${new Date(
        this.snapshot.createdAt,
      ).toISOString()})`,
      { path },
    );
  }

  private read(path: string): { data: Buffer; acl: ZkAcl[]; stat: ZkStatRaw } | undefined {
    const node = this.repo.node(this.snapshot.id, path);
    if (node) return { data: node.data, acl: node.acl, stat: node.stat };
    if (this.placeholders.has(path)) {
      return { data: Buffer.alloc(0), acl: PLACEHOLDER_ACL, stat: placeholderStat(1) };
    }
    return undefined;
  }

  async exists(path: string): Promise<ZkStatRaw | null> {
    return this.read(path)?.stat ?? null;
  }

  async getData(path: string): Promise<{ data: Buffer; stat: ZkStatRaw }> {
    const node = this.read(path);
    if (!node) throw this.missing(path);
    return { data: node.data, stat: node.stat };
  }

  async getChildren(path: string): Promise<{ children: string[]; stat: ZkStatRaw }> {
    const node = this.read(path);
    if (!node) throw this.missing(path);
    const placeholderChild = this.placeholders.get(path);
    const children =
      placeholderChild !== undefined ? [placeholderChild] : this.repo.children(this.snapshot.id, path);
    return { children, stat: node.stat };
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZkStatRaw }> {
    const node = this.read(path);
    if (!node) throw this.missing(path);
    return { acl: node.acl, stat: node.stat };
  }

  async existsWatch(path: string, _watcher: ZkWatcher): Promise<ZkStatRaw | null> {
    return this.exists(path);
  }

  async getChildrenWatch(
    path: string,
    _watcher: ZkWatcher,
  ): Promise<{ children: string[]; stat: ZkStatRaw }> {
    return this.getChildren(path);
  }

  async create(): Promise<string> {
    throw new SnapshotReadOnlyError(this.snapshot);
  }

  async setData(): Promise<ZkStatRaw> {
    throw new SnapshotReadOnlyError(this.snapshot);
  }

  async remove(): Promise<void> {
    throw new SnapshotReadOnlyError(this.snapshot);
  }

  async close(): Promise<void> {
    // Nothing to close: the store stays open for the host.
  }
}
