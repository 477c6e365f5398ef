/**
 * Writes to ZooKeeper as the API accepts them. Data always travels as base64 of the exact bytes;
 * every write of existing data names the version it was based on, so a change made by someone else in
 * between comes back as a conflict (theirs and yours), never as a silent overwrite.
 */
import { z } from 'zod';
import type { ZkAclView, ZkStatView } from './zk-node';
import { zkPathSchema } from './zk-node';

/** node-zookeeper-client refuses more than 1 MiB of data; base64 makes 4 characters of every 3 bytes. */
const MAX_DATA_BASE64 = Math.ceil((1_048_576 * 4) / 3) + 4;

export const dataBase64Schema = z
  .string()
  .max(MAX_DATA_BASE64, 'data is larger than the 1 MiB a ZooKeeper node can hold')
  .regex(
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
    'data must be standard base64 (padded)',
  );

export const aclEntrySchema = z.object({
  scheme: z.string().min(1, 'Enter the ACL scheme, e.g. world, digest, ip or auth').max(64),
  id: z.string().max(1024),
  perms: z.string().regex(/^(?!.*(.).*\1)[cdrwa]{1,5}$/, 'perms are letters from cdrwa, each at most once'),
});

export const aclSchema = z.array(aclEntrySchema).min(1, 'an ACL needs at least one entry').max(64);

export const createModeSchema = z.enum([
  'persistent',
  'persistent-sequential',
  'ephemeral',
  'ephemeral-sequential',
]);
export type CreateModeView = z.infer<typeof createModeSchema>;

export const createNodeInputSchema = z.object({
  connectionId: z.string().min(1),
  /** The new node's path; for the sequential modes the server appends a 10-digit counter. */
  path: zkPathSchema.refine((path) => path !== '/', 'the root already exists'),
  dataBase64: dataBase64Schema,
  mode: createModeSchema.default('persistent'),
  /** Default: world:anyone with all permissions, ZooKeeper's own default. */
  acl: aclSchema.optional(),
});

export const setDataInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema,
  dataBase64: dataBase64Schema,
  /** The version the edit was based on. -1 (any version) is not accepted: it would overwrite blindly. */
  version: z.number().int().min(0, 'give the version the edit was based on'),
});

export const removeNodeInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema.refine((path) => path !== '/', 'the root cannot be deleted'),
  version: z.number().int().min(0, 'give the version that was reviewed'),
});

export const DEFAULT_TREE_MAX_NODES = 100_000;
export const MAX_TREE_MAX_NODES = 1_000_000;

export const countTreeInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema,
  maxNodes: z.number().int().min(1).max(MAX_TREE_MAX_NODES).default(DEFAULT_TREE_MAX_NODES),
});

export const removeTreeInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema.refine((path) => path !== '/', 'the root cannot be deleted'),
  /** The node count the operator typed to confirm: the delete stops if the subtree no longer has it. */
  confirmCount: z.number().int().min(1),
  maxNodes: z.number().int().min(1).max(MAX_TREE_MAX_NODES).default(DEFAULT_TREE_MAX_NODES),
});

export const setAclInputSchema = z.object({
  connectionId: z.string().min(1),
  path: zkPathSchema,
  acl: aclSchema,
  /** The ACL version (aversion) that was reviewed; for a recursive set it applies to the top node. */
  aversion: z.number().int().min(0, 'give the ACL version that was reviewed'),
  recursive: z.boolean().default(false),
  maxNodes: z.number().int().min(1).max(MAX_TREE_MAX_NODES).default(DEFAULT_TREE_MAX_NODES),
});

export const setModeInputSchema = z.object({
  id: z.string().min(1),
  readOnly: z.boolean(),
  /** Switching to read-write needs the connection's name typed as confirmation. */
  confirmName: z.string().optional(),
});

export const treeJobInputSchema = z.object({ jobId: z.string().min(1).max(64) });

/** The other side of a version conflict: what is stored now. */
export interface WriteConflict {
  path: string;
  /** The version the write was based on. */
  expectedVersion: number;
  /** null when the node was deleted in the meantime. */
  theirs: { dataBase64: string; stat: ZkStatView } | null;
}

export type SetDataResult = { ok: true; stat: ZkStatView } | { ok: false; conflict: WriteConflict };
export type RemoveNodeResult = { ok: true } | { ok: false; conflict: WriteConflict };

export interface CreateNodeResult {
  /** The created path (sequential modes append the counter). */
  path: string;
  stat: ZkStatView;
}

export interface TreeCount {
  path: string;
  /** Nodes in the subtree, its root included (up to maxNodes). */
  total: number;
  /** The count stopped at maxNodes: the subtree is larger. */
  truncated: boolean;
  ephemerals: number;
  /** Largest depth below the root (0: a leaf). */
  depth: number;
}

export interface SetAclResult {
  stat: ZkStatView;
  acl: ZkAclView[];
}

export type TreeJobKind = 'remove-tree' | 'set-acl-tree';

export type TreeJobEvent =
  | { type: 'counting'; visited: number }
  /** The snapshot every recursive write takes of the subtree before it changes anything. */
  | { type: 'snapshot'; done: number; total: number | null }
  | { type: 'progress'; done: number; total: number; batches: number; elapsedMs: number }
  | {
      type: 'done';
      done: number;
      total: number;
      batches: number;
      elapsedMs: number;
      note: string | null;
      /** The snapshot taken before the write (browse it offline, compare it, roll back from it). */
      snapshotId?: string | null;
    }
  | { type: 'failed'; message: string; done: number; total: number };

export interface TreeJobStarted {
  jobId: string;
  kind: TreeJobKind;
  path: string;
}
