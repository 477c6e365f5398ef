/**
 * The once-per-file bench of the Chromium runbook tests, registered as the file's beforeAll /
 * afterAll so each file does not repeat it: a session to the primary ZooKeeper, the clusters the file
 * seeds there under its own test root, and the desk (browser host, page) it opens. The end closes the
 * desk, then the clusters, removes the test root and closes the session — whatever part did open.
 */
import { afterAll, beforeAll } from 'vitest';
import type { ZkSession } from '../../electron/zk/zk-session';
import type { SeedClusterOptions, SeededCluster } from '../fixtures/pegasus-cluster/seed-cluster';
import { connectTestZk, seedLiveCluster } from '../setup/pegasus-live-cluster';
import { removeTree, uniqueTestRoot } from '../setup/zk-test-helpers';
import type { RunbookDesk } from './table-runbook-helpers';

export interface DeskBench {
  /** The file's own test root (uniqueTestRoot(label)). */
  readonly base: string;
  /** The ZooKeeper the clusters are seeded on, and a session to it. */
  readonly connectString: string;
  readonly zk: ZkSession;
  readonly desk: RunbookDesk;
  /** A live cluster on the test server (lock nodes held by sessions), closed at the end. */
  seed(options: SeedClusterOptions): Promise<SeededCluster>;
  /** A cluster seeded otherwise, closed at the end; returns it. */
  closeAtEnd(cluster: SeededCluster): SeededCluster;
}

/** What the bench opened in beforeAll; a test that runs without it (or a setup that failed) says so. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the desk bench has no ${what} (its beforeAll did not open it)`);
  return value;
}

export function registerDeskBench(options: {
  label: string;
  connectString: string;
  /** The rest of the file's beforeAll once the session is open: seeds what it needs, opens the desk. */
  open(bench: DeskBench): Promise<RunbookDesk>;
  /** More setup once the desk is open (and will be closed at the end whatever it does). */
  afterOpen?(bench: DeskBench): Promise<void>;
}): DeskBench {
  const seeded: SeededCluster[] = [];
  let zk: ZkSession | undefined;
  let desk: RunbookDesk | undefined;
  const bench: DeskBench = {
    base: uniqueTestRoot(options.label),
    connectString: options.connectString,
    get zk() {
      return ready(zk, 'session');
    },
    get desk() {
      return ready(desk, 'desk');
    },
    async seed(seedOptions) {
      return bench.closeAtEnd(await seedLiveCluster(bench.zk, options.connectString, seedOptions));
    },
    closeAtEnd(cluster) {
      seeded.push(cluster);
      return cluster;
    },
  };
  beforeAll(async () => {
    zk = await connectTestZk(options.connectString);
    desk = await options.open(bench);
    await options.afterOpen?.(bench);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    await Promise.allSettled(seeded.map((cluster) => cluster.close()));
    if (zk) {
      await removeTree(zk, bench.base).catch(() => undefined);
      await zk.close();
    }
  }, 60_000);
  return bench;
}
