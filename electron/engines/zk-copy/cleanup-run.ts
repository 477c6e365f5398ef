/**
 * A cleanup run in two steps, each its own call so an operator sees the count before anything is
 * deleted: `prepare` exports the tree to a file and counts it; `delete` needs that count back.
 */
import { asWriteSession } from '../../zk/multi';
import { exportTree, type ExportSummary } from '../zk-export/export-tree';
import { runCleanupPhase, type CleanupReport } from './cleanup-phase';
import type { CopyTuning } from './copy-phase';
import { describeEndpoint, type SessionFactory, type ZkEndpointRef } from './endpoints';
import type { FaultPolicy } from './faults';
import type { PhaseRecorder } from './phase-recorder';
import type { PhaseProgress } from './phase-progress';
import type { RunControl } from './run-control';
import type { PhaseName, ProgressEvent } from './types';

export interface CleanupParams {
  target: ZkEndpointRef;
  exportFile: string;
}

export async function executeCleanupExport(
  params: CleanupParams,
  factory: SessionFactory,
  onProgress?: (nodes: number) => void,
): Promise<ExportSummary> {
  const sessions = await Promise.all([
    factory.open(params.target, 'read'),
    factory.open(params.target, 'read'),
  ]);
  try {
    return await exportTree({
      sessions,
      root: params.target.path,
      file: params.exportFile,
      source: describeEndpoint(params.target),
      withStat: true,
      onProgress: (nodes) => onProgress?.(nodes),
    });
  } finally {
    await Promise.allSettled(sessions.map((session) => session.close()));
  }
}

export async function executeCleanupDelete(input: {
  params: CleanupParams;
  confirmNodeCount: number;
  factory: SessionFactory;
  recorder: PhaseRecorder;
  control: RunControl;
  faults?: FaultPolicy;
  tuning?: CopyTuning;
  progress: (phase: PhaseName, progress: PhaseProgress) => ProgressEvent;
}): Promise<CleanupReport> {
  const writer = asWriteSession(await input.factory.open(input.params.target, 'write'));
  const readers = [writer, await input.factory.open(input.params.target, 'read')];
  try {
    return await runCleanupPhase({
      unit: 'cleanup',
      path: input.params.target.path,
      exportFile: input.params.exportFile,
      confirmNodeCount: input.confirmNodeCount,
      readers,
      writer,
      control: input.control,
      recorder: input.recorder,
      faults: input.faults,
      tuning: input.tuning,
      onProgress: (progress) => input.progress('cleanup', progress),
    });
  } finally {
    await Promise.allSettled(readers.map((session) => session.close()));
  }
}
