/**
 * `npm run demo:seed -- [--zk 127.0.0.1:2181] [--root /pegasus/demo] [--tables 12] [--partitions 16]
 *  [--replace] [--hold]`
 *
 * Writes a sample Pegasus cluster into a ZooKeeper (by default the one `npm run zk:up` starts) with
 * the test fixtures' seeder: available and dropped tables in both payload versions, a split in
 * progress, unhealthy partitions, duplications with progress, backup policies, a bulk load, the
 * meta servers' leader lock and a MetaProxy root with two bad entries. Then it says what it made
 * and how to open it.
 *
 * The meta lock nodes of a real cluster are ephemeral: they vanish with their meta server's
 * session. Without --hold this script writes them as persistent sequential nodes so the sample keeps
 * a leader after it exits; with --hold they are real ephemeral nodes held until Ctrl-C.
 */
import { ZkSession } from '../electron/zk/zk-session';
import {
  type LockHolderSession,
  type SeedWriter,
  seedCluster,
} from '../test/fixtures/pegasus-cluster/seed-cluster';

interface Args {
  zk: string;
  root: string;
  metaProxyRoot: string;
  tables: number;
  partitions: number;
  replace: boolean;
  hold: boolean;
}

const USAGE =
  'usage: npm run demo:seed -- [--zk HOST:PORT] [--root /pegasus/demo] [--meta-proxy-root /pegasus-metaproxy]\n' +
  '                            [--tables 12] [--partitions 16] [--replace] [--hold]';

function parseArgs(argv: string[]): Args {
  const args: Args = {
    zk: '127.0.0.1:2181',
    root: '/pegasus/demo',
    metaProxyRoot: '/pegasus-metaproxy',
    tables: 12,
    partitions: 16,
    replace: false,
    hold: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--zk') args.zk = value();
    else if (arg === '--root') args.root = value();
    else if (arg === '--meta-proxy-root') args.metaProxyRoot = value();
    else if (arg === '--tables' || arg === '--partitions') {
      const count = Number(value());
      if (!Number.isInteger(count) || count < 1) throw new Error(`${arg} needs a positive whole number`);
      if (arg === '--tables') args.tables = count;
      else args.partitions = count;
    } else if (arg === '--replace') args.replace = true;
    else if (arg === '--hold') args.hold = true;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return args;
}

/** Deletes a subtree, deepest nodes first. */
async function removeSubtree(session: ZkSession, path: string): Promise<number> {
  const levels: string[][] = [[path]];
  for (let level = levels[0] as string[]; level.length > 0; ) {
    const next = (
      await Promise.all(
        level.map(async (p) => (await session.getChildren(p)).children.map((c) => `${p}/${c}`)),
      )
    ).flat();
    if (next.length > 0) levels.push(next);
    level = next;
  }
  let removed = 0;
  for (const level of levels.reverse()) {
    for (let i = 0; i < level.length; i += 256) {
      await Promise.all(
        level.slice(i, i + 256).map(async (p) => {
          await session.remove(p, -1);
          removed += 1;
        }),
      );
    }
  }
  return removed;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const connect = () =>
    ZkSession.connect({ connectString: args.zk, sessionTimeoutMs: 15_000, connectTimeoutMs: 5_000 }).catch(
      (error: unknown) => {
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\nStart a local ZooKeeper with \`npm run zk:up\`, or pass --zk HOST:PORT.`,
        );
      },
    );
  const session = await connect();
  const holders: LockHolderSession[] = [];
  try {
    for (const path of [args.root, args.metaProxyRoot]) {
      if (!(await session.exists(path))) continue;
      if (!args.replace) {
        throw new Error(
          `${path} already exists in ${args.zk}: pass --replace to delete and re-seed it, or choose another --root`,
        );
      }
      console.log(`Removed ${await removeSubtree(session, path)} nodes under ${path}`);
    }

    // Persistent sequential lock nodes on the main session, unless --hold keeps real ephemeral ones.
    const openLockSession = args.hold
      ? async (): Promise<LockHolderSession> => {
          const holder = await connect();
          holders.push({ writer: holder, close: () => holder.close() });
          return { writer: holder, close: () => holder.close() };
        }
      : async (): Promise<LockHolderSession> => {
          const writer: SeedWriter = {
            create: (path, data) => session.create(path, data, { mode: 'persistent-sequential' }),
          };
          return { writer, close: async () => undefined };
        };

    const started = Date.now();
    const seeded = await seedCluster(session, {
      root: args.root,
      tables: args.tables,
      partitions: args.partitions,
      droppedTables: Math.max(1, Math.round(args.tables / 6)),
      duplicatedTables: Math.min(3, args.tables),
      metaProxyRoot: args.metaProxyRoot,
      seed: 2024,
      openLockSession,
    });
    const e = seeded.expected;
    const available = e.tables.filter((t) => t.status === 'available');
    const name = (ids: (t: (typeof e.tables)[number]) => boolean) =>
      e.tables
        .filter(ids)
        .map((t) => `${t.name} (${t.appId})`)
        .join(', ') || '-';
    console.log(`Seeded a sample Pegasus cluster into ${args.zk} in ${Date.now() - started} ms:
  cluster root      ${e.root}   (${e.znodeCount} znodes, ${e.layout} layout)
  tables            ${available.length} available x ${args.partitions} partitions, ${e.tables.length - available.length} dropped
  payloads          2.6 (host:port) and 2.5 (ip:port), alternating by table
  unhealthy         ${name((t) => t.status === 'available' && t.unhealthy > 0 && !t.splitting)}
  split in progress ${name((t) => t.splitting)}
  duplications      ${name((t) => t.duplications.length > 0)}
  bulk loading      ${name((t) => t.bulkLoading)}
  backup policies   ${e.backupPolicies.map((p) => p.name).join(', ') || '-'}
  meta leader       ${e.metaLeader} (of ${e.metaCandidates.length} lock holders in ${e.lockDir}${
    args.hold ? ', ephemeral, held by this process' : ', persistent: see --hold'
  })
  MetaProxy root    ${args.metaProxyRoot}   (${e.metaProxy?.routes.length ?? 0} routes, 2 of them bad on purpose)

Open it:
  npm run web                        # or npm start for the desktop app
  Add connection: connect string ${args.zk}, then the Pegasus tab, and pick ${e.root}
  MetaProxy routes tab: ${args.metaProxyRoot}
  npx mdesk pegasus summary zk://${args.zk}${e.root} --json`);

    if (args.hold) {
      console.log(
        '\nHolding the meta lock with live sessions; Ctrl-C to stop (the lock nodes go with them).',
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
  } finally {
    await Promise.allSettled(holders.map((holder) => holder.close()));
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
