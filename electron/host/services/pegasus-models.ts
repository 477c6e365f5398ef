/**
 * Loaded Pegasus cluster models, per connection and cluster root, so the overview, a table's detail
 * and the duplications list read one load instead of three. A load is shared by concurrent callers;
 * Refresh starts a new one. The key includes the connection's `updatedAt`, so editing a connection
 * (another ensemble, other credentials) never serves the old ensemble's model. A few models at most:
 * a 50k-partition model holds ~50 MB.
 */
import type { LoadedCluster } from '../../pegasus/cluster-loader';
import { type ClusterOverview, clusterOverview } from '../../pegasus/cluster-views';

export interface CachedCluster extends LoadedCluster {
  overview: ClusterOverview;
}

interface Entry {
  promise: Promise<CachedCluster>;
  settled: CachedCluster | null;
  lastUsed: number;
}

export const MAX_CACHED_MODELS = 3;

export class PegasusModelCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = MAX_CACHED_MODELS) {}

  static key(connectionId: string, connectionVersion: number, root: string): string {
    return `${connectionId}\u0000${connectionVersion}\u0000${root}`;
  }

  /**
   * The cached model for `key`, or a new load. `refresh` forces a new load unless one is already
   * running (then its result is fresh enough). `cached` says whether the answer predates this call.
   */
  async get(
    key: string,
    load: () => Promise<LoadedCluster>,
    options: { refresh?: boolean } = {},
  ): Promise<{ cluster: CachedCluster; cached: boolean }> {
    const existing = this.entries.get(key);
    if (existing && !(options.refresh && existing.settled)) {
      existing.lastUsed = Date.now();
      const cached = existing.settled !== null;
      return { cluster: await existing.promise, cached };
    }
    const entry: Entry = {
      settled: null,
      lastUsed: Date.now(),
      promise: load().then((loaded) => ({ ...loaded, overview: clusterOverview(loaded.model) })),
    };
    this.entries.set(key, entry);
    entry.promise.then(
      (cluster) => {
        entry.settled = cluster;
      },
      () => {
        // A failed load is not cached: the next call tries again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.evict();
    return { cluster: await entry.promise, cached: false };
  }

  /** The settled model for `key`, if any, without loading. */
  peek(key: string): CachedCluster | null {
    return this.entries.get(key)?.settled ?? null;
  }

  private evict(): void {
    if (this.entries.size <= this.max) return;
    const oldest = [...this.entries.entries()]
      .filter(([, entry]) => entry.settled !== null)
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key] of oldest) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(key);
    }
  }
}
