import {
  childInfoInputSchema,
  type ZkChildInfo,
  type ZkChildrenView,
  type ZkNodeView,
} from '../../../shared/api/zk-node';
import { nodeRefSchema } from '../../../shared/api/zk-node';
import { joinZkPath } from '../../../shared/zk-path';
import { guarded, publicProcedure, router } from '../trpc';

export const nodesRouter = router({
  /** Child names of one node, sorted, with the count and the node's stat: one round trip, no child data. */
  children: publicProcedure.input(nodeRefSchema).query(({ ctx, input }) =>
    guarded(async (): Promise<ZkChildrenView> => {
      const session = await ctx.services.sessions.open(input.connectionId);
      const { children, stat } = await session.getChildren(input.path);
      return { path: input.path, children, count: children.length, stat };
    }),
  ),

  /**
   * Child counts and ephemeral owners for a few children (the rows on screen): one exists() each,
   * pipelined through the session's window. Never called for a whole child list.
   */
  childInfo: publicProcedure.input(childInfoInputSchema).query(({ ctx, input }) =>
    guarded(async (): Promise<ZkChildInfo[]> => {
      const session = await ctx.services.sessions.open(input.connectionId);
      return Promise.all(
        input.names.map(async (name): Promise<ZkChildInfo> => {
          const stat = await session.exists(joinZkPath(input.parent, name));
          if (!stat) return { name, exists: false, numChildren: 0, dataLength: 0, ephemeralOwner: null };
          return {
            name,
            exists: true,
            numChildren: stat.numChildren,
            dataLength: stat.dataLength,
            ephemeralOwner: stat.ephemeralOwner === '0x0' ? null : stat.ephemeralOwner,
          };
        }),
      );
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
