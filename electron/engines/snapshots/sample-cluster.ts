/**
 * The sample cluster that ships with the app (built by scripts/build-sample-cluster.ts): a snapshot a
 * newcomer can open with no ZooKeeper at all, in the Explorer and every Pegasus view. It is loaded
 * into the snapshot store the first time it is opened (and again after an app update ships a new
 * one, or after the operator deleted it), then read like any other snapshot.
 */
import { gunzipSync } from 'node:zlib';
import type { EventsRepo, SnapshotRecord, SnapshotsRepo } from '../../store/types';
import { parseExport } from '../zk-export/export-format';
import { SAMPLE_CLUSTER_DATA } from './sample-cluster-data';
import { snapshotFromExport } from './snapshot-from-export';

export const SAMPLE_CLUSTER = {
  name: 'Sample cluster (offline)',
  clusterRoot: SAMPLE_CLUSTER_DATA.clusterRoot,
  metaProxyRoot: SAMPLE_CLUSTER_DATA.metaProxyRoot,
  version: SAMPLE_CLUSTER_DATA.version,
} as const;

export function ensureSampleSnapshot(
  store: { snapshots: SnapshotsRepo; events: EventsRepo },
  actor: string,
): SnapshotRecord {
  const samples = store.snapshots.list({ reason: 'sample', limit: 20 });
  const current = samples.find(
    (snapshot) => snapshot.label === SAMPLE_CLUSTER.version && snapshot.state === 'complete',
  );
  if (current) return current;
  // An older app's sample (or a load that failed half way) is replaced, not kept beside the new one.
  for (const old of samples) store.snapshots.remove(old.id);
  const document: unknown = JSON.parse(
    gunzipSync(Buffer.from(SAMPLE_CLUSTER_DATA.gzipBase64, 'base64')).toString('utf8'),
  );
  const tree = parseExport(document, 'the bundled sample cluster');
  return snapshotFromExport({
    store,
    actor,
    tree,
    sourceName: SAMPLE_CLUSTER.name,
    sourceDescription: 'bundled with Migration Desk',
    reason: 'sample',
    label: SAMPLE_CLUSTER.version,
  });
}
