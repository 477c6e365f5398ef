/**
 * Composition root of the core host: data dir, store, secret box, ZooKeeper sessions, HTTP server.
 * Plain Node: the browser host runs it directly, the desktop app runs it in a utility process.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from '../platform/data-dir';
import { createSecretBox, loadOrCreateKeyFile } from '../platform/secret-box';
import { offlineSnapshotSource } from '../engines/snapshots/offline-source';
import { openStore } from '../store/open-store';
import { ZkSession } from '../zk/zk-session';
import { type RunningHttpServer, startHttpServer } from './http-server';
import type { HostServices } from './services/host-services';
import { NodeWatchHub } from './services/node-watch-hub';
import { type ConnectFn, SessionRegistry } from './services/session-registry';
import { TreeJobs } from './services/tree-jobs';
import { runnerFor } from './services/runner-service';
import { shutdownEngineRuns } from './services/engine-runs-service';
import { TunnelPool } from './services/tunnel-pool';
import { createPegasusToolAccess } from '../pegasus/tools/create-tool-access';
import { countOf } from '../../shared/plural';

export const APP_VERSION = '0.1.0';
export const DATABASE_FILE = 'migration-desk.db';

export interface StartHostOptions {
  mode: 'desktop' | 'browser';
  dataDir?: string;
  port?: number;
  token?: string;
  rendererDir?: string;
  /** Desktop: a key the OS keychain protects. Browser: undefined, a 0600 key file in the data dir. */
  secretKey?: Buffer;
  /** Tests may wrap the real connector; production uses ZkSession.connect. */
  connect?: ConnectFn;
  log?: (line: string) => void;
}

export interface RunningHost extends RunningHttpServer {
  services: HostServices;
  /** Stops the server, closes every ZooKeeper session and the store. */
  stop(): Promise<void>;
}

function operatorName(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = resolveDataDir(options.dataDir);
  const secretBox = createSecretBox(options.secretKey ?? loadOrCreateKeyFile(dataDir));
  const store = openStore({ file: join(dataDir, DATABASE_FILE), secretBox });
  const actor = operatorName();
  const connect: ConnectFn = options.connect ?? ((sessionOptions) => ZkSession.connect(sessionOptions));
  const tunnels = new TunnelPool(store, actor);
  const sessions = new SessionRegistry(store, connect, actor, tunnels);
  sessions.setOfflineSource(offlineSnapshotSource(store.snapshots));
  const services: HostServices = {
    store,
    sessions,
    watches: new NodeWatchHub(sessions),
    treeJobs: new TreeJobs(),
    tunnels,
    connect,
    actor,
    pegasusTools: createPegasusToolAccess(store, { actor }),
    info: { version: APP_VERSION, mode: options.mode, dataDir, startedAt: Date.now() },
  };

  let http: RunningHttpServer;
  try {
    http = await startHttpServer({
      services,
      port: options.port,
      token: options.token,
      rendererDir: options.rendererDir,
      log,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  store.events.append({
    actor,
    action: 'host.started',
    detail: { mode: options.mode, port: http.port, version: APP_VERSION },
  });
  // Runs the store says are running were interrupted (crash, kill, reboot): they go on from their step.
  runnerFor(services)
    .recover()
    .then((ids) => {
      if (ids.length > 0) log(`Resumed ${countOf(ids.length, 'interrupted run')}: ${ids.join(', ')}`);
    })
    .catch((error: unknown) => log(`Could not resume interrupted runs: ${String(error)}`));

  let stopped = false;
  return {
    ...http,
    services,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      services.treeJobs.cancelAll();
      services.watches.close();
      // Before the sessions close: running steps stop at a checkpoint and stay resumable.
      await runnerFor(services).shutdown();
      // Copies started from the Copy view: paused with their writes settled, resumable after a start.
      await shutdownEngineRuns(services);
      await sessions.closeAll();
      await tunnels.closeAll();
      await http.close();
      store.events.append({ actor, action: 'host.stopped', detail: { mode: options.mode } });
      store.close();
    },
  };
}
