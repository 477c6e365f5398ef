/**
 * The copy phase: walk source and target together, write only what differs, in byte-sized multi
 * batches, and checkpoint a resume position after each settled batch.
 *
 * The resume position is a pre-order key: every node before it was read and, if it needed a write,
 * that write was applied. It is the smallest key still pending anywhere (being read, waiting in the
 * walk's queue, in a batch not settled, a mirror delete waiting for its children, an ACL waiting for
 * its subtree). On resume, whole subtrees before it are not read again; the rest is compared again,
 * and since unchanged nodes are not rewritten, the only writes repeated are those of batches that
 * were in flight when the process died, and those are checked first (a create that exists with the
 * same data is counted, not resent).
 */
import { OPEN_ACL_UNSAFE } from '../../zk/acl';
import type { ZkWriteSession } from '../../zk/multi';
import type { BatchEntry } from '../../zk/multi-batcher';
import { KEY_SEPARATOR, keyToPath, preorderKey, subtreeBefore } from '../../zk/tree-walker';
import type { ZkAcl, ZkErrorCode } from '../../zk/types';
import {
  aclEqual,
  formatAcl,
  isMaskedDigest,
  looksSequential,
  temporaryAcl,
  type WriterIdentity,
} from './acl-rules';
import { BatchWriter, type SettledBatch, type WriteOp, type WriteTag } from './batch-writer';
import { decide } from './decide';
import { CopyStopError, DEFAULT_FAULT_POLICY, type FaultPolicy, noAuthStop } from './faults';
import { type PairRecord, pairWalk } from './pair-walk';
import type { PathFilter } from './path-filter';
import type { BatchAudit, PhaseRecorder } from './phase-recorder';
import { PendingTally, type TallyEntry } from './pending-tally';
import { PhaseProgressReporter, type ProgressSink } from './phase-progress';
import type { RunControl } from './run-control';
import { addSample, displayRel } from './samples';
import { absolutePath, type NodeState, type TreeReader } from './tree-reader';
import {
  type CopyCounts,
  type CopyMode,
  type CopyReport,
  emptyCopyCounts,
  MAX_SAMPLES,
  type Samples,
} from './types';

/**
 * Ops per multi at most (bytes bound them first): a latency knob. Measured best on loopback: several
 * multis of 500-1000 ops in flight (zookeeper-reference.md, section 3); smaller batches also bound
 * what a resume after a kill has to re-check.
 */
export const DEFAULT_BATCH_OPS = 1000;

export interface CopyTuning {
  /** Node visits in flight over all read sessions (default 128 per source session). */
  concurrency?: number;
  maxBatchBytes?: number;
  maxBatchOps?: number;
  /** Multi batches in flight on the write session (default 4). */
  maxInFlight?: number;
  byteBudget?: number;
}

export interface CopyPhaseInput {
  /** Checkpoint unit ('copy', 'reconcile-1'). */
  unit: string;
  source: TreeReader;
  target: TreeReader;
  writer: ZkWriteSession;
  mode: CopyMode;
  copyAcl: boolean;
  filter: PathFilter;
  identity: WriterIdentity;
  control: RunControl;
  recorder: PhaseRecorder;
  faults?: FaultPolicy;
  /** Items the walk will handle, when known (from a plan): for percent and ETA. */
  total?: number | null;
  tuning?: CopyTuning;
  onProgress?: ProgressSink;
  /** How often a checkpoint is written when no batch settles (resumes skip what it covers). */
  checkpointIntervalMs?: number;
}

interface CopyState {
  counts: CopyCounts;
  samples: Samples;
  sequentialNames: number;
  sequentialSamples: string[];
  done: number;
  seconds: number;
  /**
   * Nodes this phase created (or was creating) with a temporary ACL whose final ACL is not set yet
   * (relative paths). A resume finds them with the writer's temporary ACL: they are this copy's,
   * not a conflict, and still get their final ACL.
   */
  temporaryAcls?: string[];
}

