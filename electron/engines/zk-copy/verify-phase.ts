/**
 * The verify phase: Vitess's VDiff for two ZooKeeper subtrees. Compares the path sets, the data bytes
 * and (when ACLs are copied) the ACLs, and reports matching / mismatched / extra-source /
 * extra-target with samples. Resumable like the copy: its checkpoint holds the counts so far.
 *
 * A difference is read again through the write session before it is counted: the read sessions may
 * sit on a follower that has not caught up with the writes yet, and a verify that flags what the copy
 * just wrote is the false positive operators complain about most (migration-practice.md).
 */
import { isZkError } from '../../zk/errors';
import type { ZkSessionLike } from '../../zk/types';
import { keyToPath, preorderKey } from '../../zk/tree-walker';
import { aclEqual } from './acl-rules';
import { type PairRecord, pairWalk } from './pair-walk';
import type { PathFilter } from './path-filter';
import type { PhaseRecorder } from './phase-recorder';
import { PendingTally } from './pending-tally';
import { PhaseProgressReporter, type ProgressSink } from './phase-progress';
import type { RunControl } from './run-control';
import { addSample, displayRel } from './samples';
import { absolutePath, type NodeState, type TreeReader } from './tree-reader';
import { emptyVerifyCounts, type Samples, type VerifyCounts, type VerifyReport } from './types';

export interface VerifyPhaseInput {
  unit: string;
  source: TreeReader;
  target: TreeReader;
  /** Where differences are read again (the copy's write session); the target's own sessions if absent. */
  recheckSession?: ZkSessionLike;
  compareAcl: boolean;
  filter: PathFilter;
  control: RunControl;
  recorder: PhaseRecorder;
  total?: number | null;
  concurrency?: number;
  onProgress?: ProgressSink;
  checkpointIntervalMs?: number;
}

interface VerifyState {
  counts: VerifyCounts;
  samples: Samples;
  done: number;
  seconds: number;
}

async function freshTarget(
  session: ZkSessionLike | undefined,
  path: string,
  withAcl: boolean,
): Promise<NodeState | null | undefined> {
  if (!session) return undefined;
  try {
    const [{ data, stat }, acl] = await Promise.all([
      session.getData(path),
      withAcl ? session.getACL(path) : undefined,
    ]);
    return {
      data,
      acl: acl?.acl,
      version: stat.version,
      aversion: stat.aversion,
      numChildren: stat.numChildren,
      ephemeral: stat.ephemeralOwner !== '0x0',
    };
  } catch (error) {
    if (isZkError(error) && error.code === 'NO_NODE') return null;
    // Cannot read it again: keep what the walk saw.
    return undefined;
  }
}

