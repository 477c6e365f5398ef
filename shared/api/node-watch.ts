/**
 * The live view's contract: a renderer (identified by a random client id) says which nodes it shows
 * expanded and open; the host keeps one-shot ZooKeeper watches on exactly those and pushes changes
 * back over server-sent events.
 */
import { z } from 'zod';
import { type ZkStatView, zkPathSchema } from './zk-node';

/** Bounds on one client's watch set per connection: expanded nodes and open nodes. */
export const MAX_WATCHED_EXPANDED = 2000;
export const MAX_WATCHED_OPEN = 16;

export const watchClientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'client id must be 8-64 letters, digits, _ or -');

export const setWatchesInputSchema = z.object({
  connectionId: z.string().min(1),
  clientId: watchClientIdSchema,
  /** Nodes whose child list is on screen: watched for child changes, data changes and deletion. */
  expanded: z.array(zkPathSchema).max(MAX_WATCHED_EXPANDED),
  /** Nodes open in the node panel: watched for data changes and deletion. */
  open: z.array(zkPathSchema).max(MAX_WATCHED_OPEN),
  /**
   * Return the stat of every path in the set, not only the added ones: the client's event stream
   * (re)started or its last set failed, so it may have missed events and compares all it shows.
   */
  resync: z.boolean().optional(),
});

export type SetWatchesInput = z.input<typeof setWatchesInputSchema>;

export const watchEventsInputSchema = z.object({ clientId: watchClientIdSchema });

export type NodeChangeKind = 'data-changed' | 'children-changed' | 'deleted' | 'created';

export interface NodeChangeEvent {
  connectionId: string;
  path: string;
  kind: NodeChangeKind;
  /** The node's stat right after the change was seen (null: the node does not exist). */
  stat: ZkStatView | null;
  /** Found when re-arming after a new session: the change happened while no watch was set. */
  missed: boolean;
  at: number;
}

export interface SetWatchesResult {
  /** Paths this client now watches on the connection. */
  watching: number;
  /**
   * The stat of each path this call added (every path with `resync`), read when its watch was set or
   * last re-armed: the client compares it with what it shows, so a change made between its own read
   * and the watch, or while its event stream was down, is not missed.
   */
  armed: { path: string; stat: ZkStatView | null }[];
  /** Paths whose watch could not be set (no auth, connection trouble), with the reason. */
  failed: { path: string; message: string }[];
}
