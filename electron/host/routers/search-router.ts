/** Subtree search: results and progress stream as server-sent events; unsubscribing cancels it. */
import { searchInputSchema } from '../../../shared/api/subtree-search';
import { searchSubtree } from '../services/subtree-search';
import { publicProcedure, router, toTRPCError } from '../trpc';

export const searchRouter = router({
  run: publicProcedure.input(searchInputSchema).subscription(async function* ({ ctx, input, signal }) {
    let session: Awaited<ReturnType<typeof ctx.services.sessions.open>>;
    try {
      session = await ctx.services.sessions.open(input.connectionId);
    } catch (error) {
      throw toTRPCError(error);
    }
    yield* searchSubtree({ session, request: input, signal });
  }),
});
