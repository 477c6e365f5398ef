/**
 * The copy engine over the API (issue 5, section 5): the renderer drives runs, the host runs them.
 * Plan, start, pause, resume, cancel; status, list and report as queries; progress and state changes
 * as a subscription. Mirror mode needs the target path typed back (`confirmMirror`), a cleanup the
 * node count of its export (`confirmNodeCount`).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MAX_RATE_PROBLEM, MAX_RATE_RANGE } from '../../../shared/api/zk-copy';
import { zkPathSchema } from '../../../shared/api/zk-node';
import { compareParams, copyParams } from '../../engines/zk-copy/copy-params';
import { RunRefusedError } from '../../engines/zk-copy/run-manager';
import { storedSnapshotEndpoint } from '../../engines/zk-copy/stored-snapshot-endpoint';
import type { CopyParams, EndpointRef, ProgressEvent, RunView } from '../../engines/zk-copy/types';
import { engineRunsFor, endpointForConnection } from '../services/engine-runs-service';
import type { HostServices } from '../services/host-services';
import { SubscriptionQueue } from './subscription-queue';
import { guarded, publicProcedure, router } from '../trpc';

const globsSchema = z
  .array(z.string().trim().min(1, 'a glob must not be empty').max(500))
  .max(100)
  .default([]);

const sourceSchema = z.union([
  z.object({ connectionId: z.string().min(1), path: zkPathSchema }),
  z.object({ snapshotFile: z.string().min(1, 'snapshotFile is required'), path: zkPathSchema.optional() }),
  // A snapshot of the store (read offline, as captured); the path defaults to its root.
  z.object({
    snapshotId: z.string().min(1, 'snapshotId is required').max(64),
    path: zkPathSchema.optional(),
  }),
]);

const targetSchema = z.object({ connectionId: z.string().min(1), path: zkPathSchema });

/** Source nodes read per second at most (unset: no ceiling), for copies and compares alike. */
const maxRateSchema = z
  .number({ error: MAX_RATE_PROBLEM })
  .int(MAX_RATE_PROBLEM)
  .min(MAX_RATE_RANGE.min, MAX_RATE_PROBLEM)
  .max(MAX_RATE_RANGE.max, MAX_RATE_PROBLEM)
  .optional();

const copyInputSchema = z.object({
  source: sourceSchema,
  target: targetSchema,
  mode: z.enum(['create-only', 'overwrite', 'mirror']).default('create-only'),
  copyAcl: z.boolean().default(true),
  include: globsSchema,
  exclude: globsSchema,
  reconcilePasses: z.number().int().min(0).max(10).default(0),
  verify: z.boolean().default(true),
  maxNodesPerSecond: maxRateSchema,
});

const runIdSchema = z.object({ runId: z.string().min(1) });

/** Typed confirmation: the operator types the target path back before mirror deletes anything. */
const confirmSchema = z.object({ confirmMirror: z.string().optional() });

