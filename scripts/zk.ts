/**
 * `npm run zk:up [-- --port 2181]` / `npm run zk:down`: one local standalone ZooKeeper for manual
 * work, data in <repo>/.zk-local/, tracked by a pid file so `down` stops exactly that process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isPortInUse,
  isZooKeeperProcess,
  readClientPort,
  startLocalZooKeeper,
  stopProcess,
} from './local-zookeeper';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const localDir = path.join(repoRoot, '.zk-local');
const pidFile = path.join(localDir, 'zookeeper.pid');
const cfgFile = path.join(localDir, 'zoo.cfg');

function readPid(): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function parsePort(args: string[]): number {
  const index = args.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (index < 0) return 2181;
  const arg = args[index] ?? '';
  const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port needs a port number between 1 and 65535, got '${text ?? ''}'`);
  }
  return port;
}

async function up(args: string[]): Promise<void> {
  const port = parsePort(args);
  const running = readPid();
  if (running !== undefined && isZooKeeperProcess(running)) {
    const runningPort = readClientPort(cfgFile);
    console.log(
      `ZooKeeper is already running at 127.0.0.1:${runningPort ?? '?'} (pid ${running}); stop it with npm run zk:down`,
    );
    return;
  }
  if (running !== undefined) fs.rmSync(pidFile, { force: true });
  if (await isPortInUse(port)) {
    throw new Error(`127.0.0.1:${port} is already in use by another process: pick another port with --port`);
  }
  const server = await startLocalZooKeeper({ dir: localDir, port, detached: true });
  fs.writeFileSync(pidFile, `${server.pid}\n`);
  console.log(
    `ZooKeeper running at ${server.connectString} (pid ${server.pid}, data in ${path.relative(repoRoot, localDir)}/, log ${path.relative(repoRoot, server.logFile)})`,
  );
}

async function down(): Promise<void> {
  const pid = readPid();
  if (pid === undefined) {
    console.log('No local ZooKeeper is running (no .zk-local/zookeeper.pid); start one with npm run zk:up');
    return;
  }
  if (!isZooKeeperProcess(pid)) {
    fs.rmSync(pidFile, { force: true });
    console.log(
      `No local ZooKeeper is running (pid ${pid} from a stale pid file is gone); removed the pid file`,
    );
    return;
  }
  await stopProcess(pid, 10_000);
  fs.rmSync(pidFile, { force: true });
  console.log(`Stopped ZooKeeper (pid ${pid}); its data stays in ${path.relative(repoRoot, localDir)}/`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'up') return up(rest);
  if (command === 'down') return down();
  throw new Error(`Usage: tsx scripts/zk.ts up [--port 2181] | down (got '${command ?? ''}')`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
