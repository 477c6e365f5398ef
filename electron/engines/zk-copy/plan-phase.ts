/**
 * The plan: a dry run of the copy. Same walk, same decisions (decide.ts), nothing written: what would
 * be created, updated, left unchanged, deleted (mirror), skipped, and what cannot be read.
 */
import type { WriterIdentity } from './acl-rules';
import { isMaskedDigest, looksSequential } from './acl-rules';
import { decide } from './decide';
import { pairWalk } from './pair-walk';
import type { PathFilter } from './path-filter';
import { PhaseProgressReporter, type ProgressSink } from './phase-progress';
import type { RunControl } from './run-control';
import { addSample, displayRel } from './samples';
import type { TreeReader } from './tree-reader';
import type { CopyMode, PlanReport } from './types';

export interface PlanPhaseInput {
  source: TreeReader;
  target: TreeReader;
  mode: CopyMode;
  copyAcl: boolean;
  filter: PathFilter;
  identity: WriterIdentity;
  control: RunControl;
  concurrency?: number;
  onProgress?: ProgressSink;
}

export async function runPlanPhase(input: PlanPhaseInput): Promise<PlanReport> {
  const started = Date.now();
  const report: PlanReport = {
    creates: 0,
    updates: 0,
    aclUpdates: 0,
    unchanged: 0,
    deletes: 0,
    conflicts: 0,
    skippedEphemeral: 0,
    keptTargetEphemeral: 0,
    unreadable: 0,
    sourceNodes: 0,
    records: 0,
    bytes: 0,
    samples: {},
    warnings: { sequentialNames: 0, sequentialSamples: [] },
    seconds: 0,
  };
  const progress = new PhaseProgressReporter(input.onProgress, null);
  let done = 0;
  const onReaderWaiting = (message: string | null) => {
    progress.setMessage(message);
    if (message) progress.update(done, 0, counts, true);
  };
  input.source.onWaiting = onReaderWaiting;
  input.target.onWaiting = onReaderWaiting;
  const walker = pairWalk({
    source: input.source,
    target: input.target,
    withAcl: input.copyAcl,
    extras: input.mode === 'mirror',
    filter: input.filter,
    concurrency: input.concurrency,
  });
  const counts = () => ({
    creates: report.creates,
    updates: report.updates,
    unchanged: report.unchanged,
    deletes: report.deletes,
    conflicts: report.conflicts,
  });
  try {
    for (;;) {
      if (input.control.state !== 'running') {
        walker.pause();
        await input.control.gate();
        walker.resume();
      }
      const record = walker.take();
      if (record === undefined) {
        if (walker.finished) break;
        await Promise.race([walker.ready(), input.control.changed()]);
        continue;
      }
      done += 1;
      const shown = displayRel(record.rel);
      if (record.source.state === 'present' && !record.source.node.ephemeral) report.sourceNodes += 1;
      const decision = decide(record, input);
      const sourceData = record.source.state === 'present' ? record.source.node.data.length : 0;
      const name = record.rel.slice(record.rel.lastIndexOf('/') + 1);
      const sequential = () => {
        if (record.rel !== '' && looksSequential(name)) {
          report.warnings.sequentialNames += 1;
          if (report.warnings.sequentialSamples.length < 20) report.warnings.sequentialSamples.push(shown);
        }
      };
      if (
        input.copyAcl &&
        record.source.state === 'present' &&
        record.source.node.acl?.some(isMaskedDigest)
      ) {
        report.warnings.hiddenAcls = (report.warnings.hiddenAcls ?? 0) + 1;
        report.warnings.hiddenAclSamples ??= [];
        if (report.warnings.hiddenAclSamples.length < 20) report.warnings.hiddenAclSamples.push(shown);
      }
      switch (decision.action) {
        case 'create':
          report.creates += 1;
          report.bytes += sourceData;
          sequential();
          addSample(report.samples, 'creates', shown);
          break;
        case 'update':
          sequential();
          if (decision.setData) {
            report.updates += 1;
            report.bytes += sourceData;
            addSample(report.samples, 'updates', shown);
          }
          if (decision.acl) {
            report.aclUpdates += 1;
            addSample(report.samples, 'aclUpdates', shown);
          }
          break;
        case 'unchanged':
          report.unchanged += 1;
          break;
        case 'conflict':
          report.conflicts += 1;
          addSample(report.samples, 'conflicts', `${shown}: ${decision.reason}`);
          break;
        case 'skip-ephemeral':
          report.skippedEphemeral += 1;
          addSample(report.samples, 'skippedEphemeral', shown);
          break;
        case 'keep-target-ephemeral':
          report.keptTargetEphemeral += 1;
          addSample(report.samples, 'keptTargetEphemeral', shown);
          break;
        case 'delete':
          report.deletes += 1;
          addSample(report.samples, 'deletes', shown);
          break;
        case 'unreadable':
          report.unreadable += 1;
          addSample(report.samples, 'unreadable', `${shown} (${decision.side})`);
          break;
        case 'extra':
        case 'none':
          break;
      }
      progress.update(done, 0, counts);
    }
  } catch (error) {
    walker.cancel();
    throw error;
  }
  report.records = done;
  report.seconds = Math.round((Date.now() - started) / 10) / 100;
  progress.finish(done, 0, counts());
  return report;
}
