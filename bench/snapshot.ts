/**
 * `npm run bench:snapshot -- --nodes N [--json]`: a snapshot capture (data, ACLs and whole stats
 * into a real SQLite store, then its digest) through the multiRead bulk reader, as the app takes a
 * manual snapshot, and through one plain session (the old path, still the one a snapshot before a
 * destructive write takes), in the same run against the same tree.
 *
 * Server: ZK_SRC (a connect string) if set, else a standalone server started here (stopped by PID at
 * the end). Tree: N nodes, parents of 100 children, 100 B of data each; removed afterwards.
 * Each path runs twice (warm-up, then measured), alternating, into a fresh snapshot each time.
 * peakRssMB is this process's peak RSS during the measured run of that path.
 * One JSON line on stdout: nodes, seconds, nodesPerSec, peakRssMB (bulk path), and the same for the
 * old path under `session`, with speedup = session seconds / bulk seconds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureSnapshot } from '../electron/engines/snapshots/capture-snapshot';
import { bulkWalkReaders } from '../electron/host/services/walk-readers';
import { createSecretBox } from '../electron/platform/secret-box';
import { openStore } from '../electron/store/open-store';
import type { Store } from '../electron/store/types';
import { ZkBulkReader } from '../electron/zk/bulk-read/bulk-reader';
import { ZkSession } from '../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../scripts/local-zookeeper';
import { createNodes, deleteTree } from '../test/setup/zk-tree-builder';
import { RssSampler, round, runBench } from './bench-kit';

interface Args {
  nodes: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  let nodes = 100_000;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--nodes' || arg.startsWith('--nodes=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      nodes = Number(text);
      if (!Number.isInteger(nodes) || nodes < 102 || nodes > 2_000_000)
        throw new Error(`--nodes needs a whole number from 102 to 2000000, got '${text}'`);
    } else throw new Error(`Unknown option '${arg}': use --nodes N [--json]`);
  }
  return { nodes, json };
}

const DATA = Buffer.alloc(100, 0x61);
const FANOUT = 100;

/** root, then parents p-0000.. of up to FANOUT children each: `count` nodes in all, parents first. */
function* treeNodes(root: string, count: number): Generator<{ path: string; data: Buffer }> {
  const parents = Math.ceil((count - 1) / (FANOUT + 1));
  let made = 1;
  const names = Array.from({ length: parents }, (_, p) => `${root}/p-${String(p).padStart(5, '0')}`);
  for (const path of names) {
    yield { path, data: DATA };
    made += 1;
  }
  for (const parent of names) {
    for (let c = 0; c < FANOUT && made < count; c += 1) {
      yield { path: `${parent}/c-${String(c).padStart(3, '0')}`, data: DATA };
      made += 1;
    }
  }
}

interface Measured {
  nodes: number;
  seconds: number;
  nodesPerSec: number;
  peakRssMB: number;
  via: string;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const loadAtStart = loadavg()[0] as number;
  const log = (line: string) => {
    if (!args.json) process.stderr.write(`${line}\n`);
  };
  let own: LocalZooKeeper | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'mdesk-bench-snapshot-'));
  const stopOwn = async () => {
    await own?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void stopOwn().finally(() => process.exit(130));
  });
  try {
    let connectString = process.env.ZK_SRC;
    if (!connectString) {
      log('Starting a standalone ZooKeeper server...');
      own = await startLocalZooKeeper({ dir: join(scratch, 'zk') });
      connectString = own.connectString;
    }
    const options = { connectString, sessionTimeoutMs: 30_000, connectTimeoutMs: 10_000 };
    const session = await ZkSession.connect(options);
    const root = `/bench-snapshot-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    log(`Building ${args.nodes.toLocaleString('en-US')} nodes on ${connectString}${root}...`);
    await session.create(root, DATA);
    await createNodes(session, treeNodes(root, args.nodes));

    const store: Store = openStore({
      file: join(scratch, 'store', 'bench.db'),
      secretBox: createSecretBox(randomBytes(32)),
    });
    const source = { connectionId: null, connectionName: 'bench', connectString };

    const capture = async (path: 'bulk' | 'session'): Promise<Measured> => {
      const bulk =
        path === 'bulk' ? await ZkBulkReader.open({ ...options, sessions: 2, fullStat: true }) : undefined;
      const readers = bulk
        ? bulkWalkReaders(bulk, session, true)
        : { sessions: [session], concurrency: undefined, via: 'session', close: async () => {} };
      const rss = new RssSampler();
      rss.start();
      const started = performance.now();
      try {
        const result = await captureSnapshot({
          store,
          actor: 'bench',
          sessions: readers.sessions,
          concurrency: readers.concurrency,
          via: readers.via,
          root,
          source,
          reason: 'manual',
        });
        const seconds = (performance.now() - started) / 1000;
        const nodes = result.snapshot.nodeCount;
        if (nodes !== args.nodes)
          throw new Error(`the ${path} capture held ${nodes} nodes, expected ${args.nodes}`);
        // Each capture is a new snapshot: drop it so the store stays the size of one.
        store.snapshots.remove(result.snapshot.id);
        return {
          nodes,
          seconds: round(seconds, 3),
          nodesPerSec: Math.round(nodes / seconds),
          peakRssMB: round(rss.stop() / 1024 / 1024, 1),
          via: readers.via,
        };
      } finally {
        rss.stop();
        await readers.close();
      }
    };

    log('Warming up both paths...');
    await capture('bulk');
    await capture('session');
    log('Measuring...');
    const bulk = await capture('bulk');
    log(`  bulk reader: ${bulk.seconds} s (${bulk.nodesPerSec} nodes/s, ${bulk.via})`);
    const old = await capture('session');
    log(`  one session: ${old.seconds} s (${old.nodesPerSec} nodes/s)`);

    const result = {
      bench: 'snapshot',
      nodes: bulk.nodes,
      seconds: bulk.seconds,
      nodesPerSec: bulk.nodesPerSec,
      peakRssMB: bulk.peakRssMB,
      via: bulk.via,
      session: { seconds: old.seconds, nodesPerSec: old.nodesPerSec, peakRssMB: old.peakRssMB },
      speedup: round(old.seconds / bulk.seconds, 2),
      // The machine is shared: the 1-minute load average when the run started and ended.
      loadAverage: [round(loadAtStart, 2), round(loadavg()[0] as number, 2)],
      server: own ? 'own' : 'ZK_SRC',
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);

    await deleteTree(session, root);
    await session.close();
  } finally {
    await stopOwn();
  }
}

runBench('snapshot', main);
