/**
 * How subtree-migration's steps drive the copy engine: the engine's parameters from the run's, and
 * one engine run followed to its end with its progress and phase changes turned into the step's
 * progress and log, and the step's stop signal turned into the engine's pause (resumable from its
 * checkpoints) or cancel.
 */
import type {
  CopyMode,
  CopyParams,
  ProgressEvent,
  RunView as EngineRunView,
} from '../../engines/zk-copy/types';
import { type CopyOptions, copyParams } from '../../engines/zk-copy/copy-params';
import { stopKindOf } from '../../runner/run-stop';
import type { StepContext } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import type { SubtreeMigrationParams } from './params';

export type SubtreeContext = StepContext<SubtreeMigrationParams>;

export function copyParamsFor(ctx: SubtreeContext, overrides: CopyOptions = {}): CopyParams {
  const { params, services } = ctx;
  return copyParams(
    services.connection(params.source).endpoint(params.sourcePath),
    services.connection(params.target).endpoint(params.targetPath),
    {
      mode: params.mode as CopyMode,
      copyAcl: params.acl,
      verify: false,
      // Absent in runs made before the parameter existed, and when the operator left it empty.
      maxNodesPerSecond: params.maxNodesPerSecond,
      ...overrides,
    },
  );
}

const PHASE_LABELS: Record<string, string> = {
  plan: 'planning',
  copy: 'copying',
  verify: 'comparing',
  reconcile: 'reconciling',
};

/**
 * Follows engine run `engineRunId` (started, resumed or awaited by `begin`) until it ends. When the
 * step is stopped first it returns null: on a pause (or the app stopping) the engine run is paused
 * with its work settled and checkpointed, so the next attempt continues it; on an abort, or with
 * `onStop: 'cancel'`, it is cancelled.
 */
export async function followEngineRun<P extends JsonObject>(
  ctx: StepContext<P>,
  engineRunId: string,
  begin: () => Promise<EngineRunView>,
  options: { onStop: 'pause' | 'cancel' },
): Promise<EngineRunView | null> {
  const engine = ctx.services.copyEngine;
  let phase: string | null = null;
  let message: string | undefined;
  const onProgress = (event: ProgressEvent) => {
    if (event.runId !== engineRunId) return;
    if (event.phase !== phase) {
      phase = event.phase;
      ctx.log(
        `Engine run ${engineRunId.slice(0, 8)}: ${PHASE_LABELS[phase ?? ''] ?? phase}${event.pass ? ` (pass ${event.pass})` : ''}`,
      );
    }
    if (event.message && event.message !== message) ctx.log(event.message);
    message = event.message;
    ctx.progress({
      done: event.done,
      total: event.total,
      unit: 'nodes',
      label: `${PHASE_LABELS[event.phase ?? ''] ?? event.phase ?? 'working'}${event.pass ? ` (pass ${event.pass})` : ''}`,
    });
  };
  let resolveStopped: (value: null) => void = () => undefined;
  const stopped = new Promise<null>((resolve) => {
    resolveStopped = resolve;
  });
  const onAbort = () => {
    const cancel = options.onStop === 'cancel' || stopKindOf(ctx.signal) === 'abort';
    const settle = async () => {
      try {
        if (cancel) engine.cancel(engineRunId);
        else {
          ctx.log(`Pausing engine run ${engineRunId.slice(0, 8)}: settling the batches in flight`);
          await engine.pauseAndSettle(engineRunId);
        }
      } catch {
        // The engine run ended meanwhile: nothing to stop.
      }
      resolveStopped(null);
    };
    void settle();
  };
  engine.events.on('progress', onProgress);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (ctx.signal.aborted) return null;
    const done = begin();
    done.catch(() => undefined);
    return await Promise.race([done, stopped]);
  } finally {
    engine.events.off('progress', onProgress);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Creates one engine run of `kind` and follows it to its end (a stop cancels it: a comparison or a
 * reconcile pass is simply made again). Null when the step was stopped.
 */
export async function runEngineToEnd<P extends JsonObject>(
  ctx: StepContext<P>,
  kind: 'zk-diff' | 'zk-copy',
  params: CopyParams,
  mirrorConfirmed: boolean,
): Promise<EngineRunView | null> {
  const engine = ctx.services.copyEngine;
  const view = engine.create(kind, params);
  return followEngineRun(ctx, view.id, () => engine.start(view.id, { mirrorConfirmed }), {
    onStop: 'cancel',
  });
}

/** An engine run that did not complete, as a failed step's summary and hint. */
export function engineError(view: EngineRunView): { summary: string; hint?: string } {
  const error = view.result?.error;
  return {
    summary: error?.message ?? `The engine run ${view.id.slice(0, 8)} ended ${view.state}`,
    ...(error?.needs ? { hint: `Needs ${error.needs}.` } : {}),
  };
}

/**
 * The copy step of any runbook that drives the engine: an engine run the step finds completed is
 * kept, one still live in this process is followed (resumed if paused), and one left behind by a
 * crash or a pause is started again from its checkpoints. Null when the step was stopped first.
 */
export async function continueEngineCopy<P extends JsonObject>(
  ctx: StepContext<P>,
  view: EngineRunView,
  mirrorConfirmed: boolean,
): Promise<EngineRunView | null> {
  if (view.state === 'completed') return view;
  const engine = ctx.services.copyEngine;
  const id = view.id;
  ctx.log(
    view.live
      ? `Continuing engine run ${id} (${view.state})`
      : view.state === 'running' || view.state === 'paused' || view.state === 'failed'
        ? `Resuming engine run ${id} from its checkpoints (it was ${view.interrupted ? 'interrupted' : view.state})`
        : `Starting engine run ${id}`,
  );
  return followEngineRun(
    ctx,
    id,
    () => {
      if (view.live) {
        if (view.state === 'paused') engine.resume(id);
        return engine.wait(id);
      }
      return engine.start(id, { mirrorConfirmed });
    },
    { onStop: 'pause' },
  );
}
