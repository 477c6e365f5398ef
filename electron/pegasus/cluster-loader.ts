/**
 * Loads a whole cluster model the fast way: a bulk reader (multiRead batches over a few
 * short-lived read-only sessions, electron/zk/bulk-read) under `loadClusterModel`. Used by the host's
 * Pegasus views and by `mdesk pegasus summary`, so both read a 50k-node cluster in about the same
 * time. When the bulk reader cannot open (a proxy that only lets one client through, say) and a
 * live session is at hand, the load falls back to that session's reads.
 */
import { ZkBulkReader, type BulkReaderStats } from '../zk/bulk-read/bulk-reader';
import type { ZkSessionOptions } from '../zk/types';
import { type ClusterModel, type LoadClusterModelOptions, loadClusterModel } from './cluster-model';
import type { ZkReader } from './zk-reader';

/** How the model was read, for the views' "source" line and the benchmark. */
export interface ClusterLoadSource {
  reader: BulkReaderStats['mode'] | 'session' | 'snapshot';
  sessions: number;
  requests: number;
  reads: number;
  /** Why the bulk reader was not used, when it was not. */
  fallbackReason: string | null;
}

export interface LoadedCluster {
  model: ClusterModel;
  source: ClusterLoadSource;
  /** Wall time of the load, ms. */
  loadMs: number;
  /** CPU this process used meanwhile (user + system, all threads), ms: far below loadMs means it waited. */
  cpuMs: number;
}

/** Reads in flight across the bulk reader's sessions; each flush becomes ~this / 128 multiReads. */
export const BULK_MODEL_CONCURRENCY = 1024;

export interface ClusterLoaderOptions extends Omit<LoadClusterModelOptions, 'concurrency'> {
  /** Sessions of the bulk reader (default 2). */
  sessions?: number;
  /** Used when the bulk reader cannot open; without it that failure is the load's failure. */
  fallback?: ZkReader;
}

/**
 * Loads the model from any reader with no network of its own: a snapshot in the store (the offline
 * sample cluster, a capture), read through the same ZkReader interface as a live session.
 */
export async function loadClusterFrom(
  reader: ZkReader,
  root: string,
  options: Omit<ClusterLoaderOptions, 'sessions' | 'fallback'> = {},
): Promise<LoadedCluster> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const model = await loadClusterModel(reader, root, options);
  const used = process.cpuUsage(cpuStart);
  const reads = model.reads.getData + model.reads.getChildren;
  return {
    model,
    loadMs: performance.now() - started,
    cpuMs: Math.round((used.user + used.system) / 1000),
    source: { reader: 'snapshot', sessions: 0, requests: reads, reads, fallbackReason: null },
  };
}

export async function loadClusterFast(
  connection: ZkSessionOptions,
  root: string,
  options: ClusterLoaderOptions = {},
): Promise<LoadedCluster> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(cpuStart);
    return Math.round((used.user + used.system) / 1000);
  };
  const { fallback, sessions, ...modelOptions } = options;
  let reader: ZkBulkReader;
  try {
    reader = await ZkBulkReader.open({ ...connection, sessions: sessions ?? 2 });
  } catch (error) {
    if (!fallback) throw error;
    const model = await loadClusterModel(fallback, root, modelOptions);
    return {
      model,
      loadMs: performance.now() - started,
      cpuMs: cpuMs(),
      source: {
        reader: 'session',
        sessions: 1,
        requests: model.reads.getData + model.reads.getChildren,
        reads: model.reads.getData + model.reads.getChildren,
        fallbackReason: error instanceof Error ? error.message : String(error),
      },
    };
  }
  try {
    const model = await loadClusterModel(reader, root, {
      ...modelOptions,
      concurrency: BULK_MODEL_CONCURRENCY,
    });
    const stats = reader.stats();
    return {
      model,
      loadMs: performance.now() - started,
      cpuMs: cpuMs(),
      source: {
        reader: stats.mode,
        sessions: stats.sessions,
        requests: stats.requests,
        reads: stats.reads,
        fallbackReason: null,
      },
    };
  } finally {
    await reader.close();
  }
}
