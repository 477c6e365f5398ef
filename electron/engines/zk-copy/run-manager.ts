/**
 * Engine runs as the host API and the CLI drive them: create, plan, start, pause, resume, cancel,
 * status and report, with progress as events. Runs live in the store (engine_runs, checkpoints),
 * so a run survives the process: one the store says is running but no process runs is
 * "interrupted", and resuming it continues from its checkpoints. Every start, end, pause, resume,
 * cancel and phase change is an audit event; so is every write batch (written by the phases).
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { validateZkPath } from '../../../shared/zk-path';
import type { JsonObject, Store } from '../../store/types';
import { type CleanupParams, executeCleanupDelete, executeCleanupExport } from './cleanup-run';
import { executeCopyRun, executePlan, type RunTuning } from './copy-run';
import { describeEndpoint, type SessionFactory, type ZkEndpointRef } from './endpoints';
import { type FaultPolicy, toRunError } from './faults';
import { PathFilter } from './path-filter';
import { StoreRecorder } from './phase-recorder';
import type { PhaseProgress } from './phase-progress';
import { CancelledError, RunControl } from './run-control';
import type {
  CopyParams,
  EndpointRef,
  PhaseName,
  PlanReport,
  ProgressEvent,
  RunKind,
  RunResult,
  RunState,
  RunView,
} from './types';

export class RunRefusedError extends Error {
  override name = 'RunRefusedError';
}

interface LiveRun {
  control: RunControl;
  done: Promise<RunView>;
  progress: ProgressEvent | null;
  phase: PhaseName | null;
  pass?: number;
}

export interface StartOptions {
  /** Mirror mode was confirmed by the operator (typed confirmation, --yes). */
  mirrorConfirmed?: boolean;
  /** A cleanup's node count, confirmed by the operator. */
  confirmNodeCount?: number;
}

export interface EngineRunsOptions {
  store: Store;
  actor: string;
  factory?: SessionFactory;
  /** Where cleanup exports go by default (the data dir's exports/ folder). */
  exportDir?: string;
  tuning?: RunTuning;
  faults?: FaultPolicy;
}

/** The checkpoint unit that records which process runs a run (not a phase). */
const LEASE_UNIT = '_lease';

const STARTABLE: ReadonlySet<string> = new Set(['created', 'planned', 'paused', 'failed', 'running']);

function overlaps(a: EndpointRef, b: EndpointRef): boolean {
  if (a.kind !== 'zk' || b.kind !== 'zk' || a.connectString !== b.connectString) return false;
  const under = (x: string, y: string) => x === y || y === '/' || x.startsWith(`${y}/`);
  return under(a.path, b.path) || under(b.path, a.path);
}

function checkEndpoint(ref: EndpointRef, side: string): void {
  const problem = validateZkPath(ref.path);
  if (problem) throw new RunRefusedError(`The ${side} path ${problem}`);
}

export class EngineRuns {
  /** 'progress' (ProgressEvent) and 'state' (RunView). */
  readonly events = new EventEmitter();
  private readonly live = new Map<string, LiveRun>();

  constructor(private readonly options: EngineRunsOptions) {
    this.events.setMaxListeners(100);
  }

  private get store(): Store {
    return this.options.store;
  }

  // ------------------------------------------------------------------ queries

  get(runId: string): RunView {
    const run = this.store.engineRuns.get(runId);
    if (!run) throw new RunRefusedError(`No run with id '${runId}' (check the id, or the --data-dir)`);
    const live = this.live.get(runId);
    return {
      id: run.id,
      kind: run.kind as RunKind,
      state: run.state as RunState,
      interrupted: run.state === 'running' && !live,
      live: live !== undefined,
      phase: (live?.phase ?? run.phase) as PhaseName | null,
      params: run.params,
      progress: live?.progress ?? (run.progress as unknown as ProgressEvent | null),
      result: run.result as RunResult | null,
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
    };
  }

  list(query: { kind?: RunKind; limit?: number } = {}): RunView[] {
    return this.store.engineRuns.list(query).map((run) => this.get(run.id));
  }

  /** The run plus its checkpoints (what is finished, where each phase stands). */
  report(runId: string): {
    run: RunView;
    checkpoints: { unit: string; done: boolean; cursor: string | null }[];
  } {
    const run = this.get(runId);
    const checkpoints = this.store.checkpoints
      .list(runId)
      .filter((checkpoint) => !checkpoint.unit.startsWith('_'))
      .map(({ unit, done, cursor }) => ({ unit, done, cursor: cursor?.replace('\uffff', '(end)') ?? null }));
    return { run, checkpoints };
  }

