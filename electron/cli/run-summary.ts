/**
 * The result of a copy, diff or import as the CLI prints it: with --json, the last line on stdout is
 * one JSON object (issue 5, section 6); without, a few lines for a person. The exit code follows
 * from it: failure 1, differences found 3, else 0.
 */
import { EXIT } from './command';
import type { CliIo } from './context';
import { type EndpointRef, type RunView, verifyDifferences } from '../engines/zk-copy/types';

export interface RunSummaryJson {
  runId: string;
  status: 'completed' | 'failed';
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  skippedEphemeral: number;
  errors: number;
  bytes: number;
  seconds: number;
  verify: {
    matching: number;
    mismatched: number;
    extraSource: number;
    extraTarget: number;
    aclMismatched: number;
  } | null;
  conflicts?: number;
  dryRun?: boolean;
  error?: string;
  needs?: string;
  /** The stored snapshot the run copied (or compared) from, when its source was one. */
  sourceSnapshot?: { snapshotId: string; name: string; capturedAt: string; path: string };
}

/** The snapshot a run read its source from, as the summary names it. */
function sourceSnapshotOf(run: RunView): RunSummaryJson['sourceSnapshot'] {
  const source = (run.params as { source?: EndpointRef } | undefined)?.source;
  if (source?.kind !== 'stored-snapshot') return undefined;
  return {
    snapshotId: source.snapshotId,
    name: source.snapshotName,
    capturedAt: new Date(source.capturedAt).toISOString(),
    path: source.path,
  };
}

export function summarize(run: RunView, options: { dryRun?: boolean } = {}): RunSummaryJson {
  const result = run.result ?? {};
  const verify = result.verify?.counts;
  const status = run.state === 'completed' ? 'completed' : 'failed';
  const sourceSnapshot = sourceSnapshotOf(run);
  if (options.dryRun && result.plan) {
    const plan = result.plan;
    return {
      runId: run.id,
      status,
      created: plan.creates,
      updated: plan.updates,
      unchanged: plan.unchanged,
      deleted: plan.deletes,
      skippedEphemeral: plan.skippedEphemeral,
      errors: plan.unreadable,
      bytes: plan.bytes,
      seconds: plan.seconds,
      verify: null,
      conflicts: plan.conflicts,
      dryRun: true,
      ...(sourceSnapshot ? { sourceSnapshot } : {}),
    };
  }
  const copy = result.copy?.counts;
  const summary: RunSummaryJson = {
    runId: run.id,
    status,
    created: copy?.created ?? 0,
    updated: copy?.updated ?? 0,
    unchanged: copy?.unchanged ?? 0,
    deleted: copy?.deleted ?? 0,
    skippedEphemeral: copy?.skippedEphemeral ?? verify?.skippedEphemeral ?? 0,
    errors: (copy?.errors ?? 0) + (copy?.unreadable ?? 0) + (result.error ? 1 : 0),
    bytes: copy?.bytes ?? 0,
    seconds: Math.round((result.seconds ?? 0) * 1000) / 1000,
    verify: verify
      ? {
          matching: verify.matching,
          mismatched: verify.mismatched,
          extraSource: verify.extraSource,
          extraTarget: verify.extraTarget,
          aclMismatched: verify.aclMismatched,
        }
      : null,
  };
  if (copy) summary.conflicts = copy.conflicts;
  if (sourceSnapshot) summary.sourceSnapshot = sourceSnapshot;
  if (result.error) {
    summary.error = result.error.message;
    if (result.error.needs) summary.needs = result.error.needs;
  }
  if (run.state === 'cancelled') summary.error = 'the run was cancelled';
  return summary;
}

export function exitCodeOf(run: RunView): number {
  if (run.state !== 'completed') return EXIT.failed;
  const verify = run.result?.verify;
  if (verify && verifyDifferences(verify.counts) > 0) return EXIT.differences;
  return EXIT.ok;
}

const number = new Intl.NumberFormat('en-US');

export function printSummary(
  io: CliIo,
  run: RunView,
  json: boolean,
  options: { dryRun?: boolean } = {},
): void {
  const summary = summarize(run, options);
  if (json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
    return;
  }
  const lines: string[] = [];
  lines.push(`Run ${summary.runId}: ${run.state}${summary.dryRun ? ' (dry run: nothing written)' : ''}`);
  if (summary.sourceSnapshot) {
    const from = summary.sourceSnapshot;
    lines.push(
      `  source: snapshot '${from.name}' (${from.snapshotId}), captured ${from.capturedAt}, path ${from.path}`,
    );
  }
  lines.push(
    `  ${summary.dryRun ? 'would create' : 'created'} ${number.format(summary.created)}, ${summary.dryRun ? 'update' : 'updated'} ${number.format(summary.updated)}, unchanged ${number.format(summary.unchanged)}, ${summary.dryRun ? 'delete' : 'deleted'} ${number.format(summary.deleted)}, skipped ephemeral ${number.format(summary.skippedEphemeral)}, conflicts ${number.format(summary.conflicts ?? 0)}, errors ${number.format(summary.errors)}`,
  );
  if (summary.verify) {
    const v = summary.verify;
    lines.push(
      `  verify: matching ${number.format(v.matching)}, mismatched ${number.format(v.mismatched)}, ACL mismatched ${number.format(v.aclMismatched)}, extra on source ${number.format(v.extraSource)}, extra on target ${number.format(v.extraTarget)}`,
    );
  }
  const samples = { ...(run.result?.copy?.samples ?? {}), ...(run.result?.verify?.samples ?? {}) };
  for (const category of [
    'conflicts',
    'errors',
    'unreadable',
    'mismatched',
    'aclMismatched',
    'extraSource',
    'extraTarget',
  ]) {
    const list = samples[category];
    if (list && list.length > 0)
      lines.push(`  ${category}: ${list.slice(0, 5).join('; ')}${list.length > 5 ? ' ...' : ''}`);
  }
  const warnings = run.result?.copy?.warnings ?? run.result?.plan?.warnings;
  if (warnings && warnings.sequentialNames > 0) {
    lines.push(
      `  warning: ${number.format(warnings.sequentialNames)} sequential-looking names copied (e.g. ${warnings.sequentialSamples.slice(0, 3).join(', ')}): their parents' sequence counters are not copied, so new sequential nodes on the target may reuse numbers`,
    );
  }
  if (warnings?.hiddenAcls) {
    lines.push(
      `  warning: ${number.format(warnings.hiddenAcls)} source nodes have digest ACLs this connection cannot see (e.g. ${(warnings.hiddenAclSamples ?? []).slice(0, 3).join(', ')}; it lacks ADMIN there, ZooKeeper shows user:x): copying ACLs stops at the first; add a credential with ADMIN on them, or use --no-acl`,
    );
  }
  if (summary.error) lines.push(`  error: ${summary.error}`);
  if (run.state !== 'completed' && run.state !== 'cancelled')
    lines.push(`  resume with: mdesk zk copy --resume ${run.id}`);
  io.stdout(`${lines.join('\n')}\n`);
}