function parentKey(key: string): string {
  return key.slice(0, key.lastIndexOf(KEY_SEPARATOR));
}

function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function relOfKey(key: string): string {
  return keyToPath(key, '');
}

/**
 * The resume position once everything is settled: above every key, so a resume reads only the root
 * (a key of U+FFFF: no path segment starts with it, see shared/zk-path).
 */
export const END_CURSOR = '\uffff';

export async function runCopyPhase(input: CopyPhaseInput): Promise<CopyReport> {
  const started = Date.now();
  const { source, target, writer, mode, copyAcl, control, recorder } = input;
  const saved = recorder.load(input.unit);
  if (saved?.done && saved.state?.report) return saved.state.report as unknown as CopyReport;

  const prior = saved?.state as Partial<CopyState> | null | undefined;
  const state: CopyState = {
    counts: { ...emptyCopyCounts(), ...(prior?.counts ?? {}) },
    samples: prior?.samples ?? {},
    sequentialNames: prior?.sequentialNames ?? 0,
    sequentialSamples: prior?.sequentialSamples ?? [],
    done: prior?.done ?? 0,
    seconds: prior?.seconds ?? 0,
  };
  /** Left with a temporary ACL by the attempt that died (see CopyState.temporaryAcls). */
  const resumedTemporary = new Set(prior?.temporaryAcls ?? []);
  // Counts a checkpoint can claim: only items before its cursor (see pending-tally.ts).
  const tally = new PendingTally<CopyCounts & { records: number }>({ ...state.counts, records: state.done });
  const counts = tally.live;
  const countsView = (): CopyCounts => {
    const { records: _records, ...rest } = tally.live;
    return rest;
  };
  const resumeAfter = saved?.cursor != null ? preorderKey(saved.cursor) : undefined;
  const progress = new PhaseProgressReporter(input.onProgress, input.total ?? null);
  const checkpointEvery = input.checkpointIntervalMs ?? 1000;

  await ensureTargetAncestors(writer, target.rootPath);

  const walker = pairWalk({
    source,
    target,
    withAcl: copyAcl,
    extras: mode === 'mirror',
    filter: input.filter,
    resumeAfter,
    concurrency: input.tuning?.concurrency,
    byteBudget: input.tuning?.byteBudget,
  });

  /** Mirror deletes of target-only parents, waiting until their children are gone. */
  const waitingDeletes = new Map<string, { remaining: number; path: string; version: number }>();
  /** Creates made with a temporary ACL: their final ACL, once the create is applied. */
  const awaitingCreate = new Map<string, readonly ZkAcl[]>();
  /** Final ACLs to set once everything below their node is written (see applyReadyAcls). */
  const deferredAcls = new Map<string, { path: string; acl: readonly ZkAcl[] }>();
  /** Nodes created with a temporary ACL whose final setACL has not settled: key -> rel. */
  const temporary = new Map<string, string>();
  /** Set once the phase stops on an error or a cancel: only settling and checkpointing remain. */
  let stopping = false;
  let lastCheckpoint = 0;

  const targetPath = (rel: string) => absolutePath(target.rootPath, rel);

  /** The smallest key still pending anywhere, optionally leaving the deferred ACLs out. */
  const lowestPending = (withDeferred: boolean): string | undefined => {
    let lowest = walker.lowestPendingKey();
    const consider = (key: string | undefined) => {
      if (key !== undefined && (lowest === undefined || key < lowest)) lowest = key;
    };
    consider(writerRef.lowestPendingKey());
    for (const key of waitingDeletes.keys()) consider(key);
    for (const key of awaitingCreate.keys()) consider(key);
    if (withDeferred) for (const key of deferredAcls.keys()) consider(key);
    return lowest;
  };

  const cursorNow = (): string => {
    let lowest = lowestPending(true);
    if (lowest === undefined) return walker.finished ? END_CURSOR : (resumeAfter ?? '');
    // Skipped children before the resume position can show up as pending for a moment; they are done.
    if (resumeAfter !== undefined && lowest < resumeAfter) lowest = resumeAfter;
    return lowest;
  };

  const snapshotState = (): CopyState => {
    const { records, ...committed } = tally.committed;
    const temporaryAcls = [
      ...temporary.values(),
      ...[...awaitingCreate.keys()].map(relOfKey),
      ...resumedTemporary,
    ];
    return {
      ...state,
      counts: committed,
      done: records,
      seconds: state.seconds + (Date.now() - started) / 1000,
      ...(temporaryAcls.length > 0 ? { temporaryAcls } : {}),
    };
  };

  /**
   * A node created with a temporary ACL gets its final ACL as soon as nothing below it is pending:
   * its subtree is written (and, in mirror mode, its extras deleted), so the lock-out no longer
   * matters, and the window in which the target shows the temporary ACL stays short.
   */
  const applyReadyAcls = () => {
    // A stopping copy sets no final ACL: a node's subtree may be unfinished, and a locking ACL
    // would keep the resumed copy from finishing it.
    if (deferredAcls.size === 0 || stopping) return;
    const lowest = lowestPending(false);
    if (lowest === undefined && !walker.finished) return;
    for (const [key, { path, acl }] of deferredAcls) {
      if (lowest !== undefined && !subtreeBefore(key, lowest)) continue;
      deferredAcls.delete(key);
      writerRef.add(
        { type: 'setACL', path, acl, version: -1 },
        { key, rel: relOfKey(key), kind: 'acl', dataBytes: 0 },
      );
    }
  };

  const checkpoint = (batch?: BatchAudit, force = false) => {
    const now = Date.now();
    if (!batch && !force && now - lastCheckpoint < checkpointEvery) return;
    lastCheckpoint = now;
    const cursor = cursorNow();
    tally.commit(cursor);
    const event = progress.update(counts.records, counts.bytes, countsView, true);
    recorder.save(
      input.unit,
      { cursor: relOfKey(cursor), done: false, state: snapshotState() as never },
      { progress: event, batch },
    );
  };

  const settleExtraChild = (key: string) => {
    if (key === '') return;
    const parent = parentKey(key);
    const waiting = waitingDeletes.get(parent);
    if (!waiting) return;
    waiting.remaining -= 1;
    if (waiting.remaining > 0) return;
    waitingDeletes.delete(parent);
    writerRef.add(
      { type: 'remove', path: waiting.path, version: waiting.version },
      { key: parent, rel: relOfKey(parent), kind: 'delete', dataBytes: 0 },
    );
  };

  const conflict = (key: string, rel: string, reason: string) => {
    tally.add(key, 'conflicts');
    addSample(state.samples, 'conflicts', `${displayRel(rel)}: ${reason}`);
  };

  const failNode = (key: string, rel: string, reason: string) => {
    tally.add(key, 'errors');
    addSample(state.samples, 'errors', `${displayRel(rel)}: ${reason}`);
  };

  const resolveCulprit = async (
    entry: BatchEntry<WriteTag>,
    code: ZkErrorCode,
  ): Promise<BatchEntry<WriteTag>[]> => {
    const op = entry.op as WriteOp;
    const tag = entry.tag;
    if (code === 'NO_AUTH') {
      const letter =
        op.type === 'create' ? 'c' : op.type === 'remove' ? 'd' : op.type === 'setACL' ? 'a' : 'w';
      const verb =
        op.type === 'create'
          ? 'create'
          : op.type === 'remove'
            ? 'delete'
            : op.type === 'setACL'
              ? 'set the ACL of'
              : 'write';
      const aclPath = op.type === 'create' || op.type === 'remove' ? parentPath(op.path) : op.path;
      throw await noAuthStop({ side: 'target', verb, path: op.path, aclPath, letter, session: writer });
    }
    if (code === 'INVALID_ACL' && op.type === 'create') {
      throw new CopyStopError({
        code,
        path: op.path,
        message: `The target refuses the ACL of ${op.path} (${formatAcl(op.acl)}): its scheme or id is not valid there. Copy without ACLs (--no-acl) or fix the ACL on the source.`,
      });
    }
    switch (op.type) {
      case 'create': {
        if (code === 'NODE_EXISTS') {
          // Created meanwhile (by an earlier attempt whose answer was lost, or by someone else).
          const current = await writer.getData(op.path);
          if (current.data.equals(op.data)) {
            tally.add(tag.key, 'unchanged');
            awaitingCreate.delete(tag.key);
            return [];
          }
          if (mode === 'create-only') {
            awaitingCreate.delete(tag.key);
            conflict(tag.key, tag.rel, 'created on the target by someone else with different data');
            return [];
          }
          return [
            {
              op: { type: 'setData', path: op.path, data: op.data, version: current.stat.version },
              tag: { ...tag, kind: 'update' },
            },
          ];
        }
        awaitingCreate.delete(tag.key);
        if (code === 'NO_CHILDREN_FOR_EPHEMERALS') {
          conflict(tag.key, tag.rel, 'its parent on the target is ephemeral');
        } else if (code === 'NO_NODE') {
          failNode(tag.key, tag.rel, 'its parent does not exist on the target (deleted meanwhile?)');
        } else {
          failNode(tag.key, tag.rel, `create failed with ${code}`);
        }
        return [];
      }
      case 'setData': {
        if (code === 'BAD_VERSION') {
          const current = await writer.getData(op.path).catch(() => undefined);
          if (!current) {
            conflict(tag.key, tag.rel, 'deleted on the target while copying');
            return [];
          }
          if (current.data.equals(op.data)) {
            tally.add(tag.key, 'unchanged');
            return [];
          }
          return [{ op: { ...op, version: current.stat.version }, tag }];
        }
        if (code === 'NO_NODE') conflict(tag.key, tag.rel, 'deleted on the target while copying');
        else failNode(tag.key, tag.rel, `write failed with ${code}`);
        return [];
      }
      case 'remove': {
        if (code === 'NO_NODE') {
          tally.add(tag.key, 'deleted');
          settleExtraChild(tag.key);
          return [];
        }
        if (code === 'BAD_VERSION') {
          const stat = await writer.exists(op.path);
          if (!stat) {
            tally.add(tag.key, 'deleted');
            settleExtraChild(tag.key);
            return [];
          }
          return [{ op: { ...op, version: stat.version }, tag }];
        }
        if (code === 'NOT_EMPTY') {
          conflict(
            tag.key,
            tag.rel,
            'not deleted: it still has children (excluded, ephemeral, or added meanwhile)',
          );
        } else {
          failNode(tag.key, tag.rel, `delete failed with ${code}`);
        }
        settleExtraChild(tag.key);
        return [];
      }
      case 'setACL': {
        if (code === 'BAD_VERSION') return [{ op: { ...op, version: -1 } as never, tag }];
        conflict(tag.key, tag.rel, `ACL not set (${code})`);
        return [];
      }
      case 'check':
        return [];
    }
  };

  const onSettled = (batch: SettledBatch) => {
    const audit: BatchAudit = {
      seq: batch.seq,
      ops: batch.sent,
      applied: batch.applied.length,
      created: 0,
      updated: 0,
      aclUpdated: 0,
      deleted: 0,
      bytes: 0,
      requests: batch.requests,
      firstPath: batch.firstPath,
      lastPath: batch.lastPath,
    };
    for (const { tag } of batch.applied) {
      // A node created with a temporary ACL (or found existing and overwritten) gets its final ACL
      // once its subtree is written.
      const finalAcl = awaitingCreate.size > 0 ? awaitingCreate.get(tag.key) : undefined;
      if (finalAcl) {
        awaitingCreate.delete(tag.key);
        deferredAcls.set(tag.key, { path: targetPath(tag.rel), acl: finalAcl });
        temporary.set(tag.key, tag.rel);
      }
      if (tag.kind === 'acl' && temporary.size > 0) temporary.delete(tag.key);
      // Counted in the entry the node's read opened (one heap entry per node, see pending-tally.ts).
      const entry = tag.tally ?? tally.add(tag.key, 'records', 0);
      switch (tag.kind) {
        case 'create':
          audit.created += 1;
          tally.addTo(entry, 'created');
          break;
        case 'update':
          audit.updated += 1;
          tally.addTo(entry, 'updated');
          break;
        case 'acl':
          audit.aclUpdated += 1;
          tally.addTo(entry, 'aclUpdated');
          break;
        case 'delete':
          audit.deleted += 1;
          tally.addTo(entry, 'deleted');
          settleExtraChild(tag.key);
          break;
      }
      audit.bytes += tag.dataBytes;
      if (tag.dataBytes > 0) tally.addTo(entry, 'bytes', tag.dataBytes);
    }
    // Requests sent are work done whichever attempt did it: committed at once (key '').
    tally.add('', 'batches', batch.requests);
    applyReadyAcls();
    checkpoint(audit);
  };

  const onReaderWaiting = (message: string | null) => {
    progress.setMessage(message);
    if (message) progress.update(counts.records, counts.bytes, countsView, true);
  };
  source.onWaiting = onReaderWaiting;
  target.onWaiting = onReaderWaiting;

  const writerRef = new BatchWriter({
    session: writer,
    maxBatchBytes: input.tuning?.maxBatchBytes,
    maxBatchOps: input.tuning?.maxBatchOps ?? DEFAULT_BATCH_OPS,
    maxInFlight: input.tuning?.maxInFlight,
    resolveCulprit,
    onSettled,
    faults: input.faults ?? DEFAULT_FAULT_POLICY,
    onWaiting: (message) => {
      progress.setMessage(message);
      if (message) progress.update(counts.records, counts.bytes, countsView, true);
    },
  });

  /** Sends everything queued, including parent deletes released by settling children. */
  const drain = async () => {
    // Bounded: each round sends at least one batch, and parent deletes are released at most once each.
    for (let round = 0; round < 1_000_000; round += 1) {
      await writerRef.flush();
      if (writerRef.lowestPendingKey() === undefined && writerRef.batchesInFlight === 0) break;
    }
  };

  const decideOptions = { mode, copyAcl, identity: input.identity };
  const noteSequential = (rel: string) => {
    if (rel !== '' && looksSequential(rel.slice(rel.lastIndexOf('/') + 1))) {
      state.sequentialNames += 1;
      if (state.sequentialSamples.length < 20) state.sequentialSamples.push(displayRel(rel));
    }
  };
  const sample = (category: string, rel: string) => {
    if ((state.samples[category]?.length ?? 0) < MAX_SAMPLES)
      addSample(state.samples, category, displayRel(rel));
  };

  /**
   * A node an earlier attempt created with the writer's temporary ACL (it died before the final
   * one): the same data and that ACL mean it is this copy's node, so it only needs its final ACL.
   */
  const resumedLockedNode = (record: PairRecord): boolean => {
    if (resumedTemporary.size === 0 || !resumedTemporary.has(record.rel)) return false;
    resumedTemporary.delete(record.rel);
    if (record.source.state !== 'present' || record.target.state !== 'present') return false;
    const node = record.source.node;
    const existing = record.target.node;
    if (!node.data.equals(existing.data) || !aclEqual(existing.acl, temporaryAcl(input.identity)))
      return false;
    const finalAcl = copyAcl && node.acl ? node.acl : OPEN_ACL_UNSAFE;
    if (!aclEqual(finalAcl, existing.acl)) {
      deferredAcls.set(record.key, { path: targetPath(record.rel), acl: finalAcl });
      temporary.set(record.key, record.rel);
    }
    return true;
  };

  const handle = (record: PairRecord) => {
    if (resumedLockedNode(record)) {
      const entry = tally.add(record.key, 'records');
      tally.addTo(entry, 'examined');
      tally.addTo(entry, 'unchanged');
      return;
    }
    const decision = decide(record, decideOptions);
    const rel = record.rel;
    const path = targetPath(rel);
    const key = record.key;
    // On resume, the ancestors of the cursor are visited again: their outcome was counted already
    // (a write they need now is counted when it is applied).
    const revisited = resumeAfter !== undefined && key < resumeAfter;
    let entry: TallyEntry | undefined;
    if (!revisited) {
      entry = tally.add(key, 'records');
      if (record.source.state === 'present') tally.addTo(entry, 'examined');
    }
    // No closure per record here: under tsx's keepNames every closure created costs a defineProperty
    // (~60 ms of a 100k-node copy's CPU, profiled).
    switch (decision.action) {
      case 'create': {
        const node = record.source.state === 'present' ? record.source.node : undefined;
        if (!node) return;
        noteSequential(rel);
        if (decision.finalAcl) awaitingCreate.set(key, decision.finalAcl);
        sample('created', rel);
        writerRef.add(
          { type: 'create', path, data: node.data, acl: decision.acl, mode: 'persistent' },
          { key, rel, kind: 'create', dataBytes: node.data.length, tally: entry },
        );
        return;
      }
      case 'update': {
        const node = record.source.state === 'present' ? record.source.node : undefined;
        const existing = record.target.state === 'present' ? record.target.node : undefined;
        if (!node || !existing) return;
        noteSequential(rel);
        if (decision.setData) {
          sample('updated', rel);
          writerRef.add(
            { type: 'setData', path, data: node.data, version: existing.version },
            { key, rel, kind: 'update', dataBytes: node.data.length, tally: entry },
          );
        }
        if (decision.acl) {
          if (decision.deferAcl) {
            deferredAcls.set(key, { path, acl: decision.acl });
          } else {
            writerRef.add(
              { type: 'setACL', path, acl: decision.acl, version: existing.aversion },
              { key, rel, kind: 'acl', dataBytes: 0, tally: entry },
            );
          }
        }
        return;
      }
      case 'unchanged':
        if (entry) tally.addTo(entry, 'unchanged');
        return;
      case 'conflict':
        if (!revisited) conflict(key, rel, decision.reason);
        return;
      case 'skip-ephemeral':
        if (entry) tally.addTo(entry, 'skippedEphemeral');
        sample('skippedEphemeral', rel);
        return;
      case 'keep-target-ephemeral':
        if (entry) tally.addTo(entry, 'keptTargetEphemeral');
        sample('keptTargetEphemeral', rel);
        settleExtraChild(key);
        return;
      case 'delete': {
        const existing = record.target.state === 'present' ? record.target.node : undefined;
        if (!existing) return;
        sample('deleted', rel);
        if (record.targetOnlyChildren > 0) {
          waitingDeletes.set(key, { remaining: record.targetOnlyChildren, path, version: existing.version });
        } else {
          writerRef.add(
            { type: 'remove', path, version: existing.version },
            { key, rel, kind: 'delete', dataBytes: 0, tally: entry },
          );
        }
        return;
      }
      case 'extra':
      case 'none':
        if (record.source.state !== 'present') settleExtraChild(key);
        return;
      case 'unreadable':
        if (entry) tally.addTo(entry, 'unreadable');
        sample('unreadable', rel);
        return;
    }
  };

  try {
    for (;;) {
      if (control.state !== 'running') {
        walker.pause();
        await control.gate(async () => {
          await drain();
          checkpoint(undefined, true);
        });
        walker.resume();
      }
      const record = walker.take();
      if (record === undefined) {
        if (walker.finished) break;
        await Promise.race([walker.ready(), control.changed()]);
        continue;
      }
      if (copyAcl && record.source.state === 'present')
        stopOnMaskedAcl(source, record.rel, record.source.node);
      handle(record);
      const decisionNeedsStop = record.source.state === 'unreadable' || record.target.state === 'unreadable';
      if (decisionNeedsStop) {
        const side = record.source.state === 'unreadable' ? 'source' : 'target';
        const reader = side === 'source' ? source : target;
        const path = absolutePath(reader.rootPath, record.rel);
        const session = (reader as { primary?: ZkWriteSession }).primary;
        throw await noAuthStop({ side, verb: 'read', path, aclPath: path, letter: 'r', session });
      }
      progress.update(counts.records, counts.bytes, countsView);
      if (!writerRef.hasRoom) await writerRef.waitForRoom();
      checkpoint();
    }
    await drain();
    // Mirror deletes still waiting mean children were not visited (excluded, skipped): try them, so
    // NOT_EMPTY shows up as a conflict instead of a silent leftover.
    const leftovers = [...waitingDeletes.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1));
    waitingDeletes.clear();
    for (const [key, waiting] of leftovers) {
      writerRef.add(
        { type: 'remove', path: waiting.path, version: waiting.version },
        { key, rel: relOfKey(key), kind: 'delete', dataBytes: 0 },
      );
    }
    await drain();
    // Final ACLs still waiting (their subtrees finished last), deepest first.
    const finals = [...deferredAcls.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1));
    for (const [key, { path, acl }] of finals) {
      writerRef.add(
        { type: 'setACL', path, acl, version: -1 },
        { key, rel: relOfKey(key), kind: 'acl', dataBytes: 0 },
      );
      deferredAcls.delete(key);
    }
    await drain();
  } catch (error) {
    stopping = true;
    walker.cancel();
    // Settle what was sent (or learn that the writer is stuck), then record where we are.
    await writerRef.flush().catch(() => undefined);
    checkpoint(undefined, true);
    throw error;
  }

  tally.commitAll();
  const { records: finalRecords, ...finalCounts } = tally.committed;
  const report: CopyReport = {
    counts: finalCounts,
    samples: state.samples,
    warnings: { sequentialNames: state.sequentialNames, sequentialSamples: state.sequentialSamples },
    seconds: Math.round((state.seconds + (Date.now() - started) / 1000) * 1000) / 1000,
  };
  const event = progress.finish(finalRecords, finalCounts.bytes, { ...finalCounts });
  recorder.save(
    input.unit,
    { cursor: null, done: true, state: { ...snapshotState(), report } as never },
    { progress: event },
  );
  return report;
}

