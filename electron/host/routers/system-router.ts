import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }) => ({
    ...ctx.services.info,
    actor: ctx.services.actor,
    schemaVersion: ctx.services.store.schemaVersion,
  })),
});