function refuse(error: unknown): never {
  if (error instanceof RunRefusedError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
  throw error;
}

function sourceEndpoint(services: HostServices, source: z.infer<typeof sourceSchema>): EndpointRef {
  return 'connectionId' in source
    ? endpointForConnection(services, source.connectionId, source.path)
    : 'snapshotId' in source
      ? storedSnapshotEndpoint(services.store.snapshots, source.snapshotId, source.path)
      : { kind: 'snapshot', file: source.snapshotFile, path: source.path ?? '/' };
}

function targetEndpoint(services: HostServices, target: z.infer<typeof targetSchema>): EndpointRef {
  return endpointForConnection(services, target.connectionId, target.path);
}

/** Field by field: the start input also carries the mirror confirmation, which is not a parameter. */
function toParams(services: HostServices, input: z.infer<typeof copyInputSchema>): CopyParams {
  return copyParams(sourceEndpoint(services, input.source), targetEndpoint(services, input.target), {
    mode: input.mode,
    copyAcl: input.copyAcl,
    include: input.include,
    exclude: input.exclude,
    reconcilePasses: input.reconcilePasses,
    verify: input.verify,
    maxNodesPerSecond: input.maxNodesPerSecond,
  });
}

function mirrorConfirmed(view: RunView, typed: string | undefined): boolean {
  const target = (view.params as { target?: { path?: string } }).target;
  return typed !== undefined && typed === target?.path;
}

/** Starts without waiting: the run goes on in the host; the outcome arrives as events. */
function launch(
  services: HostServices,
  runId: string,
  options: Parameters<ReturnType<typeof engineRunsFor>['start']>[1],
) {
  const runs = engineRunsFor(services);
  const done = runs.start(runId, options);
  done.catch(() => undefined);
  return runs.get(runId);
}

export type ZkCopyStreamEvent = { type: 'progress'; event: ProgressEvent } | { type: 'state'; run: RunView };

export const zkCopyRouter = router({
  /**
   * Records a copy run without running anything, so the client knows its id (and can follow the
   * plan's progress on the event stream) before planning or starting it.
   */
  create: publicProcedure.input(copyInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      try {
        const runs = engineRunsFor(ctx.services);
        return runs.create('zk-copy', toParams(ctx.services, input));
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /**
   * The dry-run plan (nothing written on ZooKeeper) of a run made by `create` ({ runId }), or of a
   * new run (the copy inputs); resolves when the plan is made.
   */
  plan: publicProcedure.input(z.union([runIdSchema, copyInputSchema])).mutation(({ ctx, input }) =>
    guarded(async () => {
      try {
        const runs = engineRunsFor(ctx.services);
        const view =
          'runId' in input ? runs.get(input.runId) : runs.create('zk-copy', toParams(ctx.services, input));
        const plan = await runs.plan(view.id);
        return { run: runs.get(view.id), plan };
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /**
   * Reconcile after a finished copy: a new run with the same source, target, mode and filters that
   * copies again only what differs (unchanged nodes are not rewritten), verifies, and repeats up to
   * `passes` times while verify still finds differences. Returns at once.
   */
  reconcile: publicProcedure
    .input(runIdSchema.merge(confirmSchema).extend({ passes: z.number().int().min(1).max(10).default(3) }))
    .mutation(({ ctx, input }) =>
      guarded(() => {
        try {
          const runs = engineRunsFor(ctx.services);
          const previous = runs.get(input.runId);
          if (previous.kind !== 'zk-copy') {
            throw new RunRefusedError(
              `Run ${input.runId} is a ${previous.kind} run: reconcile follows a copy (start a copy with the same source and target instead)`,
            );
          }
          if (previous.live) {
            throw new RunRefusedError(`Run ${input.runId} is still running: reconcile once it has ended`);
          }
          const params = previous.params as unknown as CopyParams;
          const view = runs.create('zk-copy', { ...params, verify: true, reconcilePasses: input.passes });
          return launch(ctx.services, view.id, {
            mirrorConfirmed: mirrorConfirmed(view, input.confirmMirror),
          });
        } catch (error) {
          refuse(error);
        }
      }),
    ),

  /** Starts a planned run ({ runId }) or a new one (the copy inputs); returns at once. */
  start: publicProcedure
    .input(z.union([runIdSchema.merge(confirmSchema), copyInputSchema.merge(confirmSchema)]))
    .mutation(({ ctx, input }) =>
      guarded(() => {
        try {
          const runs = engineRunsFor(ctx.services);
          // An unconfirmed mirror is refused before a run is recorded for it.
          if (!('runId' in input) && input.mode === 'mirror' && input.confirmMirror !== input.target.path) {
            throw new RunRefusedError(
              `Mirror mode deletes every node under ${input.target.path} that the source lacks: confirm it by typing the target path`,
            );
          }
          const view =
            'runId' in input ? runs.get(input.runId) : runs.create('zk-copy', toParams(ctx.services, input));
          return launch(ctx.services, view.id, {
            mirrorConfirmed: mirrorConfirmed(view, input.confirmMirror),
          });
        } catch (error) {
          refuse(error);
        }
      }),
    ),

  /** Compares two subtrees (a verify-only run); returns at once. */
  diff: publicProcedure
    .input(
      z.object({
        source: sourceSchema,
        target: targetSchema,
        compareAcl: z.boolean().default(true),
        maxNodesPerSecond: maxRateSchema,
      }),
    )
    .mutation(({ ctx, input }) =>
      guarded(() => {
        try {
          const runs = engineRunsFor(ctx.services);
          const params = compareParams(
            sourceEndpoint(ctx.services, input.source),
            targetEndpoint(ctx.services, input.target),
            { compareAcl: input.compareAcl, maxNodesPerSecond: input.maxNodesPerSecond },
          );
          const view = runs.create('zk-diff', params);
          return launch(ctx.services, view.id, {});
        } catch (error) {
          refuse(error);
        }
      }),
    ),

  pause: publicProcedure.input(runIdSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      try {
        return engineRunsFor(ctx.services).pause(input.runId);
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /** Resumes a paused run, or restarts a stopped one (failed, interrupted) from its checkpoints. */
  resume: publicProcedure.input(runIdSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      try {
        return engineRunsFor(ctx.services).resume(input.runId);
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  cancel: publicProcedure.input(runIdSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      try {
        return engineRunsFor(ctx.services).cancel(input.runId);
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /** Step one of a cleanup: export the tree (the backup) and count it. */
  prepareCleanup: publicProcedure
    .input(z.object({ connectionId: z.string().min(1), path: zkPathSchema }))
    .mutation(({ ctx, input }) =>
      guarded(async () => {
        try {
          const target = endpointForConnection(ctx.services, input.connectionId, input.path);
          return await engineRunsFor(ctx.services).prepareCleanup(target);
        } catch (error) {
          refuse(error);
        }
      }),
    ),

  /** Step two: delete, once the operator typed the node count of the export. */
  confirmCleanup: publicProcedure
    .input(runIdSchema.extend({ confirmNodeCount: z.number().int().min(1) }))
    .mutation(({ ctx, input }) =>
      guarded(() => {
        try {
          return launch(ctx.services, input.runId, { confirmNodeCount: input.confirmNodeCount });
        } catch (error) {
          refuse(error);
        }
      }),
    ),

  status: publicProcedure.input(runIdSchema).query(({ ctx, input }) =>
    guarded(() => {
      try {
        return engineRunsFor(ctx.services).get(input.runId);
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /** Past and current runs, newest first. */
  list: publicProcedure
    .input(
      z
        .object({
          kind: z.enum(['zk-copy', 'zk-diff', 'zk-import', 'zk-cleanup']).optional(),
          limit: z.number().int().min(1).max(500).optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => engineRunsFor(ctx.services).list(input ?? {})),

  /** A run with its result (plan, copy, verify reports with samples) and its checkpoints. */
  report: publicProcedure.input(runIdSchema).query(({ ctx, input }) =>
    guarded(() => {
      try {
        return engineRunsFor(ctx.services).report(input.runId);
      } catch (error) {
        refuse(error);
      }
    }),
  ),

  /** Progress and state changes as they happen, starting with the current state of live runs. */
  events: publicProcedure
    .input(z.object({ runId: z.string().optional() }).optional())
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<ZkCopyStreamEvent> {
      const runs = engineRunsFor(ctx.services);
      const wanted = (runId: string) => !input?.runId || input.runId === runId;
      const emitter = runs.events;
      // Two event names on one stream: one queue keeps their order (events.on() takes one name).
      const queue = new SubscriptionQueue<ZkCopyStreamEvent>();
      const { push } = queue;
      const onProgress = (event: ProgressEvent) => wanted(event.runId) && push({ type: 'progress', event });
      const onState = (run: RunView) => wanted(run.id) && push({ type: 'state', run });
      emitter.on('progress', onProgress);
      emitter.on('state', onState);
      try {
        if (input?.runId) {
          const current = runs.get(input.runId);
          yield { type: 'state', run: current };
          if (current.progress) yield { type: 'progress', event: current.progress };
        } else {
          for (const run of runs.list({ limit: 50 })) if (run.live) yield { type: 'state', run };
        }
        yield* queue.drain(signal);
      } finally {
        emitter.off('progress', onProgress);
        emitter.off('state', onState);
      }
    }),
});
