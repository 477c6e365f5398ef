/** Everything the API procedures need, built once per host process. */
import type { PegasusToolAccess } from '../../pegasus/tools/tool-access';
import type { Store } from '../../store/types';
import type { NodeWatchHub } from './node-watch-hub';
import type { ConnectFn, SessionRegistry } from './session-registry';
import type { TreeJobs } from './tree-jobs';
import type { TunnelPool } from './tunnel-pool';

export interface HostInfo {
  version: string;
  mode: 'desktop' | 'browser';
  dataDir: string;
  startedAt: number;
}

export interface HostServices {
  store: Store;
  sessions: SessionRegistry;
  /** The live view's one-shot watches on the nodes renderers show. */
  watches: NodeWatchHub;
  /** Recursive writes (subtree delete, recursive ACL) running in the host. */
  treeJobs: TreeJobs;
  /** SSH tunnels of connections that go through a jump host. */
  tunnels: TunnelPool;
  /** Opens a ZooKeeper session (the real client in production, the same in tests). */
  connect: ConnectFn;
  /** Who the audit log names: the OS user running the app. */
  actor: string;
  /** Cluster profiles and their Pegasus shell / admin-cli, run as child processes. */
  pegasusTools: PegasusToolAccess;
  info: HostInfo;
}
