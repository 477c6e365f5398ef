/** ZooKeeper node data and stat as they cross the API. Data travels as base64: bytes, never text. */
import { z } from 'zod';
import { validateZkPath } from '../zk-path';

export const zkPathSchema = z.string().superRefine((path, ctx) => {
  const problem = validateZkPath(path);
  if (problem) ctx.addIssue({ code: 'custom', message: `Path ${problem}` });
});

export const nodeRefSchema = z.object({ connectionId: z.string().min(1), path: zkPathSchema });

export interface ZkStatView {
  /** zxids as 0x-prefixed hex, as ZooKeeper's own tools print them. */
  czxid: string;
  mzxid: string;
  pzxid: string;
  /** Epoch milliseconds. */
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  /** Session id owning an ephemeral node as 0x hex; '0x0' for persistent nodes. */
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export interface ZkAclView {
  scheme: string;
  id: string;
  /** Letters from 'cdrwa'. */
  perms: string;
}

export interface ZkNodeView {
  path: string;
  /** Base64 of the exact bytes stored; '' for empty data. */
  dataBase64: string;
  stat: ZkStatView;
  acl: ZkAclView[];
}

export interface ZkChildrenView {
  path: string;
  /** Sorted by name. */
  children: string[];
  stat: ZkStatView;
}

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'expired' | 'auth-failed' | 'closed';

export interface SessionStateEvent {
  connectionId: string;
  state: SessionState;
  /** Operator-facing detail: why it failed, what to do. */
  message?: string;
  sessionId?: string;
  at: number;
}
