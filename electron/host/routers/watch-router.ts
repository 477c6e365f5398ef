/** The live view: a renderer declares what it shows, and receives changes to exactly that. */
import { on } from 'node:events';
import {
  type NodeChangeEvent,
  type SetWatchesResult,
  setWatchesInputSchema,
  watchEventsInputSchema,
} from '../../../shared/api/node-watch';
import { guarded, publicProcedure, router } from '../trpc';

export const watchRouter = router({
  /** Replaces this client's watch set on one connection (expanded nodes and open nodes). */
  set: publicProcedure
    .input(setWatchesInputSchema)
    .mutation(({ ctx, input }) => guarded((): Promise<SetWatchesResult> => ctx.services.watches.set(input))),

  /** Changes to the nodes this client watches, as server-sent events. */
  events: publicProcedure.input(watchEventsInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const hub = ctx.services.watches;
    const detach = hub.attach(input.clientId);
    try {
      for await (const [event] of on(hub.events, 'change', { signal })) {
        if (hub.wants(input.clientId, event as NodeChangeEvent)) yield event as NodeChangeEvent;
      }
    } finally {
      detach();
    }
  }),
});
