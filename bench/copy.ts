/**
 * `npm run bench:copy -- --nodes N [--json]`: the copy engine against the raw limits of the same two
 * servers, measured in the same run (issue 5, "Benchmark").
 *
 * Servers: ZK_SRC and ZK_DST (connect strings), or two standalone servers started here (stopped by
 * PID at the end). Tree: N nodes, parents of 100 children, 100 B of data each.
 * - rawReadPerSec: the best plain walk (node-zookeeper-client directly, 4 sessions x 128 in flight,
 *   getData, getChildren only where numChildren > 0), best of two.
 * - rawWritePerSec: the best plain multi writer (batches of 1,000 creates, 4 in flight), best of two.
 * - copy: the engine as the app and the CLI run it (ACLs copied, checkpoints and audit in a real
 *   SQLite store), then its verify. peakRssMB is this process's peak RSS during copy and verify.
 * - context: a copy that keeps ACLs reads every node twice (getData and getACL), so the same walk
 *   with getACL (rawReadAclPerSec) and the engine with --no-acl (copyNoAclSeconds) are measured too;
 *   and a raw copy (the plain walk feeding the plain writer at once, rawCopyPerSec), since reading and
 *   writing share this machine's CPUs.
 * One JSON line with --json (the last line otherwise too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { EngineRuns } from '../electron/engines/zk-copy/run-manager';
import type { CopyParams } from '../electron/engines/zk-copy/types';
import { createSecretBox } from '../electron/platform/secret-box';
import { openStore } from '../electron/store/open-store';
import { FrameSplitter } from '../electron/zk/frame-splitter';
import { ZkSession } from '../electron/zk/zk-session';
import { type LocalZooKeeper, startLocalZooKeeper } from '../scripts/local-zookeeper';

interface Args {
  nodes: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  let nodes = 100_000;
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--nodes' || arg.startsWith('--nodes=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      nodes = Number(text);
      if (!Number.isInteger(nodes) || nodes < 102)
        throw new Error(`--nodes needs a whole number of at least 102, got '${text}'`);
    } else throw new Error(`Unknown option '${arg}': use --nodes N [--json]`);
  }
  return { nodes, json };
}

const DATA = Buffer.alloc(100, 0x61);
const FANOUT = 100;
const OPEN = [new zookeeper.ACL(31, new zookeeper.Id('world', 'anyone'))];

type Client = zookeeper.Client;

/**
 * A plain node-zookeeper-client session. `tuned` gives it what ZkSession gives its own client (writes
 * coalesced per event-loop turn, answers handed over frame by frame, see electron/zk): the raw limit
 * must not be handicapped by costs the engine does not pay. Installed before connect, since the
 * client binds its data handler when the socket opens.
 */
