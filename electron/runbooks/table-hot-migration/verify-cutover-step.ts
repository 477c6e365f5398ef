/**
 * The last step of a hot migration (reference §3.5 step 7, issue 7 item 4): did the traffic move?
 * First the MetaProxy entry is read again (someone may have changed it after the switch). Then the
 * replica servers of both clusters are asked for the table's request counters twice, verifySeconds
 * apart (`/metrics`, Pegasus 2.5+; see electron/pegasus/replica-http/replica-metrics.ts): the source
 * must serve nothing, the target must serve something, and the source must not have refused any
 * non-idempotent write while it duplicated. The figures go into the outcome and the result.
 *
 * When the counters cannot be read (no meta servers in the profile, no replica server answering, a
 * version without `/metrics`), the step falls back to the manual checklist and says why, as the
 * data-version precheck does. The client-side failure counts are never on the servers: the summary
 * reminds the operator of them.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { describeRoute, readMetaProxyEntry } from '../../pegasus/meta-proxy-switch';
import { fetchMetaApps, fetchMetaNodes, parseMetaServers } from '../../pegasus/meta-http';
import {
  DUP_REJECTED_METRIC,
  formatRate,
  type ServerTraffic,
  sampleTableTraffic,
  type TableTraffic,
  tableMetricsQuery,
} from '../../pegasus/replica-http';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { replicaServersOf } from '../table-steps/replica-servers';
import { loadSourceTable } from '../table-steps/source-table';
import { backToSourceRollback } from './cutover-steps';
import type { TableHotMigrationParams } from './params';
import { HOT_STEP, type HotContext, precheckEntryOf } from './run-facts';

type Step = StepDefinition<TableHotMigrationParams>;

/** Source QPS at or below this counts as stopped (no parameter sets it: a cut-over source serves nothing). */
const SOURCE_QPS_TOLERANCE = 0;
const META_TIMEOUT_MS = 4000;

function checklist(
  ctx: HotContext,
  sourceAppId: number | null,
  servers: readonly string[],
): GeneratedCommand[] {
  const host = servers[0] ?? '<replica-host>:34801';
  const query = tableMetricsQuery(sourceAppId ?? '<app_id>');
  return [
    {
      label: 'Checklist (dashboards or the replica metrics of both clusters)',
      kind: 'config',
      text: [
        `source ${ctx.params.table}: read and write QPS at 0`,
        `target ${ctx.params.table}: read and write QPS up to the usual level`,
        `source replicas: dup.disabled_non_idempotent_write_count = 0 (2.5+: ${DUP_REJECTED_METRIC}; incr, check_and_set are not duplicated)`,
        'clients: read and write failure counts at 0 (or back to 0 after the switch)',
      ].join('\n'),
    },
    {
      label:
        'Request counters of a source replica server (run twice, some seconds apart: they are running totals)',
      kind: 'shell',
      text: `curl -s "http://${host}/metrics?${query}"`,
    },
  ];
}

async function sourceAppIdOf(ctx: HotContext): Promise<number | string> {
  const source = ctx.results[HOT_STEP.source] as { appId?: unknown } | undefined;
  if (typeof source?.appId === 'number') return source.appId;
  const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
  if (!found.ok) return found.outcome.summary;
  return found.value.table.appId;
}

type TargetServers =
  | { ok: true; servers: string[]; appId: number; from: string }
  | { ok: false; reason: string };

/** The target's ALIVE replica servers and the table's app id there, from its meta HTTP. */
async function targetServersOf(ctx: HotContext): Promise<TargetServers> {
  let metas: string[];
  try {
    metas = parseMetaServers(ctx.params.targetMetas);
  } catch (error) {
    return { ok: false, reason: `the target meta servers cannot be read: ${messageOf(error)}` };
  }
  const options = { timeoutMs: META_TIMEOUT_MS, signal: ctx.signal };
  try {
    const [nodes, apps] = await Promise.all([
      fetchMetaNodes(metas, { ...options, detail: true }),
      fetchMetaApps(metas, options),
    ]);
    const app = apps.data.apps.find((candidate) => candidate.appName === ctx.params.table);
    if (!app)
      return {
        ok: false,
        reason: `the target's /meta/apps (${apps.server}) lists no table ${ctx.params.table}`,
      };
    const alive = nodes.data.nodes.filter((node) => node.status === 'ALIVE').map((node) => node.address);
    if (alive.length === 0)
      return {
        ok: false,
        reason: `the target's /meta/nodes (${nodes.server}) lists no ALIVE replica server`,
      };
    return { ok: true, servers: alive, appId: app.appId, from: `/meta/nodes of ${nodes.server}` };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return {
      ok: false,
      reason: `the target's meta HTTP (${metas.join(', ')}) did not answer: ${messageOf(error)}`,
    };
  }
}

