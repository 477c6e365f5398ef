import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

export const auditRouter = router({
  list: publicProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(1000).optional(),
          beforeId: z.number().int().positive().optional(),
          actionPrefix: z.string().max(100).optional(),
          target: z.string().max(200).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.store.events.list(input ?? {})),
});