function rawClient(connectString: string, tuned = false): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = zookeeper.createClient(connectString, {
      sessionTimeout: 30_000,
      spinDelay: 200,
      retries: 0,
    });
    if (tuned) tune(client);
    const timer = setTimeout(() => reject(new Error(`cannot connect to ${connectString}`)), 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

function tune(client: Client): void {
  const manager = (
    client as unknown as {
      connectionManager: { socket?: import('node:net').Socket; onSocketData: (b: Buffer) => void };
    }
  ).connectionManager;
  const original = manager.onSocketData;
  const frames = new FrameSplitter();
  let corked: import('node:net').Socket | undefined;
  manager.onSocketData = function (this: unknown, buffer: Buffer) {
    const socket = manager.socket;
    if (socket && corked !== socket) {
      corked = socket;
      socket.cork();
      setImmediate(() => {
        corked = undefined;
        socket.uncork();
      });
    }
    frames.push(
      socket,
      buffer,
      (frame) => original.call(this, frame),
      () => socket?.destroyed === true,
    );
  };
}

function call<T>(fn: (done: (error: unknown, result?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** The paths of the benchmark tree: root, then parents each followed by their children. */
function* treePaths(root: string, nodes: number): Generator<string> {
  yield root;
  let made = 1;
  for (let p = 0; made < nodes; p += 1) {
    const parent = `${root}/p${String(p).padStart(5, '0')}`;
    yield parent;
    made += 1;
    for (let c = 0; c < FANOUT && made < nodes; c += 1) {
      yield `${parent}/c${String(c).padStart(3, '0')}`;
      made += 1;
    }
  }
}

/** Plain multi writer: batches of `batch` creates, `inFlight` at once. Returns seconds. */
async function rawWrite(
  client: Client,
  paths: Iterable<string>,
  batch = 1000,
  inFlight = 4,
): Promise<number> {
  const started = performance.now();
  const pending = new Set<Promise<unknown>>();
  let ops: string[] = [];
  const send = async () => {
    const transaction = client.transaction();
    for (const path of ops) transaction.create(path, DATA, OPEN);
    ops = [];
    const promise = call((done) => transaction.commit(done));
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
    if (pending.size >= inFlight) await Promise.race(pending);
  };
  for (const path of paths) {
    ops.push(path);
    if (ops.length >= batch) await send();
  }
  if (ops.length > 0) await send();
  await Promise.all(pending);
  return (performance.now() - started) / 1000;
}

async function removeRaw(client: Client, root: string, nodes: number): Promise<void> {
  const paths = [...treePaths(root, nodes)].reverse();
  for (let i = 0; i < paths.length; i += 1000) {
    const transaction = client.transaction();
    for (const path of paths.slice(i, i + 1000)) transaction.remove(path, -1);
    await call((done) => transaction.commit(done));
  }
}

/**
 * The best plain walk: `sessions` x `window` nodes in flight, getData, getChildren where
 * numChildren > 0; with `acl`, also getACL per node (what a copy that keeps ACLs must read).
 */
async function rawRead(
  clients: Client[],
  root: string,
  options: { window?: number; acl?: boolean } = {},
): Promise<{ seconds: number; nodes: number }> {
  const window = options.window ?? 128;
  const started = performance.now();
  const queue: string[] = [root];
  let next = 0;
  let active = 0;
  let lane = 0;
  let nodes = 0;
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      active -= 1;
      if (active === 0 && next >= queue.length) resolve();
      else pump();
    };
    const pump = () => {
      while (active < clients.length * window && next < queue.length) {
        const path = queue[next]!;
        // Index, not shift(); release the slot so the array can be collected behind us.
        queue[next] = '';
        next += 1;
        active += 1;
        const client = clients[lane]!;
        lane = (lane + 1) % clients.length;
        // A node is done when its data (and children) and, when asked, its ACL are in.
        let waiting = options.acl ? 2 : 1;
        const part = () => {
          waiting -= 1;
          if (waiting === 0) finish();
        };
        if (options.acl) {
          client.getACL(path, (error) => (error ? reject(error) : part()));
        }
        client.getData(path, (error, _data, stat) => {
          if (error) return reject(error);
          nodes += 1;
          if ((stat as unknown as { numChildren: number }).numChildren > 0) {
            client.getChildren(path, (childError, children) => {
              if (childError) return reject(childError);
              for (const child of children) queue.push(`${path}/${child}`);
              part();
            });
          } else part();
        });
      }
    };
    pump();
  });
  return { seconds: (performance.now() - started) / 1000, nodes };
}

/**
 * A raw copy: the plain walk feeding the plain multi writer (batches of 1,000, 4 in flight), with no
 * ACLs, no comparison, no checkpoints. Reads and writes share this machine's CPUs, so this, not the
 * slower of the two raw limits alone, is what a copy without any engine overhead reaches here.
 */
async function rawCopy(readers: Client[], writer: Client, root: string, targetRoot: string): Promise<number> {
  const started = performance.now();
  const queue: string[] = [root];
  let next = 0;
  let active = 0;
  let lane = 0;
  let batch: { path: string; data: Buffer }[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let writes: Promise<void> = Promise.resolve();
  const sendBatch = () => {
    const ops = batch;
    batch = [];
    const transaction = writer.transaction();
    for (const op of ops) transaction.create(op.path, op.data, OPEN);
    const sent = call((done) => transaction.commit(done));
    inFlight.add(sent);
    sent.finally(() => inFlight.delete(sent));
    writes = writes.then(() => sent.then(() => undefined));
  };
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      active -= 1;
      if (active === 0 && next >= queue.length) resolve();
      else pump();
    };
    const pump = () => {
      // Reads wait while 4 batches are in flight: the writer is the brake, as in the engine.
      while (active < readers.length * 128 && next < queue.length && inFlight.size < 4) {
        const path = queue[next]!;
        queue[next] = '';
        next += 1;
        active += 1;
        const client = readers[lane]!;
        lane = (lane + 1) % readers.length;
        client.getData(path, (error, data, stat) => {
          if (error) return reject(error);
          batch.push({ path: targetRoot + path.slice(root.length), data: data ?? Buffer.alloc(0) });
          if (batch.length >= 1000) {
            sendBatch();
            [...inFlight][0]?.then(pump, reject);
          }
          if ((stat as unknown as { numChildren: number }).numChildren > 0) {
            client.getChildren(path, (childError, children) => {
              if (childError) return reject(childError);
              for (const child of children) queue.push(`${path}/${child}`);
              finish();
            });
          } else finish();
        });
      }
    };
    pump();
  });
  if (batch.length > 0) sendBatch();
  await writes;
  return (performance.now() - started) / 1000;
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 50);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => {
    if (!args.json) process.stderr.write(`${line}\n`);
  };
  const own: LocalZooKeeper[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'mdesk-bench-'));
  const stopOwn = async () => {
    await Promise.allSettled(own.map((server) => server.stop()));
    rmSync(scratch, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void stopOwn().finally(() => process.exit(130));
  });
  try {
    let sourceString = process.env.ZK_SRC;
    let targetString = process.env.ZK_DST;
    if (!sourceString || !targetString) {
      log('Starting two standalone ZooKeeper servers...');
      own.push(await startLocalZooKeeper({ dir: join(scratch, 'zk-src') }));
      own.push(await startLocalZooKeeper({ dir: join(scratch, 'zk-dst') }));
      sourceString = own[0]!.connectString;
      targetString = own[1]!.connectString;
    }
    const stamp = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    const root = `/bench-copy-${stamp}`;
    const writer = await rawClient(sourceString, true);
    const targetWriter = await rawClient(targetString, true);
    const readers = await Promise.all([1, 2, 3, 4].map(() => rawClient(sourceString!, true)));

    log(`Building ${args.nodes.toLocaleString('en-US')} nodes on ${sourceString}${root}...`);
    const buildSeconds = await rawWrite(writer, treePaths(root, args.nodes));
    log(`  built in ${buildSeconds.toFixed(2)} s`);

    // Warm both JVMs' code paths, then measure; raw limits are taken twice around the engine run.
    await rawRead(readers, root);
    const reads: number[] = [];
    const aclReads: number[] = [];
    const writes: number[] = [];
    const measureRaw = async (round: number) => {
      const read = await rawRead(readers, root);
      if (read.nodes !== args.nodes)
        throw new Error(`the raw walk saw ${read.nodes} nodes, expected ${args.nodes}`);
      reads.push(read.nodes / read.seconds);
      const withAcl = await rawRead(readers, root, { acl: true });
      aclReads.push(withAcl.nodes / withAcl.seconds);
      const rawRoot = `/bench-raw-${stamp}-${round}`;
      const seconds = await rawWrite(targetWriter, treePaths(rawRoot, args.nodes));
      writes.push(args.nodes / seconds);
      await removeRaw(targetWriter, rawRoot, args.nodes);
      log(
        `  raw read ${Math.round(reads.at(-1)!)} nodes/s (with ACLs ${Math.round(aclReads.at(-1)!)}), raw write ${Math.round(writes.at(-1)!)} nodes/s`,
      );
    };
    await measureRaw(1);
    const rawCopyRoot = `/bench-rawcopy-${stamp}`;
    const rawCopySeconds = await rawCopy(readers, targetWriter, root, rawCopyRoot);
    await removeRaw(targetWriter, rawCopyRoot, args.nodes);
    log(`  raw copy (walk + multi writer, no ACLs) ${(args.nodes / rawCopySeconds).toFixed(0)} nodes/s`);

    const storeDir = join(scratch, 'store');
    const store = openStore({
      file: join(storeDir, 'bench.db'),
      secretBox: createSecretBox(randomBytes(32)),
    });
    const runs = new EngineRuns({
      store,
      actor: 'bench',
      factory: {
        credentials: () => [],
        open: (ref) =>
          ZkSession.connect({
            connectString: ref.connectString,
            sessionTimeoutMs: 30_000,
            connectTimeoutMs: 10_000,
          }),
      },
    });
    const params: CopyParams = {
      source: { kind: 'zk', connectString: sourceString, path: root },
      target: { kind: 'zk', connectString: targetString, path: root },
      mode: 'create-only',
      copyAcl: true,
      include: [],
      exclude: [],
      reconcilePasses: 0,
      verify: true,
    };
    const view = runs.create('zk-copy', params);
    log('Engine copy (ACLs copied, checkpoints and audit in SQLite), then verify...');
    const sampler = new RssSampler();
    sampler.start();
    const done = await runs.start(view.id);
    const peakRss = sampler.stop();
    if (done.state !== 'completed')
      throw new Error(`the copy ${done.state}: ${done.result?.error?.message ?? ''}`);
    log(
      `  copy ${done.result!.copy!.seconds.toFixed(2)} s, verify ${done.result!.verify!.seconds.toFixed(2)} s`,
    );
    // The same engine without ACLs (--no-acl) reads what the plain walk reads: its own overhead.
    const noAclRoot = `/bench-noacl-${stamp}`;
    const noAclParams: CopyParams = {
      ...params,
      target: { ...params.target, path: noAclRoot },
      copyAcl: false,
      verify: false,
    };
    const noAcl = await runs.start(runs.create('zk-copy', noAclParams).id);
    store.close();
    if (noAcl.state !== 'completed') throw new Error(`the --no-acl copy ${noAcl.state}`);
    const copyNoAclSeconds = noAcl.result!.copy!.seconds;
    log(`  copy --no-acl ${copyNoAclSeconds.toFixed(2)} s`);
    await removeRaw(targetWriter, noAclRoot, args.nodes);
    const copy = done.result!.copy!;
    const verify = done.result!.verify!;
    if (copy.counts.created !== args.nodes || verify.counts.matching !== args.nodes) {
      throw new Error(
        `the copy created ${copy.counts.created} and verify matched ${verify.counts.matching} of ${args.nodes} nodes`,
      );
    }
    await measureRaw(2);

    const rawReadPerSec = Math.max(...reads);
    const rawReadAclPerSec = Math.max(...aclReads);
    const rawWritePerSec = Math.max(...writes);
    const copyPerSec = args.nodes / copy.seconds;
    const copyNoAclPerSec = args.nodes / copyNoAclSeconds;
    const result = {
      nodes: args.nodes,
      bytes: copy.counts.bytes,
      copySeconds: round(copy.seconds, 3),
      copyPerSec: Math.round(copyPerSec),
      verifySeconds: round(verify.seconds, 3),
      rawReadPerSec: Math.round(rawReadPerSec),
      rawWritePerSec: Math.round(rawWritePerSec),
      limitRatio: round(copyPerSec / Math.min(rawReadPerSec, rawWritePerSec), 3),
      peakRssMB: round(peakRss / 1024 / 1024, 1),
      copyAcl: true,
      verifyMatching: verify.counts.matching,
      // Context for the ratio: a copy that keeps ACLs reads each node twice (getData + getACL).
      rawReadAclPerSec: Math.round(rawReadAclPerSec),
      limitRatioSameReads: round(copyPerSec / Math.min(rawReadAclPerSec, rawWritePerSec), 3),
      copyNoAclSeconds: round(copyNoAclSeconds, 3),
      limitRatioNoAcl: round(copyNoAclPerSec / Math.min(rawReadPerSec, rawWritePerSec), 3),
      // Reads and writes at once on the same CPUs, no engine: the engine's --no-acl copy against it.
      rawCopyPerSec: Math.round(args.nodes / rawCopySeconds),
      engineVsRawCopy: round(copyNoAclPerSec / (args.nodes / rawCopySeconds), 3),
      rawReadRuns: reads.map(Math.round),
      rawReadAclRuns: aclReads.map(Math.round),
      rawWriteRuns: writes.map(Math.round),
      servers: own.length > 0 ? 'own' : 'ZK_SRC/ZK_DST',
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);

    // Leave the servers as we found them.
    await removeRaw(writer, root, args.nodes);
    await removeRaw(targetWriter, root, args.nodes);
    for (const client of [writer, targetWriter, ...readers]) client.close();
  } finally {
    await stopOwn();
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    process.stderr.write(`bench:copy failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