/** Creates missing ancestors of the target root (empty, open), like mkdir -p; the root is the walk's. */
async function ensureTargetAncestors(writer: ZkWriteSession, root: string): Promise<void> {
  if (root === '/') return;
  const parts = root.slice(1).split('/');
  let path = '';
  for (const part of parts.slice(0, -1)) {
    path += `/${part}`;
    if (await writer.exists(path)) continue;
    try {
      await writer.create(path, Buffer.alloc(0), { acl: [...OPEN_ACL_UNSAFE] });
    } catch (error) {
      if ((error as { code?: string }).code !== 'NODE_EXISTS') throw error;
    }
  }
}

/**
 * Stops before a node whose ACL ZooKeeper masked for this reader is written: copying 'user:x' would
 * lock that user out of the copy (a live source read without ADMIN on the node). Nodes already
 * written are checkpointed; with the right credential the run resumes from here.
 */
function stopOnMaskedAcl(source: TreeReader, rel: string, node: NodeState): void {
  const masked = node.acl?.filter(isMaskedDigest) ?? [];
  if (masked.length === 0) return;
  const path = absolutePath(source.rootPath, rel);
  const users = masked.map((entry) => `'${entry.id.slice(0, -2)}'`).join(', ');
  throw new CopyStopError({
    code: 'ACL_HIDDEN',
    path,
    message: `ZooKeeper hides the digest of ${path}'s ACL from this source connection (it lacks ADMIN on the node: the ACL reads ${formatAcl(masked)}). Copying it would lock ${users} out of the copy, so nothing more was written.`,
    needs: `ADMIN on the source nodes: authenticate the source as ${users} or a super user (saved connection credential, or MDESK_ZK_AUTH=digest:user:password), then resume; or copy without ACLs (--no-acl).`,
  });
}
