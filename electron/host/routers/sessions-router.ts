import { on } from 'node:events';
import { z } from 'zod';
import type { SessionStateEvent } from '../../../shared/api/zk-node';
import { connectionIdSchema } from '../../../shared/api/connections';
import { guarded, publicProcedure, router } from '../trpc';

export const sessionsRouter = router({
  open: publicProcedure.input(connectionIdSchema).mutation(({ ctx, input }) =>
    guarded(async () => {
      await ctx.services.sessions.open(input.connectionId);
      return ctx.services.sessions.state(input.connectionId);
    }),
  ),

  close: publicProcedure.input(connectionIdSchema).mutation(({ ctx, input }) =>
    guarded(async () => {
      await ctx.services.sessions.close(input.connectionId);
      return ctx.services.sessions.state(input.connectionId);
    }),
  ),

  states: publicProcedure.query(({ ctx }) => ctx.services.sessions.states()),

  /** Session state changes as they happen (server-sent events), starting with the current states. */
  events: publicProcedure
    .input(z.object({ connectionId: z.string().optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const wanted = (event: SessionStateEvent) =>
        !input?.connectionId || event.connectionId === input.connectionId;
      for (const event of ctx.services.sessions.states()) if (wanted(event)) yield event;
      for await (const [event] of on(ctx.services.sessions.events, 'state', { signal })) {
        if (wanted(event as SessionStateEvent)) yield event as SessionStateEvent;
      }
    }),
});