export async function runVerifyPhase(input: VerifyPhaseInput): Promise<VerifyReport> {
  const started = Date.now();
  const { recorder, control, compareAcl } = input;
  const saved = recorder.load(input.unit);
  if (saved?.done && saved.state?.report) return saved.state.report as unknown as VerifyReport;
  const prior = saved?.state as Partial<VerifyState> | null | undefined;
  const state: VerifyState = {
    counts: { ...emptyVerifyCounts(), ...(prior?.counts ?? {}) },
    samples: prior?.samples ?? {},
    done: prior?.done ?? 0,
    seconds: prior?.seconds ?? 0,
  };
  // Counts a checkpoint can claim: only comparisons before its cursor (see pending-tally.ts).
  const tally = new PendingTally<VerifyCounts & { records: number }>({
    ...state.counts,
    records: state.done,
  });
  const live = tally.live;
  const countsView = (): VerifyCounts => {
    const { records: _records, ...rest } = tally.live;
    return rest;
  };
  const resumeAfter = saved?.cursor != null ? preorderKey(saved.cursor) : undefined;
  const progress = new PhaseProgressReporter(input.onProgress, input.total ?? null);
  const every = input.checkpointIntervalMs ?? 1000;
  let lastCheckpoint = Date.now();

  const onReaderWaiting = (message: string | null) => {
    progress.setMessage(message);
    if (message) progress.update(live.records, 0, countsView, true);
  };
  input.source.onWaiting = onReaderWaiting;
  input.target.onWaiting = onReaderWaiting;

  const walker = pairWalk({
    source: input.source,
    target: input.target,
    withAcl: compareAcl,
    extras: true,
    filter: input.filter,
    resumeAfter,
    concurrency: input.concurrency,
  });

  const snapshot = (): VerifyState => {
    const { records, ...committed } = tally.committed;
    return {
      ...state,
      counts: committed,
      done: records,
      seconds: state.seconds + (Date.now() - started) / 1000,
    };
  };
  const save = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastCheckpoint < every) return;
    lastCheckpoint = now;
    let key = walker.lowestPendingKey() ?? '\uffff';
    if (resumeAfter !== undefined && key < resumeAfter) key = resumeAfter;
    tally.commit(key);
    const event = progress.update(live.records, 0, countsView, true);
    recorder.save(
      input.unit,
      { cursor: keyToPath(key, ''), done: false, state: snapshot() as never },
      { progress: event },
    );
  };

  const compare = async (record: PairRecord) => {
    const { source, target, rel } = record;
    const shown = displayRel(rel);
    // On resume, the ancestors of the cursor come again: they were compared and counted already.
    if (resumeAfter !== undefined && record.key < resumeAfter) return;
    tally.add(record.key, 'records');
    const counts = {
      add: (field: keyof VerifyCounts) => tally.add(record.key, field),
    };
    if (source.state === 'unreadable' || target.state === 'unreadable') {
      counts.add('unreadable');
      addSample(
        state.samples,
        'unreadable',
        `${shown} (${source.state === 'unreadable' ? 'source' : 'target'})`,
      );
      return;
    }
    if (record.scope !== 'full') return;
    if (source.state === 'present' && source.node.ephemeral) {
      counts.add('skippedEphemeral');
      return;
    }
    let targetNode = target.state === 'present' ? target.node : null;
    if (source.state !== 'present') {
      if (!targetNode) return;
      if (targetNode.ephemeral) {
        counts.add('skippedEphemeral');
        return;
      }
      const again = await freshTarget(input.recheckSession, absolutePath(input.target.rootPath, rel), false);
      if (again === null) return;
      counts.add('extraTarget');
      addSample(state.samples, 'extraTarget', shown);
      return;
    }
    const node = source.node;
    const differs = (other: NodeState | null) =>
      !other || !node.data.equals(other.data) || (compareAcl && !aclEqual(node.acl, other.acl));
    if (differs(targetNode)) {
      const again = await freshTarget(
        input.recheckSession,
        absolutePath(input.target.rootPath, rel),
        compareAcl,
      );
      if (again !== undefined) targetNode = again;
    }
    if (!targetNode) {
      counts.add('extraSource');
      addSample(state.samples, 'extraSource', shown);
      return;
    }
    counts.add('compared');
    const dataDiffers = !node.data.equals(targetNode.data);
    const aclDiffers = compareAcl && !aclEqual(node.acl, targetNode.acl);
    if (dataDiffers) {
      counts.add('mismatched');
      addSample(
        state.samples,
        'mismatched',
        `${shown} (source ${node.data.length} bytes, target ${targetNode.data.length} bytes)`,
      );
    }
    if (aclDiffers) {
      counts.add('aclMismatched');
      addSample(state.samples, 'aclMismatched', shown);
    }
    if (!dataDiffers && !aclDiffers) counts.add('matching');
  };

  try {
    for (;;) {
      if (control.state !== 'running') {
        walker.pause();
        await control.gate(async () => save(true));
        walker.resume();
      }
      const record = walker.take();
      if (record === undefined) {
        if (walker.finished) break;
        await Promise.race([walker.ready(), control.changed()]);
        continue;
      }
      await compare(record);
      progress.update(live.records, 0, countsView);
      save(false);
    }
  } catch (error) {
    walker.cancel();
    save(true);
    throw error;
  }

  tally.commitAll();
  const { records: finalRecords, ...finalCounts } = tally.committed;
  const report: VerifyReport = {
    counts: finalCounts,
    samples: state.samples,
    checkedAt: Date.now(),
    seconds: Math.round((state.seconds + (Date.now() - started) / 1000) * 1000) / 1000,
  };
  const event = progress.finish(finalRecords, 0, { ...finalCounts });
  recorder.save(
    input.unit,
    { cursor: null, done: true, state: { ...snapshot(), report } as never },
    { progress: event },
  );
  return report;
}