  /** Resolves when the live run ends (at once with the stored view when it is not live). */
  async wait(runId: string): Promise<RunView> {
    const live = this.live.get(runId);
    return live ? live.done : this.get(runId);
  }

  // ------------------------------------------------------------------ copy, diff, import

  /** Records a new run (nothing runs yet: plan it, or start it). */
  create(
    kind: Exclude<RunKind, 'zk-cleanup'>,
    params: CopyParams,
    options: { runId?: string } = {},
  ): RunView {
    checkEndpoint(params.source, 'source');
    checkEndpoint(params.target, 'target');
    // Compiling the globs here turns a bad one into a message now rather than a failed run later.
    new PathFilter(params.include, params.exclude);
    if (kind !== 'zk-diff' && params.target.kind !== 'zk') {
      throw new RunRefusedError('The target of a copy must be a ZooKeeper connection');
    }
    // A diff only reads: comparing a tree with itself (or a part of it) is allowed, if pointless.
    if (kind !== 'zk-diff' && overlaps(params.source, params.target)) {
      throw new RunRefusedError(
        `The source ${describeEndpoint(params.source)} and the target ${describeEndpoint(params.target)} overlap: copy between separate subtrees`,
      );
    }
    const run = this.store.transaction(() => {
      const created = this.store.engineRuns.create({
        id: options.runId,
        kind,
        params: params as unknown as JsonObject,
        state: 'created',
      });
      this.audit(kind, 'created', created.id, {
        source: describeEndpoint(params.source),
        target: describeEndpoint(params.target),
        mode: params.mode,
        copyAcl: params.copyAcl,
        include: params.include,
        exclude: params.exclude,
      });
      return created;
    });
    const view = this.get(run.id);
    this.events.emit('state', view);
    return view;
  }

  /** The dry run: writes nothing on ZooKeeper; the plan becomes part of the run's result. */
  async plan(runId: string): Promise<PlanReport> {
    const view = this.get(runId);
    if (view.kind === 'zk-cleanup') throw new RunRefusedError('A cleanup is planned with prepareCleanup');
    if (view.live) throw new RunRefusedError(`Run ${runId} is running`);
    if (view.state !== 'created' && view.state !== 'planned') {
      throw new RunRefusedError(`Run ${runId} is ${view.state}: a plan is made before the run starts`);
    }
    const params = view.params as unknown as CopyParams;
    const control = new RunControl();
    const plan = await executePlan({
      kind: view.kind,
      params,
      factory: this.options.factory,
      recorder: new StoreRecorder(this.store, runId, this.options.actor, `${view.kind}.batch`),
      control,
      progress: (phase, progress) => this.emitProgress(runId, view.kind, 'created', phase, progress),
      enterPhase: () => {},
      tuning: this.options.tuning,
      snapshots: this.store.snapshots,
    });
    this.store.transaction(() => {
      this.store.engineRuns.update(runId, {
        state: 'planned',
        phase: 'plan',
        result: { ...(view.result ?? {}), plan } as unknown as JsonObject,
      });
      this.audit(view.kind, 'planned', runId, {
        creates: plan.creates,
        updates: plan.updates,
        unchanged: plan.unchanged,
        deletes: plan.deletes,
        conflicts: plan.conflicts,
        skippedEphemeral: plan.skippedEphemeral,
        unreadable: plan.unreadable,
      });
    });
    return plan;
  }

