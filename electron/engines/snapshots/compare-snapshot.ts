/**
 * Compares a snapshot with the live tree it was taken from, from the live tree's point of view:
 * what was created, updated (data), deleted and given another ACL since the snapshot. One streaming
 * walk of the live subtree; each live node is looked up in the snapshot by path (primary key), and
 * each live child list is checked against the snapshot's, so a deleted subtree is found at its top
 * and counted in SQLite, never by holding every path in memory.
 */
import type { JobProgressEvent } from '../../../shared/api/background-job';
import type {
  SnapshotChangeKind,
  SnapshotChangeSample,
  SnapshotComparison,
} from '../../../shared/api/snapshots';
import type { SnapshotRecord, SnapshotsRepo } from '../../store/types';
import { walkTree } from '../../zk/tree-walker';
import type { ZkSessionLike } from '../../zk/types';
import { aclEqual, formatAcl } from '../zk-copy/acl-rules';
import { WalkProgress } from './walk-progress';
import { countOf } from '../../../shared/plural';

export interface CompareOptions {
  repo: SnapshotsRepo;
  snapshot: SnapshotRecord;
  /** Read sessions of the snapshot's connection. */
  sessions: readonly ZkSessionLike[];
  signal?: AbortSignal;
  onProgress?: (event: JobProgressEvent) => void;
  /** Example paths kept per kind of change (default 20). */
  maxSamples?: number;
  /** Visits in flight (default 128 per session; more through a bulk reader). */
  concurrency?: number;
}

type SampleKind = SnapshotChangeKind | 'unreadable';

function join(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

export class CompareCancelledError extends Error {
  override name = 'CompareCancelledError';
}

export async function compareSnapshot(options: CompareOptions): Promise<SnapshotComparison> {
  const { repo, snapshot } = options;
  const root = snapshot.root;
  const maxSamples = options.maxSamples ?? 20;
  const counts: SnapshotComparison['counts'] = {
    compared: 0,
    unchanged: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    aclChanged: 0,
    unreadable: 0,
  };
  const samples: SnapshotComparison['samples'] = {
    created: [],
    updated: [],
    deleted: [],
    aclChanged: [],
    unreadable: [],
  };
  const sample = (kind: SampleKind, path: string, detail: string) => {
    const list = samples[kind];
    if (list.length < maxSamples) list.push({ path, detail } satisfies SnapshotChangeSample);
  };
  const progress = new WalkProgress({
    phase: 'comparing',
    estimatedTotal: snapshot.nodeCount,
    emit: (event) => options.onProgress?.(event),
  });
  const report = (force = false, pending?: number) =>
    progress.update(
      counts.compared + counts.created + counts.unreadable,
      0,
      {
        ...(pending !== undefined ? { pending } : {}),
        counts: { ...counts },
        samples: Object.fromEntries(
          Object.entries(samples).map(([kind, list]) => [kind, list.map((item) => item.path)]),
        ),
      },
      force,
    );
  /** A path that is in the snapshot but not live: it and everything below it were deleted. */
  const deletedSubtree = (path: string) => {
    const count = repo.countSubtree(snapshot.id, path);
    if (count === 0) return;
    counts.deleted += count;
    sample('deleted', path, count > 1 ? `with ${countOf(count - 1, 'node')} below it` : 'a leaf');
  };

  const first = options.sessions[0];
  if (!first) throw new RangeError('compareSnapshot needs at least one session');
  if (!(await first.exists(root))) {
    deletedSubtree(root);
    report(true, 0);
    return { snapshotId: snapshot.id, root, checkedAt: Date.now(), counts, samples, liveRootMissing: true };
  }

  const walker = walkTree({
    sessions: options.sessions,
    root,
    withAcl: true,
    concurrency: options.concurrency,
  });
  const onAbort = () => walker.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of walker) {
      if (event.kind === 'vanished') {
        // Listed by its parent, deleted before it was read: gone, as far as this comparison goes.
        deletedSubtree(event.path);
        continue;
      }
      if (event.kind === 'unreadable') {
        counts.unreadable += 1;
        sample('unreadable', event.path, event.message);
        continue;
      }
      const stored = repo.node(snapshot.id, event.path);
      if (!stored) {
        counts.created += 1;
        const ephemeral = event.stat.ephemeralOwner !== '0x0';
        sample(
          'created',
          event.path,
          `${event.data.length.toLocaleString('en-US')} bytes${ephemeral ? `, ephemeral (session ${event.stat.ephemeralOwner})` : ''}`,
        );
      } else {
        counts.compared += 1;
        const dataDiffers = !stored.data.equals(event.data);
        const aclDiffers = !aclEqual(stored.acl, event.acl);
        if (dataDiffers) {
          counts.updated += 1;
          sample(
            'updated',
            event.path,
            `${stored.data.length.toLocaleString('en-US')} -> ${event.data.length.toLocaleString('en-US')} bytes, version ${stored.stat.version} -> ${event.stat.version}`,
          );
        }
        if (aclDiffers) {
          counts.aclChanged += 1;
          sample('aclChanged', event.path, `${formatAcl(stored.acl)} -> ${formatAcl(event.acl)}`);
        }
        if (!dataDiffers && !aclDiffers) counts.unchanged += 1;
        // Children in the snapshot that the live node no longer lists: deleted subtrees.
        if (stored.stat.numChildren > 0) {
          const live = new Set(event.childNames);
          for (const name of repo.children(snapshot.id, event.path)) {
            if (!live.has(name)) deletedSubtree(join(event.path, name));
          }
        }
      }
      const stats = walker.stats();
      report(false, stats.pendingChildren + stats.inVisit + stats.queued);
    }
    if (options.signal?.aborted) throw new CompareCancelledError('The comparison was cancelled');
  } finally {
    walker.cancel();
    options.signal?.removeEventListener('abort', onAbort);
  }
  report(true, 0);
  return { snapshotId: snapshot.id, root, checkedAt: Date.now(), counts, samples, liveRootMissing: false };
}
