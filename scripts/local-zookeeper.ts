/**
 * Real standalone ZooKeeper servers on loopback, for the tests (test/setup) and `npm run zk:up`.
 * Each server has its own directory (zoo.cfg, data/, zookeeper.log) and is stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fourLetterWord } from '../electron/zk/four-letter-word';

export const ZOOKEEPER_NOT_INSTALLED =
  'ZooKeeper is not installed: run `sudo apt-get install zookeeper` (Debian/Ubuntu), or set ZOOKEEPER_HOME to an unpacked ZooKeeper release.';
export const JAVA_NOT_INSTALLED =
  'Java is not installed (ZooKeeper needs it): run `sudo apt-get install default-jre-headless` (Debian/Ubuntu), or set JAVA_HOME to a Java 11+ runtime.';

const DEBIAN_ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const DEBIAN_SLF4J_SIMPLE_JAR = '/usr/share/java/slf4j-simple.jar';
const LOOPBACK = '127.0.0.1';
const MAIN_CLASS = 'org.apache.zookeeper.server.ZooKeeperServerMain';

export interface ZooKeeperInstall {
  java: string;
  /** Java class path (entries joined with ':'). */
  classpath: string;
  /** Where it was found, for messages: 'ZOOKEEPER_HOME=/opt/zk' or 'Debian package'. */
  source: string;
}

export interface FindInstallOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides the Debian jar locations (tests). */
  debianZookeeperJar?: string;
  debianSlf4jJar?: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findJava(env: NodeJS.ProcessEnv): string | undefined {
  if (env.JAVA_HOME) {
    const candidate = path.join(env.JAVA_HOME, 'bin', 'java');
    if (isExecutable(candidate)) return candidate;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'java');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds java and ZooKeeper's jars: ZOOKEEPER_HOME (a release: lib/*.jar, conf/ for its logging
 * config) first, else Debian's package. Throws with what to install when either is missing.
 */
export function findZooKeeperInstall(options: FindInstallOptions = {}): ZooKeeperInstall {
  const env = options.env ?? process.env;
  let classpath: string;
  let source: string;
  const home = env.ZOOKEEPER_HOME;
  if (home) {
    const lib = path.join(home, 'lib');
    let jars: string[] = [];
    try {
      jars = fs.readdirSync(lib).filter((name) => name.endsWith('.jar'));
    } catch {
      jars = [];
    }
    if (!jars.some((name) => /^zookeeper-\d.*\.jar$/.test(name) || name === 'zookeeper.jar')) {
      throw new Error(`ZOOKEEPER_HOME=${home} has no ZooKeeper jar in ${lib}. ${ZOOKEEPER_NOT_INSTALLED}`);
    }
    classpath = [path.join(home, 'conf'), ...jars.sort().map((name) => path.join(lib, name))].join(':');
    source = `ZOOKEEPER_HOME=${home}`;
  } else {
    const jar = options.debianZookeeperJar ?? DEBIAN_ZOOKEEPER_JAR;
    if (!fs.existsSync(jar)) throw new Error(ZOOKEEPER_NOT_INSTALLED);
    // The Debian jar's manifest lists its dependencies; only a logging binding must be added.
    const slf4j = options.debianSlf4jJar ?? DEBIAN_SLF4J_SIMPLE_JAR;
    classpath = fs.existsSync(slf4j) ? `${jar}:${slf4j}` : jar;
    source = 'Debian package';
  }
  const java = findJava(env);
  if (!java) throw new Error(JAVA_NOT_INSTALLED);
  return { java, classpath, source };
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read the bound port'))));
    });
  });
}

/** Whether something is listening on 127.0.0.1:port (we could not bind it). */
export function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(true));
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** zoo.cfg for one standalone server, as zookeeper-reference.md section 4 gives it. */
export function zooCfg(dataDir: string, port: number): string {
  return [
    'tickTime=2000',
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    `clientPortAddress=${LOOPBACK}`,
    'maxClientCnxns=0',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,stat,mntr,conf,cons,wchs,envi',
    '',
  ].join('\n');
}

