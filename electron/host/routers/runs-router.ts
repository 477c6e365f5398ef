/**
 * Runbooks and their runs over the API (design section 6): the catalogue; creating a run (parameters
 * checked by the runbook's schema, optionally prechecks only); the controls (each refused with the
 * reason when it does not apply, the same rule the CLI follows: RunView.allowedActions); history with
 * filters; a run with its recent output and audit events; paged output; the report; and a live stream
 * of run changes, output lines and progress.
 */
import { TRPCError } from '@trpc/server';
import { ZodRealError, z } from 'zod';
import type { AuditEvent } from '../../../shared/api/audit';
import type { RunOutputLine, RunProgressEvent, RunStreamEvent, RunView } from '../../../shared/api/run-views';
import { RUN_STATES } from '../../../shared/api/runs';
import type { Runner } from '../../runner/runner';
import { RunRefusal } from '../../runner/runner-errors';
import { TransitionRefusedError } from '../../runner/run-transitions';
import { RunSecretError } from '../../store/runs-repo';
import { runnerFor } from '../services/runner-service';
import { SubscriptionQueue } from './subscription-queue';
import { guarded, publicProcedure, router } from '../trpc';

const runIdSchema = z.object({ runId: z.string().trim().min(1, 'runId is required') });

const noteSchema = z.string().trim().max(2000, 'the note is longer than 2000 characters').optional();

function refuse(error: unknown): never {
  if (error instanceof RunRefusal && error.issues.length > 0) {
    // As a ZodError, the parameter problems reach the client like any input error: a message and
    // fieldErrors keyed 'params.<name>', so the wizard marks each field. ZodRealError is zod's
    // ZodError that is also an Error, which tRPC keeps as the cause instead of wrapping it.
    const issues = error.issues.map((issue) => ({
      code: 'custom' as const,
      path: ['params', ...issue.field.split('.').filter(Boolean)],
      message: issue.message,
      input: undefined,
    }));
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: new ZodRealError(issues) });
  }
  if (error instanceof RunRefusal) {
    const code =
      error.reason === 'not-found' ? 'NOT_FOUND' : error.reason === 'invalid' ? 'BAD_REQUEST' : 'CONFLICT';
    throw new TRPCError({ code, message: error.message, cause: error });
  }
  if (error instanceof TransitionRefusedError) {
    throw new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
  }
  if (error instanceof RunSecretError) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  }
  throw error;
}

/** Runs `fn` on the host's runner; the runner's refusals become 400/404/409 with their message. */
function withRunner<T>(
  ctx: { services: Parameters<typeof runnerFor>[0] },
  fn: (runner: Runner) => T | Promise<T>,
) {
  return guarded(async () => {
    try {
      return await fn(runnerFor(ctx.services));
    } catch (error) {
      refuse(error);
    }
  });
}

export const runbooksRouter = router({
  /** Every runbook: what it is for, its parameters, its steps. */
  list: publicProcedure.query(({ ctx }) => withRunner(ctx, (runner) => runner.catalog())),
});

export interface RunDetailView {
  run: RunView;
  /** The last lines of the run's output (all steps), oldest first. */
  output: RunOutputLine[];
  /** The run's audit events, newest first. */
  events: AuditEvent[];
}

