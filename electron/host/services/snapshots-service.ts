/**
 * Snapshots for the host: capture (a job, on any connection, read-only ones included: it only reads
 * ZooKeeper), list, delete with the node count typed back, compare with the live tree (a job), and
 * the snapshot taken before a destructive write (design, section 8). Browsing goes through the
 * session registry's offline source (engines/snapshots/offline-source), not through here.
 */
import type { JobStarted } from '../../../shared/api/background-job';
import {
  type SnapshotCaptureResult,
  type SnapshotComparison,
  type SnapshotReason,
  type SnapshotView,
  snapshotIdOfWorkspace,
  snapshotWorkspaceId,
} from '../../../shared/api/snapshots';
import {
  type CaptureResult,
  captureSnapshot,
  type SnapshotSource,
} from '../../engines/snapshots/capture-snapshot';
import { compareSnapshot } from '../../engines/snapshots/compare-snapshot';
import { ensureSampleSnapshot, SAMPLE_CLUSTER } from '../../engines/snapshots/sample-cluster';
import { SnapshotNotFoundError } from '../../store/snapshots-repo';
import type { SnapshotRecord } from '../../store/types';
import type { ZkSessionLike } from '../../zk/types';
import type { JobProgressEvent } from '../../../shared/api/background-job';
import { startBackgroundJob } from './background-jobs';
import type { HostServices } from './host-services';
import { walkReadersFor } from './walk-readers';
import { UnknownConnectionError } from './write-guard';

export class SnapshotRefusedError extends Error {
  override name = 'SnapshotRefusedError';
}

export function snapshotView(services: HostServices, record: SnapshotRecord): SnapshotView {
  return {
    ...record,
    workspaceId: snapshotWorkspaceId(record.id),
    comparable:
      record.connectionId !== null && services.store.connections.get(record.connectionId) !== undefined,
  };
}

export function requireSnapshot(services: HostServices, snapshotId: string): SnapshotRecord {
  const record = services.store.snapshots.get(snapshotId);
  if (!record) throw new SnapshotNotFoundError(snapshotId);
  return record;
}

/** Where a capture reads from, as the snapshot records it (never a credential). */
export function snapshotSourceOf(services: HostServices, connectionId: string): SnapshotSource {
  if (snapshotIdOfWorkspace(connectionId) !== null) {
    throw new SnapshotRefusedError('This is already a snapshot: take snapshots of the live connection');
  }
  const profile = services.store.connections.get(connectionId);
  if (!profile) throw new UnknownConnectionError(connectionId);
  return {
    connectionId,
    connectionName: profile.name,
    connectString: `${profile.connectString}${profile.chroot ?? ''}`,
  };
}

/**
 * Takes a snapshot with a session the caller already holds (the one a recursive write is about to
 * use): the subtree as it is right before the write. Not through the bulk reader on purpose: its
 * sessions may sit on other servers of the ensemble, which can lag behind the writer's, and the
 * snapshot before a destructive write must hold at least everything that write is about to remove.
 */
export function captureWith(
  services: HostServices,
  input: {
    connectionId: string;
    session: ZkSessionLike;
    path: string;
    reason: SnapshotReason;
    knownTotal?: number | null;
    signal?: AbortSignal;
    onProgress?: (event: JobProgressEvent) => void;
  },
): Promise<CaptureResult> {
  return captureSnapshot({
    store: services.store,
    actor: services.actor,
    sessions: [input.session],
    root: input.path,
    source: snapshotSourceOf(services, input.connectionId),
    reason: input.reason,
    knownTotal: input.knownTotal ?? null,
    signal: input.signal,
    onProgress: input.onProgress,
  });
}

export function startCapture(
  services: HostServices,
  input: { connectionId: string; path: string; label?: string | undefined },
): JobStarted {
  const source = snapshotSourceOf(services, input.connectionId);
  return startBackgroundJob<SnapshotCaptureResult>(services, 'snapshot-capture', input, async (job) => {
    // The bulk reader (multiRead) when it opens, else the connection's session: see walk-readers.
    const readers = await walkReadersFor(services, input.connectionId, { fullStat: true });
    let result: CaptureResult;
    try {
      result = await captureSnapshot({
        store: services.store,
        actor: services.actor,
        sessions: readers.sessions,
        concurrency: readers.concurrency,
        via: readers.via,
        root: input.path,
        source,
        reason: 'manual',
        label: input.label ?? null,
        signal: job.signal,
        onProgress: job.report,
      });
    } finally {
      await readers.close();
    }
    return {
      snapshot: snapshotView(services, result.snapshot),
      digest: result.digest,
      unreadable: result.unreadable,
    };
  });
}