  /**
   * Starts (or, for a stopped run, resumes) a run in this process. Resolves with the final view when
   * it ends; the caller need not wait (the API returns at once, progress comes as events).
   */
  start(runId: string, options: StartOptions = {}): Promise<RunView> {
    const view = this.get(runId);
    if (view.live) throw new RunRefusedError(`Run ${runId} is already running in this process`);
    if (!STARTABLE.has(view.state)) {
      throw new RunRefusedError(
        `Run ${runId} is ${view.state}: it cannot be started again (create a new run)`,
      );
    }
    if (view.kind === 'zk-cleanup') this.checkCleanupConfirmation(view, options.confirmNodeCount);
    const params = view.params as Partial<CopyParams>;
    const mirror = view.kind !== 'zk-diff' && params.mode === 'mirror';
    if (mirror && !options.mirrorConfirmed && !view.result?.mirrorConfirmedAt) {
      throw new RunRefusedError(
        `Mirror mode deletes every node under ${params.target ? describeEndpoint(params.target) : 'the target'} that the source lacks: confirm it (--yes in the CLI, the typed confirmation in the app)`,
      );
    }
    for (const [otherId] of this.live) {
      const other = this.get(otherId);
      const a = (view.params as { target?: EndpointRef }).target;
      const b = (other.params as { target?: EndpointRef }).target;
      if (a && b && overlaps(a, b)) {
        throw new RunRefusedError(
          `Run ${otherId} is writing to an overlapping tree (${describeEndpoint(b)}): wait for it, pause or cancel it first`,
        );
      }
    }
    this.checkLease(runId, view);
    const resumed =
      this.store.checkpoints.list(runId).some((checkpoint) => !checkpoint.unit.startsWith('_')) ||
      view.state === 'paused' ||
      view.interrupted;
    const control = new RunControl();
    const live: LiveRun = { control, done: Promise.resolve(view), progress: null, phase: view.phase };
    this.live.set(runId, live);
    this.store.transaction(() => {
      this.store.engineRuns.update(runId, {
        state: 'running',
        // A resume of a confirmed mirror run needs no second confirmation.
        ...(mirror && !view.result?.mirrorConfirmedAt
          ? { result: { ...(view.result ?? {}), mirrorConfirmedAt: Date.now() } as unknown as JsonObject }
          : {}),
      });
      this.store.checkpoints.save({
        runId,
        unit: LEASE_UNIT,
        cursor: null,
        done: false,
        state: { pid: process.pid, host: hostname(), at: Date.now() },
      });
      this.audit(view.kind, resumed ? 'resumed' : 'started', runId, {
        ...(view.interrupted ? { after: 'interrupted' } : {}),
        ...(view.state === 'failed' ? { after: 'failed' } : {}),
      });
    });
    this.events.emit('state', this.get(runId));
    live.done = this.execute(runId, this.get(runId), live, options);
    return live.done;
  }

  pause(runId: string): RunView {
    const live = this.live.get(runId);
    if (!live) throw new RunRefusedError(`Run ${runId} is not running in this process`);
    if (live.control.state !== 'running') return this.get(runId);
    live.control.pause();
    this.setState(runId, 'paused', 'paused');
    return this.get(runId);
  }

  /**
   * Pauses and resolves once the run stands still with its work in flight settled and checkpointed
   * (or it ended), e.g. before a CLI exits on Ctrl-C: the run stays resumable.
   */
  async pauseAndSettle(runId: string): Promise<RunView> {
    const live = this.live.get(runId);
    if (!live) return this.get(runId);
    this.pause(runId);
    await Promise.race([live.control.whenParked(), live.done.then(() => undefined)]);
    return this.get(runId);
  }

