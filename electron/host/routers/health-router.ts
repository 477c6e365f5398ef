/** Ensemble health of a connection (four-letter words from every server); the view polls it. */
import { ensembleHealthInputSchema } from '../../../shared/api/ensemble-health';
import { connectionHealth } from '../services/ensemble-health-service';
import { guarded, publicProcedure, router } from '../trpc';

export const healthRouter = router({
  probe: publicProcedure
    .input(ensembleHealthInputSchema)
    .query(({ ctx, input }) => guarded(() => connectionHealth(ctx.services, input.connectionId))),
});