export function startCompare(services: HostServices, snapshotId: string): JobStarted {
  const snapshot = requireSnapshot(services, snapshotId);
  if (snapshot.state !== 'complete') {
    throw new SnapshotRefusedError(
      `Snapshot ${snapshotId} is ${snapshot.state}${snapshot.error ? ` (${snapshot.error})` : ''}: only a complete snapshot can be compared`,
    );
  }
  const connectionId = snapshot.connectionId;
  if (connectionId === null || !services.store.connections.get(connectionId)) {
    throw new SnapshotRefusedError(
      `The connection this snapshot was taken from ('${snapshot.connectionName}') no longer exists: there is no live tree to compare it with`,
    );
  }
  return startBackgroundJob<SnapshotComparison>(
    services,
    'snapshot-compare',
    { connectionId, path: snapshot.root },
    async (job) => {
      const readers = await walkReadersFor(services, connectionId);
      let comparison: SnapshotComparison;
      try {
        comparison = await compareSnapshot({
          repo: services.store.snapshots,
          snapshot,
          sessions: readers.sessions,
          concurrency: readers.concurrency,
          signal: job.signal,
          onProgress: job.report,
        });
      } finally {
        await readers.close();
      }
      services.store.events.append({
        actor: services.actor,
        action: 'snapshot.compared',
        target: connectionId,
        detail: {
          snapshotId,
          root: snapshot.root,
          counts: comparison.counts,
          liveRootMissing: comparison.liveRootMissing,
        },
      });
      return comparison;
    },
  );
}

/** States in which a copy run may still read its source (a failed copy resumes from its checkpoint). */
const OPEN_COPY_STATES = new Set(['created', 'planned', 'running', 'paused', 'failed']);

/** Copy runs whose source is this snapshot and that may still read it. */
function copyRunsReading(services: HostServices, snapshotId: string) {
  return services.store.engineRuns.list({ limit: 1000 }).filter((run) => {
    const source = (run.params as { source?: { kind?: unknown; snapshotId?: unknown } }).source;
    return (
      source?.kind === 'stored-snapshot' &&
      source.snapshotId === snapshotId &&
      OPEN_COPY_STATES.has(run.state)
    );
  });
}

/** Deletes a snapshot once the operator typed its node count; closes its workspace session. */
export async function removeSnapshot(
  services: HostServices,
  snapshotId: string,
  confirmNodeCount: number,
): Promise<{ removed: true }> {
  const snapshot = requireSnapshot(services, snapshotId);
  if (snapshot.state === 'capturing') {
    throw new SnapshotRefusedError('This snapshot is still being taken: cancel the capture first');
  }
  if (confirmNodeCount !== snapshot.nodeCount) {
    throw new SnapshotRefusedError(
      `Type the snapshot's node count (${snapshot.nodeCount.toLocaleString('en-US')}) to delete it: ${confirmNodeCount} does not match, nothing was deleted`,
    );
  }
  const readers = copyRunsReading(services, snapshotId);
  if (readers.length > 0) {
    const named = readers.map((run) => `${run.id.slice(0, 8)} (${run.state})`).join(', ');
    throw new SnapshotRefusedError(
      `Copy run${readers.length === 1 ? '' : 's'} ${named} read${readers.length === 1 ? 's' : ''} from this snapshot and can still be resumed: finish or cancel ${readers.length === 1 ? 'it' : 'them'} in the Copy tab first. Nothing was deleted.`,
    );
  }
  await services.sessions.close(snapshotWorkspaceId(snapshotId));
  services.store.transaction(() => {
    services.store.snapshots.remove(snapshotId);
    services.store.events.append({
      actor: services.actor,
      action: 'snapshot.deleted',
      target: snapshot.connectionId,
      detail: {
        snapshotId,
        root: snapshot.root,
        connection: snapshot.connectionName,
        reason: snapshot.reason,
        nodeCount: snapshot.nodeCount,
        createdAt: snapshot.createdAt,
      },
    });
  });
  return { removed: true };
}

/** The bundled sample cluster as a snapshot (loaded into the store on first use). */
export function openSample(services: HostServices): {
  snapshot: SnapshotView;
  clusterRoot: string;
  metaProxyRoot: string;
  name: string;
} {
  const record = ensureSampleSnapshot(services.store, services.actor);
  // The Pegasus view opens the remembered root (pegasus-router's preferences key): the sample opens
  // on its cluster and MetaProxy root instead of asking a newcomer to find them.
  const preferencesKey = `pegasus.preferences.${snapshotWorkspaceId(record.id)}`;
  if (services.store.settings.get(preferencesKey) === undefined) {
    services.store.settings.set(preferencesKey, {
      lastRoot: SAMPLE_CLUSTER.clusterRoot,
      metaProxyRoot: SAMPLE_CLUSTER.metaProxyRoot,
      metaServers: {},
    });
  }
  return {
    snapshot: snapshotView(services, record),
    clusterRoot: SAMPLE_CLUSTER.clusterRoot,
    metaProxyRoot: SAMPLE_CLUSTER.metaProxyRoot,
    name: SAMPLE_CLUSTER.name,
  };
}
