/**
 * What step executors may use. Built once per host (or CLI process) from the real parts; tests build
 * it from real ZooKeeper sessions, a real SQLite store, and the Pegasus shell / meta HTTP fixtures.
 * Executors get everything through here, never by importing host singletons, so a runbook runs the
 * same in the app, headless in the CLI, and in tests.
 */
import type { ZkEndpointRef } from '../engines/zk-copy/endpoints';
import type { EngineRuns } from '../engines/zk-copy/run-manager';
import type { PegasusToolAccess } from '../pegasus/tools/tool-access';
import type { Store } from '../store/types';
import type { ZkSessionLike } from '../zk/types';

/**
 * A ZooKeeper connection as a runbook parameter names it. The app names saved connections by id; the
 * CLI also takes a saved connection's name and a plain connect string (zk://host:port, credentials
 * from MDESK_ZK_AUTH), like `mdesk zk copy` does. Added to the contract because only the shell
 * running the runbook knows which of these it accepts and where the credential comes from (the same
 * split as the copy engine's SessionFactory).
 */
export interface RunConnection {
  /** The reference as given in the parameters. */
  ref: string;
  /** For messages and reports: '@prod' or 'zk://10.0.0.1:2181'. */
  label: string;
  /** The saved connection, when it is one. */
  connectionId?: string;
  /** Writes are refused until the operator switches the saved connection to read-write. */
  readOnly: boolean;
  /** The copy engine's endpoint for `path` on this connection (no secret in it). */
  endpoint(path: string): ZkEndpointRef;
}

export interface RunServices {
  store: Store;
  /**
   * A session on a connection (opened or reused); throws with the reason when unreachable. The
   * session may be shared with other views: never close it. Takes what `connection` takes.
   */
  zk(connectionId: string): Promise<ZkSessionLike>;
  /** Resolves a connection parameter; throws with a message naming it when there is no such connection. */
  connection(ref: string): RunConnection;
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
