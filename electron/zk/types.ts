/**
 * The contract of the ZooKeeper layer, as the host and engines use it. Implementations live beside
 * this file; node-zookeeper-client never leaks past `electron/zk/`.
 */
import type { EventEmitter } from 'node:events';
import type { SessionState, ZkAclView, ZkStatView } from '../../shared/api/zk-node';

export type { SessionState };

export interface ZkSessionOptions {
  /** A validated, normalized connect string (hosts plus optional chroot), see shared/connect-string. */
  connectString: string;
  sessionTimeoutMs: number;
  /** Give up on the first connection after this long, with a message that says what to check. */
  connectTimeoutMs: number;
  /** Digest credentials `user:password`, added right after connecting and again after each new session. */
  digestAuth?: string[];
  /** Bound on requests in flight on this session (default 128). */
  maxInFlight?: number;
}

export type ZkErrorCode =
  | 'UNREACHABLE'
  | 'CONNECTION_LOSS'
  | 'SESSION_EXPIRED'
  | 'AUTH_FAILED'
  | 'NO_NODE'
  | 'NODE_EXISTS'
  | 'NOT_EMPTY'
  | 'BAD_VERSION'
  | 'NO_AUTH'
  | 'INVALID_ACL'
  | 'NO_CHILDREN_FOR_EPHEMERALS'
  | 'BAD_ARGUMENTS'
  | 'CLOSED'
  | 'TIMEOUT'
  | 'UNKNOWN';

export interface ZkStatRaw extends ZkStatView {}

export type ZkAcl = ZkAclView;

export type CreateMode = 'persistent' | 'persistent-sequential' | 'ephemeral' | 'ephemeral-sequential';

/** Emits 'state' (state: SessionState, detail: { message?: string; sessionId?: string }). */
export interface ZkSessionLike extends EventEmitter {
  readonly state: SessionState;
  /** Hex session id of the current session, when connected. */
  readonly sessionId: string | undefined;
  exists(path: string): Promise<ZkStatRaw | null>;
  getData(path: string): Promise<{ data: Buffer; stat: ZkStatRaw }>;
  getChildren(path: string): Promise<{ children: string[]; stat: ZkStatRaw }>;
  getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZkStatRaw }>;
  create(path: string, data: Buffer, options?: { acl?: ZkAcl[]; mode?: CreateMode }): Promise<string>;
  setData(path: string, data: Buffer, version: number): Promise<ZkStatRaw>;
  remove(path: string, version: number): Promise<void>;
  close(): Promise<void>;
}
