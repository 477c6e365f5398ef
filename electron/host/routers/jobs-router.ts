/** Progress of the explorer's long jobs (export, import, snapshots): follow one, or cancel it. */
import { TRPCError } from '@trpc/server';
import { type JobEvent, jobIdInputSchema } from '../../../shared/api/background-job';
import { backgroundJobsFor } from '../services/background-jobs';
import { UnknownJobError } from '../services/tree-jobs';
import { publicProcedure, router } from '../trpc';

function requireJob(jobs: ReturnType<typeof backgroundJobsFor>, jobId: string): void {
  if (!jobs.has(jobId))
    throw new TRPCError({ code: 'NOT_FOUND', message: new UnknownJobError(jobId).message });
}

export const jobsRouter = router({
  /** The latest progress first, then each step, then the outcome ('done' with the result, or 'failed'). */
  events: publicProcedure.input(jobIdInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<JobEvent> {
    const jobs = backgroundJobsFor(ctx.services);
    requireJob(jobs, input.jobId);
    yield* jobs.events(input.jobId, signal);
  }),

  /** Stops a job at its next step; `cancelled` is false when it had already finished. */
  cancel: publicProcedure.input(jobIdInputSchema).mutation(({ ctx, input }) => {
    const jobs = backgroundJobsFor(ctx.services);
    requireJob(jobs, input.jobId);
    return { cancelled: jobs.cancel(input.jobId) };
  }),
});
