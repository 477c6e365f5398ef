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
  /** Names only, sorted by name: 100k names are ~2 MB, while data or stat for each would be a read per child. */
  children: string[];
  /** children.length, so a view can show the count without touching the list. */
  count: number;
  stat: ZkStatView;
}

/** Up to this many children per childInfo call: the rows on screen, never a whole child list. */
export const MAX_CHILD_INFO_NAMES = 300;

export const childInfoInputSchema = z.object({
  connectionId: z.string().min(1),
  parent: zkPathSchema,
  names: z
    .array(
      z
        .string()
        .min(1)
        .max(1000)
        .refine((name) => !name.includes('/'), 'a child name cannot contain /'),
    )
    .max(MAX_CHILD_INFO_NAMES, `at most ${MAX_CHILD_INFO_NAMES} names per call (the visible rows)`),
});

/** What a tree row shows about a child beyond its name, read lazily for the rows in view. */
export interface ZkChildInfo {
  name: string;
  /** False when the child was deleted since the list was read. */
  exists: boolean;
  numChildren: number;
  dataLength: number;
  /** Owning session as 0x hex for an ephemeral node, null for a persistent one. */
  ephemeralOwner: string | null;
}

export type SessionState = 'connecting' | 'connected' | 'reconnecting' | 'expired' | 'auth-failed' | 'closed';

export interface SessionStateEvent {
  connectionId: string;
  state: SessionState;
  /** Operator-facing detail: why it failed, what to do. */
  message?: string;
  sessionId?: string;
  /**
   * On 'closed': the session never opened (the ensemble or the SSH jump host did not answer, or
   * refused), `message` says why. Kept apart from a session closed on purpose, which the UI shows
   * as plain "closed"; the next attempt's 'connecting' clears it.
   */
  openFailed?: true;
  at: number;
}