/** The clientPort of an existing zoo.cfg, or undefined. */
export function readClientPort(zooCfgPath: string): number | undefined {
  try {
    const match = /^clientPort=(\d+)\s*$/m.exec(fs.readFileSync(zooCfgPath, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether pid is a ZooKeeper server (guards against a recycled PID in a stale pid file). */
export function isZooKeeperProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MAIN_CLASS);
  } catch {
    // No /proc (not Linux): trust the PID.
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone (bounded). */
export async function stopProcess(pid: number, graceMs = 5000, child?: ChildProcess): Promise<void> {
  const gone = () => (child ? child.exitCode !== null || child.signalCode !== null : !isProcessAlive(pid));
  if (gone()) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const termDeadline = Date.now() + graceMs;
  while (!gone() && Date.now() < termDeadline) await sleep(50);
  if (gone()) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const killDeadline = Date.now() + 5000;
  while (!gone() && Date.now() < killDeadline) await sleep(50);
  if (!gone()) throw new Error(`Process ${pid} did not exit after SIGKILL`);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface LocalZooKeeperOptions {
  /** Directory for zoo.cfg, data/ and zookeeper.log; created when missing. */
  dir: string;
  /** Defaults to a free port. */
  port?: number;
  /** How long to wait for `srvr` to report `Mode: standalone` (default 20 s). */
  readyTimeoutMs?: number;
  /** Let the server outlive this process (zk:up); otherwise it shares our process group. */
  detached?: boolean;
  install?: ZooKeeperInstall;
}

export interface LocalZooKeeper {
  readonly port: number;
  /** PID of the running server; the last one after stop(). */
  readonly pid: number;
  readonly dir: string;
  readonly connectString: string;
  readonly logFile: string;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after a bound, by PID. */
  stop(): Promise<void>;
  /** Starts it again with the same dataDir and port (after stop()). */
  start(): Promise<void>;
}

/** Waits until the server on port answers srvr with Mode: standalone, or fails with the log's tail. */
async function waitUntilServing(
  port: number,
  logFile: string,
  timeoutMs: number,
  exited: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) {
      throw new Error(
        `ZooKeeper on ${LOOPBACK}:${port} exited (${exit}) before it was ready; see ${logFile}:\n${tail(logFile, 15)}`,
      );
    }
    try {
      const answer = await fourLetterWord(LOOPBACK, port, 'srvr', 1000);
      if (/^Mode: standalone$/m.test(answer)) return;
      last = answer.trim().split('\n')[0] ?? '';
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(
    `ZooKeeper on ${LOOPBACK}:${port} was not ready within ${Math.round(timeoutMs / 1000)} s (last answer: ${last}); see ${logFile}:\n${tail(logFile, 15)}`,
  );
}

/** Starts a standalone server and resolves once it serves requests. */
export async function startLocalZooKeeper(options: LocalZooKeeperOptions): Promise<LocalZooKeeper> {
  const install = options.install ?? findZooKeeperInstall();
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const cfgPath = path.join(dir, 'zoo.cfg');
  fs.writeFileSync(cfgPath, zooCfg(dataDir, port));
  const logFile = path.join(dir, 'zookeeper.log');
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;

  let child: ChildProcess | undefined;
  let pid = 0;

  const launch = async () => {
    if (await isPortInUse(port)) {
      throw new Error(
        `Cannot start ZooKeeper: ${LOOPBACK}:${port} is already in use (another server, or a previous run still running?)`,
      );
    }
    const log = fs.openSync(logFile, 'a');
    try {
      child = spawn(install.java, ['-Xms64m', '-Xmx512m', '-cp', install.classpath, MAIN_CLASS, cfgPath], {
        cwd: dir,
        stdio: ['ignore', log, log],
        detached: options.detached ?? false,
      });
    } finally {
      fs.closeSync(log);
    }
    const started = child;
    let spawnError: Error | undefined;
    started.on('error', (error) => {
      spawnError = error;
    });
    if (options.detached) started.unref();
    pid = started.pid ?? 0;
    const exited = () => {
      if (spawnError) return spawnError.message;
      if (started.exitCode !== null) return `exit code ${started.exitCode}`;
      if (started.signalCode !== null) return `signal ${started.signalCode}`;
      return undefined;
    };
    try {
      await waitUntilServing(port, logFile, readyTimeoutMs, exited);
    } catch (error) {
      if (pid > 0) await stopProcess(pid, 2000, started).catch(() => undefined);
      throw error;
    }
  };

  await launch();

  return {
    port,
    dir,
    logFile,
    connectString: `${LOOPBACK}:${port}`,
    get pid() {
      return pid;
    },
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      if (!child || pid <= 0) return;
      await stopProcess(pid, 5000, child);
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error(`ZooKeeper on ${LOOPBACK}:${port} is still running (pid ${pid}): stop it first`);
      }
      await launch();
    },
  };
}
