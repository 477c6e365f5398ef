/**
 * vitest globalSetup for the integration and e2e projects: two real standalone ZooKeeper servers on
 * free loopback ports in a fresh temp dir, stopped by PID afterwards. When ZooKeeper is missing the
 * run fails with what to install: these tests must never skip silently.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  findZooKeeperInstall,
  type LocalZooKeeper,
  startLocalZooKeeper,
} from '../../scripts/local-zookeeper';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const install = findZooKeeperInstall();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-desk-zk-'));
  const servers: LocalZooKeeper[] = [];

  // If the runner dies without calling teardown, do not leave JVMs behind.
  const killOnExit = () => {
    for (const server of servers) {
      try {
        if (server.running) process.kill(server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killOnExit);

  const teardown = async () => {
    process.off('exit', killOnExit);
    await Promise.allSettled(servers.map((server) => server.stop()));
    fs.rmSync(root, { recursive: true, force: true });
  };

  try {
    const primary = await startLocalZooKeeper({ dir: path.join(root, 'zk1'), install });
    servers.push(primary);
    const secondary = await startLocalZooKeeper({ dir: path.join(root, 'zk2'), install });
    servers.push(secondary);
    project.provide('zkPrimary', primary.connectString);
    project.provide('zkSecondary', secondary.connectString);
    project.provide('zkPrimaryDir', primary.dir);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
