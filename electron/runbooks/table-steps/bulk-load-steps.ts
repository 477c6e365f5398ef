/**
 * A bulk load into a target table as four steps (reference §1.8, §6.2): usage scenario bulk_load,
 * start_bulk_load (optionally --ingest_behind), poll query_bulk_load_status until it succeeds or
 * fails, usage scenario back to normal. Shared by the cold-backup and dual-write runbooks, which say
 * through `BulkLoadPlan` where their target and files are.
 */
import { queryBulkLoadStatusCommand, startBulkLoadCommand } from '../../pegasus/commands';
import { parseQueryBulkLoadStatus, parseStartBulkLoad } from '../../pegasus/shell-output';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { shellAction } from './shell-action';
import { setTableEnv } from './table-env';

export interface BulkLoadPlan<P extends JsonObject> {
  ids: { scenario: string; start: string; wait: string; scenarioBack: string };
  targetProfile(ctx: StepContext<P>): string;
  table(params: P): string;
  cluster(ctx: StepContext<P>): string;
  provider(params: P): string;
  root(params: P): string;
  ingestBehind: boolean;
  waitMs: number;
}

function command<P extends JsonObject>(plan: BulkLoadPlan<P>, ctx: StepContext<P>) {
  return startBulkLoadCommand({
    table: plan.table(ctx.params),
    cluster: plan.cluster(ctx),
    providerType: plan.provider(ctx.params),
    rootPath: plan.root(ctx.params),
    ingestBehind: plan.ingestBehind,
  });
}

export function bulkLoadSteps<P extends JsonObject>(plan: BulkLoadPlan<P>): StepDefinition<P>[] {
  return [
    {
      id: plan.ids.scenario,
      kind: 'action',
      title: 'Prepare the target table for bulk load',
      why: "rocksdb.usage_scenario=bulk_load tunes the target's compaction for ingesting many SST files at once.",
      execute: (ctx) =>
        setTableEnv(
          ctx,
          plan.targetProfile(ctx),
          plan.table(ctx.params),
          'rocksdb.usage_scenario',
          'bulk_load',
          'ready for ingestion',
        ),
    },
    {
      id: plan.ids.start,
      kind: 'action',
      title: plan.ingestBehind
        ? 'Start the bulk load behind the new writes (--ingest_behind)'
        : 'Start the bulk load',
      why: plan.ingestBehind
        ? 'The files go below the data the application already writes to the target, so no newer write is overwritten by older backup data (needs rocksdb.allow_ingest_behind=true, set at create time).'
        : 'The meta asks every partition to download its files, then ingests them.',
      commands: (ctx) => [command(plan, ctx)],
      async execute(ctx): Promise<StepOutcome> {
        const target = lookUpProfile(ctx, plan.targetProfile(ctx));
        if (!target.ok) return target.outcome;
        const started = await shellAction(ctx, target.profile, command(plan, ctx), parseStartBulkLoad, {
          timeoutMs: 120_000,
        });
        if (!started.ok) return started.outcome;
        ctx.services.store.events.append({
          actor: ctx.services.actor,
          action: 'pegasus.bulk-load-started',
          target: `${target.profile.name}/${plan.table(ctx.params)}`,
          detail: {
            runId: ctx.runId,
            root: plan.root(ctx.params),
            cluster: plan.cluster(ctx),
            ingestBehind: plan.ingestBehind,
          },
        });
        return { status: 'succeeded', summary: `Bulk load of ${plan.table(ctx.params)} started` };
      },
    },
    {
      id: plan.ids.wait,
      kind: 'wait',
      title: 'Wait for the bulk load to succeed',
      why: 'Downloading, then ingesting: the table serves the loaded data only once the status is BLS_SUCCEED.',
      wait: {
        intervalMs: 10_000,
        timeoutMs: plan.waitMs,
        describe: () => 'query_bulk_load_status says BLS_SUCCEED',
      },
      async execute(ctx): Promise<StepOutcome> {
        const target = lookUpProfile(ctx, plan.targetProfile(ctx));
        if (!target.ok) return target.outcome;
        const table = plan.table(ctx.params);
        const status = await shellAction(
          ctx,
          target.profile,
          queryBulkLoadStatusCommand(table),
          parseQueryBulkLoadStatus,
          {
            timeoutMs: 60_000,
          },
        );
        if (!status.ok) return status.outcome;
        const query = status.value;
        const result = { status: query.appStatus, progress: query.totalDownloadProgress };
        if (query.totalDownloadProgress !== null) {
          ctx.progress({ done: query.totalDownloadProgress, total: 100, unit: '%', label: 'downloaded' });
        }
        if (query.finished && query.succeeded) {
          return { status: 'succeeded', summary: `Bulk load of ${table} succeeded`, result };
        }
        if (query.finished) {
          return {
            status: 'failed',
            summary: `Bulk load of ${table} ended ${query.appStatus}`,
            hint:
              'Check the files match the target partition count and provider path (the meta log names the partition), ' +
              'clear the bulk load (clear_bulk_load), fix the files, then retry from the start of the bulk load.',
            result,
          };
        }
        return { status: 'pending', waitingFor: `bulk load is ${query.appStatus}`, result };
      },
    },
    {
      id: plan.ids.scenarioBack,
      kind: 'action',
      title: 'Back to the normal usage scenario',
      why: 'bulk_load tuning delays compaction: left on, reads slow down as files pile up.',
      execute: (ctx) =>
        setTableEnv(
          ctx,
          plan.targetProfile(ctx),
          plan.table(ctx.params),
          'rocksdb.usage_scenario',
          'normal',
          'compaction back to normal',
        ),
    },
  ];
}