function trafficResult(traffic: TableTraffic, from: string): JsonObject {
  return {
    appId: traffic.appId,
    from,
    replicas: traffic.replicas,
    readQps: traffic.readQps,
    writeQps: traffic.writeQps,
    dupQps: traffic.dupQps,
    dupRejected: traffic.dupRejected,
    dupRejectedGrowth: traffic.dupRejectedGrowth,
    servers: traffic.servers.map((server) => ({ ...server })),
  };
}

function figures(traffic: TableTraffic): string {
  const answered = traffic.servers.filter((server) => server.state === 'answered').length;
  return `${formatRate(traffic.readQps)} reads, ${formatRate(traffic.writeQps)} writes (${traffic.replicas} replicas on ${answered} servers)`;
}

function busyServers(traffic: TableTraffic): string {
  return traffic.servers
    .filter((server) => server.readQps + server.writeQps > SOURCE_QPS_TOLERANCE)
    .map(
      (server) =>
        `${server.server}: ${formatRate(server.readQps)} reads, ${formatRate(server.writeQps)} writes`,
    )
    .join('; ');
}

function unreadServers(servers: readonly ServerTraffic[]): ServerTraffic[] {
  return servers.filter((server) => server.state === 'failed' || server.state === 'no-metrics');
}

/** Why the source's counters give nothing to judge by, or null when they do. */
function sourceUnreadable(traffic: TableTraffic, appId: number): string | null {
  const unread = unreadServers(traffic.servers);
  if (unread.length === traffic.servers.length) {
    return `no source replica server gave its /metrics (${unread.map((server) => server.detail).join('; ')})`;
  }
  if (traffic.servers.every((server) => server.state !== 'answered')) {
    return `the source replica servers' /metrics name no replica of table_id ${appId} with request counters (a version whose metric names differ?)`;
  }
  return null;
}

async function reReadEntry(
  ctx: HotContext,
): Promise<{ ok: true; text: string } | { ok: false; outcome: StepOutcome }> {
  const precheck = precheckEntryOf(ctx);
  if (!precheck) {
    return {
      ok: false,
      outcome: { status: 'failed', summary: 'The MetaProxy precheck has no result in this run' },
    };
  }
  const entry = await readMetaProxyEntry(await ctx.services.zk(ctx.params.metaProxy), precheck.path);
  if (entry?.clusterName !== ctx.params.targetCluster) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `${precheck.path} routes to ${entry ? describeRoute(entry) : 'nothing (deleted)'}, not to '${ctx.params.targetCluster}'`,
        hint: 'Someone changed the entry after the switch: find out who, then roll back or switch again.',
      },
    };
  }
  return { ok: true, text: `${precheck.path} routes to ${describeRoute(entry)}` };
}

function manual(
  ctx: HotContext,
  reason: string,
  route: string,
  appId: number | null,
  servers: string[] = [],
): StepOutcome {
  return {
    status: 'manual',
    reason: `${route}; the traffic cannot be checked here: ${reason}. Check it on the dashboards with the checklist, then confirm`,
    commands: checklist(ctx, appId, servers),
  };
}

