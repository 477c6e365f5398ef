/**
 * Writes. Every procedure refuses on a read-only connection, checks versions, and audits; recursive
 * ones run as host jobs whose progress streams over server-sent events.
 */
import { TRPCError } from '@trpc/server';
import {
  countTreeInputSchema,
  createNodeInputSchema,
  removeNodeInputSchema,
  removeTreeInputSchema,
  setAclInputSchema,
  setDataInputSchema,
  type TreeCount,
  type TreeJobStarted,
  treeJobInputSchema,
} from '../../../shared/api/node-edit';
import {
  audit,
  createNode,
  removeNode,
  setNodeAcl,
  setNodeData,
  writableSession,
} from '../services/node-writer';
import { collectSubtree } from '../services/subtree-collect';
import { setAclTree } from '../services/subtree-acl';
import { removeTree } from '../services/subtree-delete';
import type { HostServices } from '../services/host-services';
import { captureWith } from '../services/snapshots-service';
import { type TreeJobContext, UnknownJobError } from '../services/tree-jobs';
import type { ZkSessionLike } from '../../zk/types';
import { guarded, publicProcedure, router } from '../trpc';

/** The snapshot a recursive write takes first (design, section 8), its progress shown in the job. */
async function snapshotBefore(
  services: HostServices,
  connectionId: string,
  session: ZkSessionLike,
  path: string,
  reason: 'before-delete' | 'before-acl',
  total: number,
  job: TreeJobContext,
): Promise<{ snapshotId: string; digest: string }> {
  const captured = await captureWith(services, {
    connectionId,
    session,
    path,
    reason,
    knownTotal: total,
    signal: job.signal,
    onProgress: (event) => job.report({ type: 'snapshot', done: event.done, total: event.total }),
  });
  return { snapshotId: captured.snapshot.id, digest: captured.digest };
}

export const editRouter = router({
  create: publicProcedure
    .input(createNodeInputSchema)
    .mutation(({ ctx, input }) => guarded(() => createNode(ctx.services, input))),

  setData: publicProcedure
    .input(setDataInputSchema)
    .mutation(({ ctx, input }) => guarded(() => setNodeData(ctx.services, input))),

  remove: publicProcedure
    .input(removeNodeInputSchema)
    .mutation(({ ctx, input }) => guarded(() => removeNode(ctx.services, input))),

  /** How many nodes a recursive write would touch: the number the operator types to confirm. */
  countTree: publicProcedure.input(countTreeInputSchema).query(({ ctx, input }) =>
    guarded(async (): Promise<TreeCount> => {
      const session = await ctx.services.sessions.open(input.connectionId);
      const subtree = await collectSubtree({ session, root: input.path, maxNodes: input.maxNodes });
      let depth = 0;
      let ephemerals = 0;
      for (const node of subtree.nodes) {
        if (node.depth > depth) depth = node.depth;
        if (node.ephemeral) ephemerals += 1;
      }
      return {
        path: input.path,
        total: subtree.nodes.length,
        truncated: subtree.truncated,
        ephemerals,
        depth,
      };
    }),
  ),

  /** Starts a recursive delete; follow it with `job`. Refused at once on a read-only connection. */
  removeTree: publicProcedure.input(removeTreeInputSchema).mutation(({ ctx, input }) =>
    guarded(async (): Promise<TreeJobStarted> => {
      const session = await writableSession(ctx.services, input.connectionId);
      return ctx.services.treeJobs.start('remove-tree', input.connectionId, input.path, (job) =>
        removeTree({
          session,
          path: input.path,
          confirmCount: input.confirmCount,
          maxNodes: input.maxNodes,
          job,
          audit: (detail) => audit(ctx.services, input.connectionId, 'node.tree-deleted', detail),
          snapshotFirst: (total) =>
            snapshotBefore(
              ctx.services,
              input.connectionId,
              session,
              input.path,
              'before-delete',
              total,
              job,
            ),
        }),
      );
    }),
  ),

  /** Sets an ACL on one node (answers with the new stat) or on a subtree (starts a job). */
  setAcl: publicProcedure.input(setAclInputSchema).mutation(({ ctx, input }) =>
    guarded(async () => {
      if (!input.recursive) {
        const result = await setNodeAcl(ctx.services, input);
        return { kind: 'node' as const, ...result };
      }
      const session = await writableSession(ctx.services, input.connectionId);
      const started = ctx.services.treeJobs.start('set-acl-tree', input.connectionId, input.path, (job) =>
        setAclTree({
          session,
          path: input.path,
          acl: input.acl,
          aversion: input.aversion,
          maxNodes: input.maxNodes,
          job,
          audit: (detail) => audit(ctx.services, input.connectionId, 'node.acl-set', detail),
          snapshotFirst: (total) =>
            snapshotBefore(ctx.services, input.connectionId, session, input.path, 'before-acl', total, job),
        }),
      );
      return { kind: 'job' as const, jobId: started.jobId, path: started.path };
    }),
  ),

  /** Progress of a recursive write: the latest state first, then each step, then the outcome. */
  job: publicProcedure.input(treeJobInputSchema).subscription(async function* ({ ctx, input, signal }) {
    if (!ctx.services.treeJobs.has(input.jobId)) {
      throw new TRPCError({ code: 'NOT_FOUND', message: new UnknownJobError(input.jobId).message });
    }
    yield* ctx.services.treeJobs.events(input.jobId, signal);
  }),

  /** Stops a job between batches; `cancelled` is false when it had already finished. */
  cancelJob: publicProcedure.input(treeJobInputSchema).mutation(({ ctx, input }) => {
    if (!ctx.services.treeJobs.has(input.jobId)) {
      throw new TRPCError({ code: 'NOT_FOUND', message: new UnknownJobError(input.jobId).message });
    }
    return { cancelled: ctx.services.treeJobs.cancel(input.jobId) };
  }),
});