export const runsRouter = router({
  /** Records a run (state draft) for these parameters; with precheckOnly, runs its prechecks at once. */
  create: publicProcedure
    .input(
      z.object({
        runbookId: z.string().trim().min(1, 'runbookId is required'),
        params: z.record(z.string(), z.unknown()).default({}),
        precheckOnly: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      withRunner(ctx, (runner) =>
        runner.create(input.runbookId, input.params, { precheckOnly: input.precheckOnly }),
      ),
    ),

  start: publicProcedure
    .input(runIdSchema)
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.start(input.runId))),

  /** Stops the running step (it runs again on resume) and returns once it stood still. */
  pause: publicProcedure
    .input(runIdSchema)
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.pause(input.runId))),

  resume: publicProcedure
    .input(runIdSchema)
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.resume(input.runId))),

  /** Runs the failed step again (or an interrupted one). */
  retry: publicProcedure
    .input(runIdSchema)
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.retry(input.runId))),

  skip: publicProcedure
    .input(
      runIdSchema.extend({
        reason: z
          .string()
          .trim()
          .min(3, 'say why the run can go on without this step (it goes into the audit trail)')
          .max(2000),
      }),
    )
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.skip(input.runId, input.reason))),

  /** Final: `confirm` is the run id (or its first 8 characters) typed back. */
  abort: publicProcedure
    .input(
      runIdSchema.extend({
        confirm: z.string().trim().min(1, 'type the run id to confirm the abort'),
        reason: noteSchema,
      }),
    )
    .mutation(({ ctx, input }) =>
      withRunner(ctx, (runner) =>
        runner.abort(input.runId, {
          confirm: input.confirm,
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
        }),
      ),
    ),

  /** Accepts a warning (precheck 'warn', a soft verify result). */
  acknowledge: publicProcedure
    .input(runIdSchema.extend({ note: noteSchema }))
    .mutation(({ ctx, input }) => withRunner(ctx, (runner) => runner.acknowledge(input.runId, input.note))),

  /** A manual step done (with a note), a gate's text typed, or an interrupted step confirmed finished. */
  confirm: publicProcedure
    .input(runIdSchema.extend({ note: noteSchema, text: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) =>
      withRunner(ctx, (runner) =>
        runner.confirm(input.runId, {
          ...(input.note !== undefined ? { note: input.note } : {}),
          ...(input.text !== undefined ? { text: input.text } : {}),
        }),
      ),
    ),

  /** Starts the rollback of a step (the latest one at or before the current step by default). */
  rollback: publicProcedure
    .input(runIdSchema.extend({ stepIndex: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) =>
      withRunner(ctx, (runner) =>
        runner.rollback(input.runId, input.stepIndex !== undefined ? { stepIndex: input.stepIndex } : {}),
      ),
    ),

  /** History, newest first: by runbook, state, text (id, title, parameters) and creation time. */
  list: publicProcedure
    .input(
      z
        .object({
          runbookId: z.string().trim().min(1).optional(),
          states: z.array(z.enum(RUN_STATES)).max(RUN_STATES.length).optional(),
          text: z.string().trim().max(200).optional(),
          from: z.number().int().min(0).optional(),
          to: z.number().int().min(0).optional(),
          limit: z.number().int().min(1).max(500).default(100),
          beforeId: z.string().min(1).optional(),
        })
        .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
          message: 'from must not be after to',
          path: ['from'],
        })
        .optional(),
    )
    .query(({ ctx, input }) =>
      withRunner(ctx, (runner) => runner.list({ ...input, text: input?.text || undefined })),
    ),

  /** A run with its steps, the last lines of its output and its audit events. */
  get: publicProcedure
    .input(
      runIdSchema.extend({
        outputLines: z.number().int().min(0).max(2000).default(200),
        events: z.number().int().min(0).max(1000).default(200),
      }),
    )
    .query(({ ctx, input }) =>
      withRunner(ctx, (runner): RunDetailView => {
        const run = runner.get(input.runId);
        return {
          run,
          output: input.outputLines > 0 ? runner.tail(input.runId, { limit: input.outputLines }) : [],
          events: input.events > 0 ? runner.auditEvents(input.runId, { limit: input.events }) : [],
        };
      }),
    ),

  /** Output lines in print order, paged forward with `afterSeq` (the last seq of the previous page). */
  output: publicProcedure
    .input(
      runIdSchema.extend({
        index: z.number().int().min(0).optional(),
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      }),
    )
    .query(({ ctx, input }) =>
      withRunner(ctx, (runner) =>
        runner.output(input.runId, {
          afterSeq: input.afterSeq,
          limit: input.limit,
          ...(input.index !== undefined ? { index: input.index } : {}),
        }),
      ),
    ),

  /** The report to attach to a change ticket. */
  report: publicProcedure
    .input(runIdSchema.extend({ format: z.enum(['markdown', 'html']).default('markdown') }))
    .query(({ ctx, input }) => withRunner(ctx, (runner) => runner.report(input.runId, input.format))),

  /**
   * Live: the whole run on every change, output lines and progress as they come. With a runId it
   * starts with that run's current view; without one, with the views of the runs this host drives.
   */
  events: publicProcedure
    .input(z.object({ runId: z.string().min(1).optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<RunStreamEvent> {
      const runner = runnerFor(ctx.services);
      const wanted = (runId: string) => !input?.runId || input.runId === runId;
      const queue = new SubscriptionQueue<RunStreamEvent>();
      const { push } = queue;
      const onRun = (run: RunView) => wanted(run.id) && push({ type: 'run', run });
      const onOutput = (line: RunOutputLine) => wanted(line.runId) && push({ type: 'output', line });
      const onProgress = (progress: RunProgressEvent) =>
        wanted(progress.runId) && push({ type: 'progress', progress });
      runner.events.on('run', onRun);
      runner.events.on('output', onOutput);
      runner.events.on('progress', onProgress);
      try {
        if (input?.runId) {
          try {
            yield { type: 'run', run: runner.get(input.runId) };
          } catch (error) {
            refuse(error);
          }
        } else {
          for (const summary of runner.list({ states: ['running', 'paused'], limit: 50 })) {
            yield { type: 'run', run: runner.get(summary.id) };
          }
        }
        yield* queue.drain(signal);
      } finally {
        runner.events.off('run', onRun);
        runner.events.off('output', onOutput);
        runner.events.off('progress', onProgress);
      }
    }),
});
