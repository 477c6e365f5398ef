/**
 * What step executors may use. Built once per host (or CLI process) from the real parts; tests build
 * it from real ZooKeeper sessions, a real SQLite store, and the Pegasus shell / meta HTTP fixtures.
 * Executors get everything through here, never by importing host singletons, so a runbook runs the
 * same in the app, headless in the CLI, and in tests.
 */
import type { EngineRuns } from '../engines/zk-copy/run-manager';
import type { PegasusToolAccess } from '../pegasus/tools/tool-access';
import type { Store } from '../store/types';
import type { ZkSessionLike } from '../zk/types';

export interface RunServices {
  store: Store;
  /** A session on a saved connection (opened or reused); throws with the reason when unreachable. */
  zk(connectionId: string): Promise<ZkSessionLike>;
  /** The copy engine (plan, copy, verify, reconcile, cleanup) that ZooKeeper migrations drive. */
  copyEngine: EngineRuns;
  /** Pegasus cluster profiles and the tools configured in them (shell, admin-cli, meta HTTP). */
  pegasus: PegasusToolAccess;
  /** Who the audit log names. */
  actor: string;
  /** Clock and sleep, so wait steps can be tested without real minutes. */
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