  /**
   * Before the process exits (the host stopping): pauses every live run so its writes in flight
   * settle and are checkpointed, and it shows as paused, resumable, after the next start. Bounded:
   * a run that cannot settle in time is left as it is (it will show as interrupted, also resumable).
   */
  async shutdown(timeoutMs = 5000): Promise<void> {
    const ids = [...this.live.keys()];
    if (ids.length === 0) return;
    const settled = Promise.allSettled(ids.map((id) => this.pauseAndSettle(id)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([settled, deadline]);
    clearTimeout(timer);
  }

  /** Resumes a paused run, or restarts a stopped one (paused, failed, interrupted) from its checkpoints. */
  resume(runId: string, options: StartOptions = {}): RunView {
    const live = this.live.get(runId);
    if (live) {
      if (live.control.state === 'paused') {
        live.control.resume();
        this.setState(runId, 'running', 'resumed');
      }
      return this.get(runId);
    }
    const done = this.start(runId, options);
    done.catch(() => undefined);
    return this.get(runId);
  }

  cancel(runId: string): RunView {
    const live = this.live.get(runId);
    if (live) {
      live.control.cancel();
      return this.get(runId);
    }
    const view = this.get(runId);
    if (view.state === 'completed' || view.state === 'cancelled') return view;
    this.setState(runId, 'cancelled', 'cancelled');
    return this.get(runId);
  }

  // ------------------------------------------------------------------ cleanup

  /**
   * Step one of a cleanup: exports the tree (the backup that must exist before anything is deleted)
   * and counts it. The operator confirms that count to start step two (start with confirmNodeCount).
   */
  async prepareCleanup(
    target: ZkEndpointRef,
    options: { runId?: string; exportFile?: string } = {},
  ): Promise<RunView> {
    checkEndpoint(target, 'cleanup');
    if (target.path === '/') throw new RunRefusedError('Refusing to clean up the root of an ensemble');
    const factory = this.options.factory;
    if (!factory) throw new RunRefusedError('No ZooKeeper connection factory configured');
    const run = this.store.transaction(() => {
      const created = this.store.engineRuns.create({
        id: options.runId,
        kind: 'zk-cleanup',
        params: { target } as unknown as JsonObject,
        state: 'created',
        phase: 'export',
      });
      this.audit('zk-cleanup', 'created', created.id, { target: describeEndpoint(target) });
      return created;
    });
    const exportDir = this.options.exportDir ?? '.';
    const exportFile = options.exportFile ?? join(exportDir, `cleanup-${run.id}.json.gz`);
    try {
      const summary = await executeCleanupExport({ target, exportFile }, factory, (nodes) =>
        this.emitProgress(run.id, 'zk-cleanup', 'created', 'export', {
          done: nodes,
          total: null,
          percent: null,
          rate: 0,
          bytes: 0,
          bytesPerSecond: 0,
          etaSeconds: null,
          counts: { exported: nodes },
        }),
      );
      this.store.transaction(() => {
        this.store.engineRuns.update(run.id, {
          state: 'planned',
          result: {
            cleanup: { exportFile, nodeCount: summary.nodeCount, deleted: 0, complete: summary.complete },
          },
        });
        this.audit('zk-cleanup', 'exported', run.id, {
          exportFile,
          nodeCount: summary.nodeCount,
          complete: summary.complete,
          unreadable: summary.unreadable.slice(0, 20),
        });
      });
    } catch (error) {
      this.store.transaction(() => {
        this.store.engineRuns.update(run.id, {
          state: 'failed',
          result: { error: toRunError(error) } as never,
        });
        this.audit('zk-cleanup', 'finished', run.id, { status: 'failed', error: toRunError(error) });
      });
    }
    return this.get(run.id);
  }

  // ------------------------------------------------------------------ internals

  private async execute(
    runId: string,
    view: RunView,
    live: LiveRun,
    options: { confirmNodeCount?: number },
  ): Promise<RunView> {
    const recorder = new StoreRecorder(this.store, runId, this.options.actor, `${view.kind}.batch`);
    const progress = (phase: PhaseName, update: PhaseProgress, pass?: number) =>
      this.emitProgress(runId, view.kind, this.stateOf(live), phase, update, pass);
    const enterPhase = (phase: PhaseName, pass?: number) => {
      if (live.phase === phase && live.pass === pass) return;
      live.phase = phase;
      live.pass = pass;
      this.store.transaction(() => {
        this.store.engineRuns.update(runId, { phase });
        this.audit(view.kind, 'phase', runId, { phase, ...(pass ? { pass } : {}) });
      });
    };
    const started = Date.now();
    let result: RunResult = { ...(view.result ?? {}) };
    delete result.error;
    let state: RunState;
    try {
      if (view.kind === 'zk-cleanup') {
        const cleanup = await this.executeCleanup(runId, view, live, recorder, progress, enterPhase, options);
        result = { ...result, cleanup };
      } else {
        const copied = await executeCopyRun({
          kind: view.kind,
          params: view.params as unknown as CopyParams,
          factory: this.options.factory,
          recorder,
          control: live.control,
          progress,
          enterPhase,
          plan: view.result?.plan,
          tuning: this.options.tuning,
          faults: this.options.faults,
          snapshots: this.store.snapshots,
        });
        result = { ...result, ...copied };
      }
      state = 'completed';
    } catch (error) {
      if (error instanceof CancelledError) {
        state = 'cancelled';
      } else {
        state = 'failed';
        result.error = toRunError(error);
      }
    }
    result.seconds = (Date.now() - started) / 1000;
    this.live.delete(runId);
    this.store.transaction(() => {
      this.store.engineRuns.update(runId, { state, result: result as unknown as JsonObject });
      this.audit(view.kind, 'finished', runId, {
        status: state,
        seconds: result.seconds,
        ...(result.copy ? { copy: result.copy.counts } : {}),
        ...(result.verify ? { verify: result.verify.counts } : {}),
        ...(result.cleanup ? { cleanup: result.cleanup } : {}),
        ...(result.error ? { error: result.error } : {}),
      });
    });
    const final = this.get(runId);
    this.events.emit('state', final);
    return final;
  }

  /** A cleanup starts only with the exact node count of its export (or, resumed, the one confirmed). */
  private checkCleanupConfirmation(view: RunView, confirmNodeCount: number | undefined): void {
    const prepared = view.result?.cleanup as
      | { exportFile?: string; nodeCount?: number; confirmed?: number }
      | undefined;
    if (!prepared?.exportFile)
      throw new RunRefusedError(`Run ${view.id} has no export yet: prepare the cleanup first`);
    if ((prepared as { complete?: boolean }).complete === false) {
      throw new RunRefusedError(
        `The export ${prepared.exportFile} is incomplete: nothing will be deleted from it`,
      );
    }
    const count = confirmNodeCount ?? prepared.confirmed;
    if (count === undefined) {
      throw new RunRefusedError(
        `Confirm the cleanup by typing the node count of its export (${prepared.nodeCount} nodes, saved in ${prepared.exportFile})`,
      );
    }
    if (count !== prepared.nodeCount) {
      throw new RunRefusedError(
        `The confirmed count ${count} is not the ${prepared.nodeCount} nodes of the export ${prepared.exportFile}: nothing deleted`,
      );
    }
  }

  private async executeCleanup(
    runId: string,
    view: RunView,
    live: LiveRun,
    recorder: StoreRecorder,
    progress: (phase: PhaseName, update: PhaseProgress) => ProgressEvent,
    enterPhase: (phase: PhaseName) => void,
    options: { confirmNodeCount?: number },
  ): Promise<NonNullable<RunResult['cleanup']>> {
    const factory = this.options.factory;
    if (!factory) throw new RunRefusedError('No ZooKeeper connection factory configured');
    const prepared = view.result?.cleanup as
      | { exportFile?: string; nodeCount?: number; confirmed?: number }
      | undefined;
    if (!prepared?.exportFile)
      throw new RunRefusedError(`Run ${runId} has no export yet: prepare the cleanup first`);
    // A resumed cleanup keeps the count confirmed when it started.
    const confirmNodeCount = options.confirmNodeCount ?? prepared.confirmed;
    if (confirmNodeCount === undefined) {
      throw new RunRefusedError(
        `Confirm the cleanup of ${prepared.nodeCount} nodes: pass that count back (the export is ${prepared.exportFile})`,
      );
    }
    this.store.engineRuns.update(runId, {
      result: { cleanup: { ...prepared, confirmed: confirmNodeCount } } as unknown as JsonObject,
    });
    enterPhase('cleanup');
    const params: CleanupParams = {
      target: (view.params as { target: ZkEndpointRef }).target,
      exportFile: prepared.exportFile,
    };
    const report = await executeCleanupDelete({
      params,
      confirmNodeCount,
      factory,
      recorder,
      control: live.control,
      faults: this.options.faults,
      tuning: this.options.tuning,
      progress,
    });
    return { deleted: report.deleted, exportFile: report.exportFile, nodeCount: report.nodeCount };
  }

  /**
   * Two processes running one run would both write: a run the store says is running, last started
   * by a process of this machine that is still alive, is refused.
   */
  private checkLease(runId: string, view: RunView): void {
    if (view.state !== 'running') return;
    const lease = this.store.checkpoints.get(runId, LEASE_UNIT)?.state as {
      pid?: number;
      host?: string;
    } | null;
    if (!lease?.pid || lease.host !== hostname() || lease.pid === process.pid) return;
    let alive = false;
    try {
      process.kill(lease.pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive) {
      throw new RunRefusedError(
        `Run ${runId} is being run by process ${lease.pid} on this machine: pause or stop that one first`,
      );
    }
  }

  private stateOf(live: LiveRun): RunState {
    return live.control.state === 'paused'
      ? 'paused'
      : live.control.state === 'cancelled'
        ? 'cancelled'
        : 'running';
  }

  private emitProgress(
    runId: string,
    kind: RunKind,
    state: RunState,
    phase: PhaseName,
    update: PhaseProgress,
    pass?: number,
  ): ProgressEvent {
    const event: ProgressEvent = { runId, kind, state, phase, ...update, at: Date.now() };
    if (pass !== undefined) event.pass = pass;
    const live = this.live.get(runId);
    if (live) live.progress = event;
    this.events.emit('progress', event);
    return event;
  }

  private setState(runId: string, state: RunState, action: string): void {
    const view = this.get(runId);
    this.store.transaction(() => {
      this.store.engineRuns.update(runId, { state });
      this.audit(view.kind, action, runId, {});
    });
    this.events.emit('state', this.get(runId));
  }

  private audit(kind: RunKind, action: string, runId: string, detail: Record<string, unknown>): void {
    this.store.events.append({
      actor: this.options.actor,
      action: `${kind}.${action}`,
      target: runId,
      detail,
    });
  }
}
