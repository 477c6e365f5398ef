/**
 * Seeded Pegasus clusters on the real test ZooKeeper, shared by the integration and the Chromium
 * runbook tests: each meta's lock node is held by a live session of its own (closing one = stopping
 * that meta). For table-hot-migration: the cluster with its MetaProxy root beside it, and the
 * duplication nodes the meta and the replicas write while a duplication runs.
 */
import type { ZkSessionLike } from '../../electron/zk/types';
import { ZkSession } from '../../electron/zk/zk-session';
import { duplicationInfoJson, duplicationProgressText } from '../fixtures/pegasus-cluster/payloads';
import {
  quietClusterOptions,
  type SeedClusterOptions,
  type SeededCluster,
  seedCluster,
} from '../fixtures/pegasus-cluster/seed-cluster';

/** A session to a test server, with the timeouts every runbook test uses. */
export function connectTestZk(connectString: string): Promise<ZkSession> {
  return ZkSession.connect({ connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000 });
}

/** A seeded cluster on `connectString`, each meta's lock node held by a session of its own. */
export async function seedLiveCluster(
  session: ZkSessionLike,
  connectString: string,
  options: SeedClusterOptions,
): Promise<SeededCluster> {
  return seedCluster(session, {
    ...options,
    openLockSession: async () => {
      const holder = await connectTestZk(connectString);
      return { writer: holder, close: () => holder.close() };
    },
  });
}

/** The cluster the hot-migration tests duplicate to, and its metas as MetaProxy's entry names them. */
export const HOT_TARGET = 'tjsrv';
export const HOT_TARGET_METAS = '127.0.0.1:44601,127.0.0.1:44602';
/** The shell fixture's first dupid when its state holds none (dupid = creation second, reference §1.7). */
export const FIRST_DUPID = 1709258400;

/**
 * A quiet cluster `onebox` at `${base}/${name}/cluster` (live metas), with its tables' MetaProxy
 * entries under `${base}/${name}/proxy`.
 */
export function seedHotMigrationCluster(
  session: ZkSessionLike,
  connectString: string,
  at: { base: string; name: string },
  shape: { seed: number; tables: number },
): Promise<SeededCluster> {
  return seedLiveCluster(
    session,
    connectString,
    quietClusterOptions({
      root: `${at.base}/${at.name}/cluster`,
      clusterName: 'onebox',
      ...shape,
      metaProxyRoot: `${at.base}/${at.name}/proxy`,
    }),
  );
}

async function createIfAbsent(session: ZkSessionLike, path: string, data: Buffer): Promise<boolean> {
  try {
    await session.create(path, data);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'NODE_EXISTS') throw error;
    return false;
  }
}

/**
 * What the meta and the replicas write for a duplication of table `tableIndex` to HOT_TARGET in
 * DS_LOG: its node (dupid FIRST_DUPID), and each partition's confirmed decree `lagPerPartition`
 * behind its last committed one (rewritten on each call: the replicas catching up).
 */
export async function writeDuplication(
  session: ZkSessionLike,
  cluster: SeededCluster,
  lagPerPartition: number,
  tableIndex = 0,
): Promise<void> {
  const table = cluster.expected.tables[tableIndex]!;
  const dupDir = `${cluster.root}/apps/${table.appId}/duplication`;
  const dupPath = `${dupDir}/${FIRST_DUPID}`;
  await createIfAbsent(session, dupDir, Buffer.alloc(0));
  const info = duplicationInfoJson({
    remote: HOT_TARGET,
    status: 'DS_LOG',
    createTimestampMs: FIRST_DUPID * 1000,
  });
  await createIfAbsent(session, dupPath, Buffer.from(info));
  for (const [index, lcd] of Object.entries(table.lastCommittedDecrees)) {
    const data = Buffer.from(duplicationProgressText(lcd - lagPerPartition));
    if (!(await createIfAbsent(session, `${dupPath}/${index}`, data))) {
      await session.setData(`${dupPath}/${index}`, data, -1);
    }
  }
}
