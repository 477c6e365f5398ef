/**
 * Reads the meta servers' leader lock of a cluster root: who leads and who waits (reference §1.2).
 * The leader is the holder of the lowest LOCKNODE sequence; see decoders/meta-lock.ts.
 */
import { joinZkPath } from '../../shared/zk-path';
import type { BoundedReads } from './bounded-reads';
import {
  decodeMetaLockOwner,
  electMetaLeader,
  type LockDirLayout,
  metaLockDirs,
  parseLockNodeName,
} from './decoders/meta-lock';
import type { ModelWarning } from './model-warning';

export interface MetaLockHolder {
  /** Child name, e.g. LOCKNODE0000000123. */
  node: string;
  path: string;
  sequence: number;
  /** The meta server's "<host>:<port>", or null when the data did not decode (see warnings). */
  address: string | null;
  /** When the holder joined (the node's ctime, epoch ms), if the reader reports it. */
  since: number | null;
  /** The ZooKeeper session holding the ephemeral node, if the reader reports it. */
  ephemeralOwner: string | null;
}

export interface MetaLockState {
  /** The lock dir that holds the lock nodes, or the first one that exists, or null. */
  lockDir: string | null;
  layout: LockDirLayout | 'custom' | null;
  leader: MetaLockHolder | null;
  /** Every holder, lowest sequence (the leader) first. */
  holders: MetaLockHolder[];
  warnings: ModelWarning[];
}

async function readHolders(
  reads: BoundedReads,
  dir: string,
  warnings: ModelWarning[],
): Promise<MetaLockHolder[] | null> {
  const dirRead = await reads.getData(dir);
  if (dirRead.kind === 'missing') return null;
  if (dirRead.kind === 'denied') {
    warnings.push({ path: dir, message: `cannot read the lock dir: ${dirRead.message}` });
    return null;
  }
  const listed = await reads.childrenOf(dir, dirRead.value.stat);
  if (listed.kind !== 'ok') {
    if (listed.kind === 'denied')
      warnings.push({ path: dir, message: `cannot list the lock dir: ${listed.message}` });
    return listed.kind === 'missing' ? null : [];
  }
  const holders = await Promise.all(
    listed.value.map(async (node): Promise<MetaLockHolder | null> => {
      const path = joinZkPath(dir, node);
      const sequence = parseLockNodeName(node);
      if (sequence === null) {
        warnings.push({ path, message: 'not a LOCKNODE<sequence> node; ignored when electing the leader' });
        return null;
      }
      const read = await reads.getData(path);
      // A holder whose session just ended is gone: not a problem, just no longer a candidate.
      if (read.kind === 'missing') return null;
      if (read.kind === 'denied') {
        warnings.push({ path, message: `cannot read the lock holder: ${read.message}` });
        return { node, path, sequence, address: null, since: null, ephemeralOwner: null };
      }
      const owner = decodeMetaLockOwner(read.value.data);
      if (!owner.ok) warnings.push({ path, message: owner.error });
      return {
        node,
        path,
        sequence,
        address: owner.ok ? owner.value.address : null,
        since: read.value.stat.ctime ?? null,
        ephemeralOwner: read.value.stat.ephemeralOwner ?? null,
      };
    }),
  );
  return holders
    .filter((holder): holder is MetaLockHolder => holder !== null)
    .sort((a, b) => a.sequence - b.sequence);
}

export interface MetaLockReadOptions {
  /** Lock dirs beyond the two standard ones (a custom `distributed_lock_service_parameters`). */
  extraLockDirs?: readonly string[];
  /** The cluster root's children when already listed: standard dirs whose first step is absent are skipped. */
  rootChildren?: ReadonlySet<string>;
}

/** The child of `root` that `path` (below root) passes through. */
function firstComponent(root: string, path: string): string {
  const rest = root === '/' ? path.slice(1) : path.slice(root.length + 1);
  return rest.split('/')[0] ?? '';
}

/**
 * Looks in the production lock dir (`<root>/lock/dsn.meta.server.leader`), the onebox one
 * (`<root>/dsn.meta.server.leader`) and any extra dirs given (a custom
 * `distributed_lock_service_parameters`), in that order.
 */
export async function readMetaLock(
  reads: BoundedReads,
  clusterRoot: string,
  options: MetaLockReadOptions = {},
): Promise<MetaLockState> {
  const warnings: ModelWarning[] = [];
  const rootChildren = options.rootChildren;
  const dirs: { path: string; layout: LockDirLayout | 'custom' }[] = [
    ...metaLockDirs(clusterRoot).filter(
      (dir) => !rootChildren || rootChildren.has(firstComponent(clusterRoot, dir.path)),
    ),
    ...(options.extraLockDirs ?? []).map((path) => ({ path, layout: 'custom' as const })),
  ];
  const found = await Promise.all(
    dirs.map(async (dir) => ({ ...dir, holders: await readHolders(reads, dir.path, warnings) })),
  );
  const existing = found.filter((dir) => dir.holders !== null);
  const withHolders = existing.filter((dir) => (dir.holders?.length ?? 0) > 0);
  if (withHolders.length > 1) {
    for (const dir of withHolders.slice(1)) {
      warnings.push({
        path: dir.path,
        message: `lock nodes here too; the leader is taken from ${withHolders[0]?.path} (checked first)`,
      });
    }
  }
  const chosen = withHolders[0] ?? existing[0];
  const holders = chosen?.holders ?? [];
  return {
    lockDir: chosen?.path ?? null,
    layout: chosen?.layout ?? null,
    leader: electMetaLeader(holders),
    holders,
    warnings,
  };
}
