import type { ZkChildrenView, ZkNodeView } from '../../../shared/api/zk-node';
import { nodeRefSchema } from '../../../shared/api/zk-node';
import { guarded, publicProcedure, router } from '../trpc';

export const nodesRouter = router({
  /** Child names of one node, sorted, with the node's stat: one round trip, no data of the children. */
  children: publicProcedure.input(nodeRefSchema).query(({ ctx, input }) =>
    guarded(async (): Promise<ZkChildrenView> => {
      const session = await ctx.services.sessions.open(input.connectionId);
      const { children, stat } = await session.getChildren(input.path);
      return { path: input.path, children, stat };
    }),
  ),

  /** Data (as base64 of the exact bytes), stat and ACL of one node. */
  get: publicProcedure.input(nodeRefSchema).query(({ ctx, input }) =>
    guarded(async (): Promise<ZkNodeView> => {
      const session = await ctx.services.sessions.open(input.connectionId);
      const [{ data, stat }, { acl }] = await Promise.all([
        session.getData(input.path),
        session.getACL(input.path),
      ]);
      return { path: input.path, dataBase64: data.toString('base64'), stat, acl };
    }),
  ),
});
