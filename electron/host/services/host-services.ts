/** Everything the API procedures need, built once per host process. */
import type { Store } from '../../store/types';
import type { ConnectFn, SessionRegistry } from './session-registry';

export interface HostInfo {
  version: string;
  mode: 'desktop' | 'browser';
  dataDir: string;
  startedAt: number;
}

export interface HostServices {
  store: Store;
  sessions: SessionRegistry;
  /** Opens a ZooKeeper session (the real client in production, the same in tests). */
  connect: ConnectFn;
  /** Who the audit log names: the OS user running the app. */
  actor: string;
  info: HostInfo;
}
