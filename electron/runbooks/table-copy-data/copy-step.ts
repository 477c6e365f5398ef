/**
 * copy_data through the shell. Each per-second progress line drives the step's progress (splits done
 * of all, rows in the label, a point of the live rows-per-second chart) and is kept as a sample in
 * the step's result (the chart of a finished step, and the report); the final line
 * decides the outcome. A copy that stops with "error occurred, terminating" fails with the shell's
 * cause and what usually helps (reference §6.2; the website's table-migration notes).
 */
import {
  type ScanProgress,
  type ScanResult,
  parseCopyData,
  parseScanProgressLine,
} from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { shellAction } from '../table-steps/shell-action';
import { COPY_STEP, copyCommand, targetTableOf } from './copy-options';
import type { TableCopyDataParams } from './params';

type Step = StepDefinition<TableCopyDataParams>;

/** Samples kept for the chart; past this, every other one is dropped (the chart keeps its shape). */
const MAX_SAMPLES = 1200;

export class ProgressSamples {
  readonly samples: { s: number; rows: number; delta: number }[] = [];
  private stride = 1;
  private seen = 0;

  add(progress: ScanProgress): void {
    this.seen += 1;
    if ((this.seen - 1) % this.stride !== 0) return;
    this.samples.push({ s: progress.seconds, rows: progress.totalRows, delta: progress.lastSecondRows });
    if (this.samples.length >= MAX_SAMPLES) {
      const kept = this.samples.filter((_, index) => index % 2 === 0);
      this.samples.splice(0, this.samples.length, ...kept);
      this.stride *= 2;
    }
  }
}

const RETRY_GUIDANCE =
  'copy_data stops every split at the first failed write. Usual causes: the target throttles writes ' +
  '(replica.write_throttling on the target table, or a busy target: lower -b, drop -u, or copy at a quiet time), ' +
  'timeouts (raise -t), or a target partition without primary (check the target is healthy). A stalled split ' +
  '(the split count stops moving, rows per second at 0) means a source partition lost its primary. copy_data ' +
  'overwrites rows with the same keys, so retrying from the start is safe; use -n to keep rows already copied.';

function summaryOf(result: ScanResult, params: TableCopyDataParams): string {
  const rows = result.totalRows ?? 0;
  const seconds = result.progress.at(-1)?.seconds ?? 0;
  const rate = seconds > 0 ? Math.round(rows / seconds) : null;
  return `${rows} rows copied from ${params.table} to ${params.targetCluster}/${targetTableOf(params)} in ${seconds} s${rate !== null ? ` (${rate} rows/s)` : ''} over ${result.splitCount ?? '?'} splits`;
}

export const copyStep: Step = {
  id: COPY_STEP.copy,
  kind: 'action',
  title: 'Copy the data (copy_data)',
  why:
    'The copy itself: every split of the source is scanned and written to the target table. Writes to the source ' +
    'during the copy may or may not be copied: stop them first, or follow up with duplication.',
  commands: (ctx) => [copyCommand(ctx.params)],
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const command = copyCommand(ctx.params);
    const samples = new ProgressSamples();
    const copied = await shellAction(ctx, lookup.profile, command, parseCopyData, {
      timeoutMs: ctx.params.copyTimeoutMinutes * 60_000,
      onLine(line) {
        const progress = parseScanProgressLine(line);
        if (!progress) return;
        samples.add(progress);
        ctx.progress({
          done: progress.completedSplits,
          total: progress.totalSplits,
          unit: 'splits',
          label: `${progress.totalRows} rows, ${progress.lastSecondRows} rows in the last second`,
          point: {
            t: progress.seconds,
            v: progress.lastSecondRows,
            label: 'rows per second',
            unit: 'rows/s',
            tUnit: 's',
          },
        });
      },
    });
    if (!copied.ok) {
      if (
        copied.outcome.status === 'failed' &&
        /target app|ERR_OBJECT_NOT_FOUND/.test(copied.outcome.summary)
      ) {
        copied.outcome.hint = `The target table ${targetTableOf(ctx.params)} is not on ${ctx.params.targetCluster} (or the target cannot be reached): create it (see the previous step), then retry.`;
      }
      return copied.outcome;
    }
    const result = copied.value;
    const recorded = {
      totalRows: result.totalRows,
      splitCount: result.splitCount,
      splitRows: result.splitRows,
      seconds: result.progress.at(-1)?.seconds ?? 0,
      samples: samples.samples,
      parameters: result.parameters,
      errors: result.errors,
    };
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: 'pegasus.copy-data',
      target: `${lookup.profile.name}/${ctx.params.table}`,
      detail: {
        runId: ctx.runId,
        targetCluster: ctx.params.targetCluster,
        targetTable: targetTableOf(ctx.params),
        outcome: result.outcome,
        totalRows: result.totalRows,
      },
    });
    if (result.outcome === 'done') {
      return { status: 'succeeded', summary: summaryOf(result, ctx.params), result: recorded };
    }
    const cause = result.errors.find((error) => !/processing terminated/.test(error)) ?? result.errors[0];
    return {
      status: 'failed',
      summary:
        result.outcome === 'terminated'
          ? `copy_data terminated after ${recorded.seconds} s and ${result.totalRows ?? 0} rows: ${cause ?? 'error occurred'}`
          : `copy_data stopped without its final line after ${recorded.seconds} s and ${result.totalRows ?? 0} rows (the shell exited or was stopped)`,
      hint: RETRY_GUIDANCE,
      result: recorded,
    };
  },
};