async function verify(ctx: HotContext, profile: PegasusProfile, route: string): Promise<StepOutcome> {
  const appId = await sourceAppIdOf(ctx);
  if (typeof appId === 'string') return manual(ctx, `the source table is unknown (${appId})`, route, null);
  const [sourceList, target] = await Promise.all([replicaServersOf(ctx, profile), targetServersOf(ctx)]);
  if (!sourceList.ok) return manual(ctx, sourceList.reason, route, appId);
  const intervalMs = ctx.params.verifySeconds * 1000;
  ctx.log(
    `Sampling the request counters of ${sourceList.servers.length} source replica servers${target.ok ? ` and ${target.servers.length} target replica servers` : ''} twice, ${ctx.params.verifySeconds} s apart`,
  );
  const options = { intervalMs, signal: ctx.signal };
  const [source, targetTraffic] = await Promise.all([
    sampleTableTraffic(sourceList.servers, appId, options),
    target.ok ? sampleTableTraffic(target.servers, target.appId, options) : Promise.resolve(null),
  ]);
  const unreadable = sourceUnreadable(source, appId);
  if (unreadable) return manual(ctx, unreadable, route, appId, sourceList.servers);

  const table = ctx.params.table;
  const result: JsonObject = {
    checked: true,
    seconds: ctx.params.verifySeconds,
    source: trafficResult(source, sourceList.from),
    target: targetTraffic && target.ok ? trafficResult(targetTraffic, target.from) : null,
    targetUnread: target.ok ? null : target.reason,
  };
  const failures: string[] = [];
  const hints: string[] = [];
  const warnings: string[] = [];
  if (source.readQps + source.writeQps > SOURCE_QPS_TOLERANCE) {
    failures.push(
      `the source still serves ${table} (app ${appId}): ${figures(source)} (${busyServers(source)})`,
    );
    hints.push(
      'Clients still reach the source: find them (clients that bypass MetaProxy, or C++/Python clients) and move them; retry this step after.',
    );
  }
  if (source.dupRejected !== null && source.dupRejected > 0) {
    const where = source.servers
      .filter((server) => (server.dupRejected ?? 0) > 0)
      .map((server) => `${server.server}: ${server.dupRejected}`)
      .join('; ');
    failures.push(
      `the source refused ${source.dupRejected} non-idempotent writes of ${table} while it duplicated (${DUP_REJECTED_METRIC}: ${where}; ${source.dupRejectedGrowth} in the sample)`,
    );
    hints.push(
      'A duplicating table refuses incr, check_and_set and check_and_mutate with ERR_OPERATION_DISABLED, because duplication cannot ' +
        'replay them with the same result on the target: those writes failed at the clients and exist on neither cluster. ' +
        'Ask the application owners which writes they retried; a table written that way moves with table-copy-data or table-cold-backup (with a write stop).',
    );
  }
  if (source.dupRejected === null) {
    warnings.push(
      `the source replicas do not report ${DUP_REJECTED_METRIC}: check dup.disabled_non_idempotent_write_count by hand`,
    );
  }
  if (targetTraffic && target.ok) {
    if (targetTraffic.servers.every((server) => server.state !== 'answered')) {
      warnings.push(
        `the target's replica servers gave no counters for ${table} (app ${target.appId}): ${
          unreadServers(targetTraffic.servers)
            .map((server) => server.detail)
            .join('; ') || 'no replica of the table in /metrics'
        }`,
      );
    } else if (targetTraffic.readQps + targetTraffic.writeQps <= 0) {
      failures.push(
        `the target served no request of ${table} (app ${target.appId}) in ${ctx.params.verifySeconds} s (${figures(targetTraffic)})`,
      );
      hints.push(
        'Clients have not arrived on the target: check that they re-query MetaProxy (reconfig*all is set on the source) and read their errors. If the table has no traffic at this hour, retry later or skip with a reason.',
      );
    }
  } else if (!target.ok) {
    warnings.push(`the target's QPS was not read: ${target.reason}`);
  }
  const sourceUnread = unreadServers(source.servers);
  if (sourceUnread.length > 0) {
    warnings.push(
      `source servers not read, their share is unknown: ${sourceUnread.map((server) => server.detail).join('; ')}`,
    );
  }

  const targetText = targetTraffic && target.ok ? `target ${figures(targetTraffic)}` : 'target not read';
  const dupText =
    source.dupRejected === null
      ? 'non-idempotent refusals not reported'
      : `${source.dupRejected} non-idempotent writes refused`;
  const measured = `source ${figures(source)}, ${targetText}, ${dupText} over ${ctx.params.verifySeconds} s; ${route}`;
  if (failures.length > 0) {
    return {
      status: 'failed',
      summary: `The cut-over is not complete: ${failures.join('; ')}. Measured: ${measured}`,
      hint: hints.join(' '),
      result,
    };
  }
  const clients = 'Client-side failure counts are not on the servers: check them on the client dashboards.';
  if (warnings.length > 0) {
    return {
      status: 'warning',
      summary: `Traffic left the source (${measured}), but ${warnings.join('; ')}. ${clients}`,
      result,
    };
  }
  return {
    status: 'succeeded',
    summary: `Traffic moved: ${measured}. ${clients}`,
    result,
  };
}

export const verifyStep: Step = {
  id: HOT_STEP.verify,
  kind: 'verify',
  title: 'Verify the cut-over',
  why:
    'The switch is right only if traffic moved: source QPS falls to zero, target QPS rises, no write was lost to a ' +
    "non-idempotent operation, and clients see no failures. The MetaProxy entry is read again, then both clusters' " +
    'replica servers are asked for the request counters twice (/metrics, 2.5+). Where they cannot be read, the ' +
    'checklist is done by hand on the dashboards.',
  commands: (ctx) => checklist(ctx, null, []),
  async execute(ctx): Promise<StepOutcome> {
    const entry = await reReadEntry(ctx);
    if (!entry.ok) return entry.outcome;
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return manual(ctx, lookup.outcome.summary, entry.text, null);
    return verify(ctx, lookup.profile, entry.text);
  },
  rollback: backToSourceRollback,
};
