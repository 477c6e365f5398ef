/**
 * A real replicated ZooKeeper ensemble (QuorumPeerMain, one JVM per member) on loopback, for the
 * ensemble-health tests: leader/follower modes, a member going down and coming back, and a member
 * whose 4lw whitelist is narrower than the others'. Standalone servers (local-zookeeper.ts) cannot
 * show any of that. Each member has its own directory and free ports; stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fourLetterWord } from '../../electron/zk/four-letter-word';
import {
  findFreePort,
  findZooKeeperInstall,
  stopProcess,
  type ZooKeeperInstall,
} from '../../scripts/local-zookeeper';

const LOOPBACK = '127.0.0.1';
const QUORUM_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
/** The whitelist zookeeper-reference.md section 4 gives; a member may be started with a narrower one. */
export const REFERENCE_WHITELIST = 'ruok,srvr,stat,mntr,conf,cons,wchs,envi';

export interface EnsembleMember {
  readonly id: number;
  readonly clientPort: number;
  readonly address: string;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface LocalEnsemble {
  readonly members: EnsembleMember[];
  /** All members, `127.0.0.1:p1,127.0.0.1:p2,...`. */
  readonly connectString: string;
  /** Waits until `count` members answer srvr with a quorum mode (leader/follower). */
  waitForQuorum(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalEnsembleOptions {
  dir: string;
  size?: number;
  /** 4lw.commands.whitelist per member id; members not named get REFERENCE_WHITELIST. */
  whitelist?: Record<number, string>;
  install?: ZooKeeperInstall;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startLocalEnsemble(options: LocalEnsembleOptions): Promise<LocalEnsemble> {
  const install = options.install ?? findZooKeeperInstall();
  const size = options.size ?? 3;
  const ports: { client: number; peer: number; election: number }[] = [];
  for (let i = 0; i < size; i += 1) {
    ports.push({ client: await findFreePort(), peer: await findFreePort(), election: await findFreePort() });
  }
  const serverLines = ports.map((p, i) => `server.${i + 1}=${LOOPBACK}:${p.peer}:${p.election}`);
  const members: EnsembleMember[] = [];
  const children = new Map<number, ChildProcess>();

  for (let i = 0; i < size; i += 1) {
    const id = i + 1;
    const dir = path.join(options.dir, `member${id}`);
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'myid'), `${id}\n`);
    const cfg = path.join(dir, 'zoo.cfg');
    fs.writeFileSync(
      cfg,
      [
        'tickTime=2000',
        'initLimit=30',
        'syncLimit=15',
        `dataDir=${dataDir}`,
        `clientPort=${ports[i]!.client}`,
        `clientPortAddress=${LOOPBACK}`,
        'maxClientCnxns=0',
        'admin.enableServer=false',
        `4lw.commands.whitelist=${options.whitelist?.[id] ?? REFERENCE_WHITELIST}`,
        ...serverLines,
        '',
      ].join('\n'),
    );
    const logFile = path.join(dir, 'zookeeper.log');
    const launch = () => {
      const log = fs.openSync(logFile, 'a');
      try {
        const child = spawn(
          install.java,
          ['-Xms32m', '-Xmx256m', '-cp', install.classpath, QUORUM_MAIN, cfg],
          {
            cwd: dir,
            stdio: ['ignore', log, log],
          },
        );
        child.on('error', () => undefined);
        children.set(id, child);
      } finally {
        fs.closeSync(log);
      }
    };
    const isRunning = () => {
      const child = children.get(id);
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    };
    members.push({
      id,
      clientPort: ports[i]!.client,
      address: `${LOOPBACK}:${ports[i]!.client}`,
      get running() {
        return isRunning();
      },
      async stop() {
        const child = children.get(id);
        if (child?.pid && isRunning()) await stopProcess(child.pid, 5000, child);
      },
      async start() {
        if (isRunning()) throw new Error(`ensemble member ${id} is still running`);
        launch();
      },
    });
    launch();
  }

  const killOnExit = () => {
    for (const child of children.values()) {
      try {
        if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killOnExit);

  const ensemble: LocalEnsemble = {
    members,
    connectString: members.map((m) => m.address).join(','),
    async waitForQuorum(count, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        const modes = await Promise.all(
          members
            .filter((m) => m.running)
            .map((m) =>
              fourLetterWord(LOOPBACK, m.clientPort, 'srvr', 2000)
                .then((answer) => /^Mode: (leader|follower)$/m.exec(answer)?.[1])
                .catch(() => undefined),
            ),
        );
        const serving = modes.filter(Boolean);
        if (serving.length >= count && serving.includes('leader')) return;
        last = modes.map((m) => m ?? '-').join(',');
        await sleep(250);
      }
      throw new Error(`The local ensemble did not reach ${count} serving members in time (modes: ${last})`);
    },
    async stop() {
      process.off('exit', killOnExit);
      await Promise.allSettled(members.map((m) => m.stop()));
    },
  };
  try {
    await ensemble.waitForQuorum(size);
  } catch (error) {
    await ensemble.stop();
    throw error;
  }
  return ensemble;
}
