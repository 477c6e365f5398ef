/**
 * One copy run from start (or resume) to end: open both sides, then copy, verify, and reconcile
 * (copy again what verify found different, verify again) until there is nothing left to fix or the
 * pass limit is reached. Each phase skips itself when its checkpoint says done, so a resumed run
 * continues at the phase it died in. A diff run is the verify phase alone.
 */
import { writerIdentity } from './acl-rules';
import { runCopyPhase, type CopyTuning } from './copy-phase';
import { openSide, type OpenedSide, type SessionFactory } from './endpoints';
import { CopyStopError, type FaultPolicy, noAuthStop } from './faults';
import type { SnapshotsRepo } from '../../store/types';
import type { ZkSessionLike } from '../../zk/types';
import { PathFilter } from './path-filter';
import type { PhaseRecorder } from './phase-recorder';
import type { PhaseProgress } from './phase-progress';
import { runPlanPhase } from './plan-phase';
import type { RunControl } from './run-control';
import {
  type CopyMode,
  type CopyParams,
  type PhaseName,
  type PlanReport,
  type ProgressEvent,
  type RunKind,
  type RunResult,
  verifyDifferences,
} from './types';
import { runVerifyPhase } from './verify-phase';
import { PacedTreeReader, ReadPacer } from './read-rate-limit';

export interface RunTuning extends CopyTuning {
  /**
   * Read sessions on the source (default 4). With the bulk reader most reads ride in multiReads,
   * but each ACL is a request of its own: 4 sessions read ACLs ~1.5x faster than 2 on 2 cores,
   * 8 or 16 no faster (bench, load 5).
   */
  sourceSessions?: number;
  /** Read sessions on the target (default 4: a fresh copy reads little there, but verify reads it all). */
  targetSessions?: number;
}

export interface CopyRunInput {
  kind: RunKind;
  params: CopyParams;
  factory: SessionFactory | undefined;
  recorder: PhaseRecorder;
  control: RunControl;
  /** Turns a phase's progress into the run's event (and emits it). */
  progress: (phase: PhaseName, progress: PhaseProgress, pass?: number) => ProgressEvent;
  /** Records the phase the run is in. */
  enterPhase: (phase: PhaseName, pass?: number) => void;
  /** The plan of this run, if one was made (its size makes the copy's percent). */
  plan?: PlanReport;
  tuning?: RunTuning;
  faults?: FaultPolicy;
  /** The store's snapshots, for a run whose source is one of them. */
  snapshots?: SnapshotsRepo;
}

/** A copy of nothing is a mistake in the path, not a success: the source root must exist. */
async function checkSourceRoot(source: OpenedSide): Promise<void> {
  const root = await source.reader.read('', 0, false);
  if (root.state === 'absent') {
    throw new CopyStopError({
      code: 'NO_NODE',
      path: source.reader.rootPath,
      message: `The source ${source.reader.label} does not exist: check the path`,
    });
  }
  if (root.state === 'unreadable') {
    throw await noAuthStop({
      side: 'source',
      verb: 'read',
      path: source.reader.rootPath,
      aclPath: source.reader.rootPath,
      letter: 'r',
      session: (source.reader as { primary?: ZkSessionLike }).primary,
    });
  }
}

async function openBoth(
  input: CopyRunInput,
  writeTarget: boolean,
): Promise<{ source: OpenedSide; target: OpenedSide }> {
  const tuning = input.tuning ?? {};
  const source = await openSide(input.params.source, input.factory, {
    readers: tuning.sourceSessions ?? 4,
    writer: false,
    faults: input.faults,
    snapshots: input.snapshots,
  });
  try {
    const target = await openSide(input.params.target, input.factory, {
      readers: tuning.targetSessions ?? 4,
      writer: writeTarget,
      faults: input.faults,
    });
    try {
      await checkSourceRoot(source);
    } catch (error) {
      await target.close();
      throw error;
    }
    const rate = input.params.maxNodesPerSecond;
    if (rate !== undefined) source.reader = new PacedTreeReader(source.reader, new ReadPacer(rate));
    return { source, target };
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** The dry run: what a copy with these parameters would do, nothing written. */
export async function executePlan(input: CopyRunInput): Promise<PlanReport> {
  const { source, target } = await openBoth(input, false);
  try {
    input.enterPhase('plan');
    return await runPlanPhase({
      source: source.reader,
      target: target.reader,
      mode: input.params.mode,
      copyAcl: input.params.copyAcl,
      filter: new PathFilter(input.params.include, input.params.exclude),
      identity: writerIdentity(target.credentials),
      control: input.control,
      concurrency: input.tuning?.concurrency,
      onProgress: (progress) => input.progress('plan', progress),
    });
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
}

export async function executeCopyRun(input: CopyRunInput): Promise<RunResult> {
  const started = Date.now();
  const { params } = input;
  const diffOnly = input.kind === 'zk-diff';
  const { source, target } = await openBoth(input, !diffOnly);
  const filter = new PathFilter(params.include, params.exclude);
  const identity = writerIdentity(target.credentials);
  const result: RunResult = {};
  if (input.plan) result.plan = input.plan;
  try {
    const verify = (unit: string, total: number | null, pass?: number) => {
      input.enterPhase(pass === undefined ? 'verify' : 'reconcile', pass);
      return runVerifyPhase({
        unit,
        source: source.reader,
        target: target.reader,
        recheckSession: target.writer,
        compareAcl: params.copyAcl,
        filter,
        control: input.control,
        recorder: input.recorder,
        total,
        concurrency: input.tuning?.concurrency,
        onProgress: (progress) => input.progress(pass === undefined ? 'verify' : 'reconcile', progress, pass),
      });
    };
    if (diffOnly) {
      result.verify = await verify('verify', null);
      result.seconds = (Date.now() - started) / 1000;
      return result;
    }
    const writer = target.writer!;
    const copy = (unit: string, mode: CopyMode, total: number | null, pass?: number) => {
      input.enterPhase(pass === undefined ? 'copy' : 'reconcile', pass);
      return runCopyPhase({
        unit,
        source: source.reader,
        target: target.reader,
        writer,
        mode,
        copyAcl: params.copyAcl,
        filter,
        identity,
        control: input.control,
        recorder: input.recorder,
        faults: input.faults,
        total,
        tuning: input.tuning,
        onProgress: (progress) => input.progress(pass === undefined ? 'copy' : 'reconcile', progress, pass),
      });
    };
    result.copy = await copy('copy', params.mode, input.plan?.records ?? null);
    const walked = result.copy.counts.examined;
    if (!params.verify) {
      result.seconds = (Date.now() - started) / 1000;
      return result;
    }
    let report = await verify('verify', walked);
    result.verify = report;
    // Reconcile from the source of truth, in the run's own mode: create-only never overwrites, only
    // mirror deletes. What the mode cannot fix stays in the report.
    const fixMode: CopyMode = params.mode;
    let fixed = 0;
    let passes = 0;
    for (let pass = 1; pass <= params.reconcilePasses && verifyDifferences(report.counts) > 0; pass += 1) {
      passes = pass;
      const fix = await copy(`reconcile-${pass}`, fixMode, walked, pass);
      const changed = fix.counts.created + fix.counts.updated + fix.counts.deleted + fix.counts.aclUpdated;
      fixed += changed;
      report = await verify(`reconcile-${pass}-verify`, walked, pass);
      if (changed === 0) break;
    }
    if (passes > 0) {
      result.reconcile = { passes, fixed, verify: report };
      result.verify = report;
    }
    result.seconds = (Date.now() - started) / 1000;
    return result;
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
}
