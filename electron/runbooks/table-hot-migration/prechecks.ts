/**
 * table-hot-migration's prechecks (reference §3.4, §3.5): the table exists and is healthy, the shell
 * can reach the target by name, the MetaProxy entry routes the table to the source now, and (by hand)
 * the clients reach the cluster through MetaProxy, with the table's data version when the replica
 * HTTP precheck (data-version-step.ts) could not ask the replica servers.
 */
import { joinZkPath } from '../../../shared/zk-path';
import { clusterInfoCommand } from '../../pegasus/commands';
import {
  describeSnapshot,
  metaProxyEntryTarget,
  newEntryProblems,
  readMetaProxyEntry,
} from '../../pegasus/meta-proxy-switch';
import { parseClusterInfo } from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { deploymentClusterName, lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { runShellCommand } from '../pegasus-steps/shell-step';
import {
  checkShellKnowsCluster,
  clusterEntryCommand,
  describeShellClusters,
} from '../table-steps/shell-clusters';
import { loadSourceTable, tableFacts, tableHealthVerdict } from '../table-steps/source-table';
import { dataVersionFactsOf } from './data-version-step';
import type { TableHotMigrationParams } from './params';
import { HOT_STEP, type HotContext } from './run-facts';

type Step = StepDefinition<TableHotMigrationParams>;

export const precheckSourceStep: Step = {
  id: HOT_STEP.source,
  kind: 'precheck',
  severity: 'block',
  title: 'Source table exists and is healthy',
  why:
    'Duplication ships the log of every partition: an unhealthy partition, a split or a bulk load in progress ' +
    'stalls it or makes the checkpoint copy fail, and a table duplicating to the target already must not get a second duplication.',
  async execute(ctx) {
    const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
    if (!found.ok) return found.outcome;
    const { table, profile } = found.value;
    const health = tableHealthVerdict(table);
    const facts = tableFacts(table);
    const toTarget = table.duplications.filter(
      (dup) => dup.remote === ctx.params.targetCluster && dup.status !== 'DS_REMOVED',
    );
    if (!health.healthy) {
      return {
        status: 'failed',
        summary: `${ctx.params.table} (app ${table.appId}) on '${profile.name}' is not healthy: ${health.text}`,
        hint: 'Wait until every partition is fully healthy (ls -d, app <table> -d) and no split or bulk load runs, then retry.',
        result: facts,
      };
    }
    return {
      status: 'succeeded',
      summary: `${ctx.params.table} is app ${table.appId} with ${table.partitionCount} partitions: ${health.text}${
        toTarget.length > 0
          ? `; it already duplicates to ${ctx.params.targetCluster} (dupid ${toTarget.map((dup) => dup.dupid).join(', ')}, ${toTarget[0]!.statusRaw}): the add step reuses it`
          : ''
      }`,
      result: { ...facts, existingDupids: toTarget.map((dup) => dup.dupid) },
    };
  },
};

export const precheckTargetConfigStep: Step = {
  id: HOT_STEP.targetConfig,
  kind: 'precheck',
  severity: 'block',
  title: 'The target is known by name to the shell and the meta servers',
  why:
    'add_dup names the target cluster; the source meta servers resolve it through their [pegasus.clusters] and need ' +
    '[duplication-group] ids for both clusters (unless dup_ignore_other_cluster_ids). A missing name fails the add, or worse, a restarted meta skips the duplication.',
  async execute(ctx) {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const { targetCluster, targetMetas } = ctx.params;
    const check = checkShellKnowsCluster(lookup.profile, targetCluster);
    const metaConfig = `[pegasus.clusters] ${targetCluster} = ${targetMetas} and [duplication-group] ids for both clusters in the config of every source meta server`;
    if (check.state === 'missing') {
      return {
        status: 'failed',
        summary: `${describeShellClusters(check, targetCluster)}: add_dup would be refused`,
        hint: `Add "${targetCluster} = ${targetMetas}" under [pegasus.clusters] of ${check.config} (and ${metaConfig}), then retry.`,
        result: { config: check.config, known: check.known },
      };
    }
    if (check.state === 'unknown') {
      return {
        status: 'warning',
        summary: `${describeShellClusters(check, targetCluster)}. Check ${check.configHint} lists it, and ${metaConfig}.`,
      };
    }
    return {
      status: 'succeeded',
      summary: `${describeShellClusters(check, targetCluster)}. The source meta servers need ${metaConfig} too (not readable from here).`,
      result: { config: check.config, metas: check.metas },
    };
  },
  commands: (ctx) => [clusterEntryCommand('config.ini', ctx.params.targetCluster, ctx.params.targetMetas)],
};

/** The source's cluster name as the MetaProxy entry must show it. */
async function sourceClusterName(ctx: HotContext): Promise<{ name: string; from: string }> {
  if (ctx.params.sourceCluster !== '') return { name: ctx.params.sourceCluster, from: 'the run parameters' };
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return { name: '', from: 'nowhere' };
  const ran = await runShellCommand(ctx, lookup.profile, clusterInfoCommand(), { timeoutMs: 60_000 });
  if (ran.kind === 'output') {
    const info = parseClusterInfo(ran.text);
    if (info.ok && info.value.clusterName) return { name: info.value.clusterName, from: 'cluster_info' };
  }
  return { name: deploymentClusterName(lookup.profile), from: `the profile '${lookup.profile.name}'` };
}

export const precheckMetaProxyStep: Step = {
  id: HOT_STEP.metaProxy,
  kind: 'precheck',
  severity: 'block',
  title: 'The MetaProxy entry routes the table to the source',
  why:
    'The cut-over rewrites <root>/<table> for meta-proxy. If it does not route to the source now, clients do not ' +
    'reach the table through it (or someone switched it already), and the new entry must be one meta-proxy accepts: it panics on bad JSON and rejects a single meta address.',
  async execute(ctx): Promise<StepOutcome> {
    const { metaProxyRoot, table, targetCluster, targetMetas } = ctx.params;
    const problems = newEntryProblems({ clusterName: targetCluster, metaAddrs: targetMetas });
    if (problems.length > 0) {
      return {
        status: 'failed',
        summary: `The new MetaProxy entry would be refused: ${problems.join('; ')}`,
        hint: 'Abort this run and start one with the right target cluster name and meta servers.',
      };
    }
    const target = metaProxyEntryTarget(metaProxyRoot, table);
    if (!target.ok) {
      return {
        status: 'failed',
        summary: `No MetaProxy entry can be at ${joinZkPath(metaProxyRoot, table)}: ${target.problem}`,
      };
    }
    let connectionLabel = ctx.params.metaProxy;
    try {
      const connection = ctx.services.connection(ctx.params.metaProxy);
      connectionLabel = connection.label;
      const session = await ctx.services.zk(ctx.params.metaProxy);
      const entry = await readMetaProxyEntry(session, target.path);
      if (!entry) {
        return {
          status: 'failed',
          summary: `There is no MetaProxy entry ${target.path} on ${connection.label}: clients cannot reach ${table} through meta-proxy`,
          hint: 'Check the MetaProxy root (meta-proxy.yaml zookeeper.root) and connection, or create the entry for the source first.',
        };
      }
      const source = await sourceClusterName(ctx);
      const facts = {
        path: target.path,
        version: entry.version,
        clusterName: entry.clusterName,
        metaAddrs: entry.metaAddrs,
        sourceCluster: source.name,
        sourceClusterFrom: source.from,
        writable: !connection.readOnly,
        // The bytes as read: a switch interrupted after its write rebuilds its rollback record from them.
        text: entry.text,
        base64: entry.base64,
        digest: entry.digest,
      };
      if (entry.clusterName === null || entry.metaAddrs === null) {
        return {
          status: 'failed',
          summary: `The entry ${target.path} does not decode (${entry.problems.join('; ')})`,
          hint: 'Restore a valid entry for the source first (mdesk metaproxy rollback with the value from your ticket).',
          result: facts,
        };
      }
      if (entry.clusterName !== source.name) {
        return {
          status: 'failed',
          summary: `${target.path} routes ${table} to ${describeSnapshot(entry)}, not to the source '${source.name}' (from ${source.from})`,
          hint:
            entry.clusterName === targetCluster
              ? 'It routes to the target already: the cut-over was done. Check the run history before going on.'
              : 'Give the source cluster name as the entry shows it (sourceCluster), or find out who changed the entry.',
          result: facts,
        };
      }
      if (connection.readOnly) {
        return {
          status: 'failed',
          summary: `${target.path} routes to '${source.name}' as expected, but the connection ${connection.label} is read-only: the switch could not be written`,
          hint: `Switch the saved connection ${connection.label} to read-write, then retry.`,
          result: facts,
        };
      }
      return {
        status: 'succeeded',
        summary: `${target.path} routes ${table} to '${entry.clusterName}' at ${entry.metaAddrs} (version ${entry.version}); it will route to '${targetCluster}' at ${targetMetas}`,
        result: facts,
      };
    } catch (error) {
      return {
        status: 'failed',
        summary: `The MetaProxy entry could not be read on ${connectionLabel}: ${messageOf(error)}`,
        hint: 'Check the MetaProxy ZooKeeper connection, then retry.',
      };
    }
  },
};

export const checkClientsStep: Step = {
  id: HOT_STEP.clients,
  kind: 'manual',
  title: 'Clients use MetaProxy; the data version is 1',
  why:
    'Only clients that ask meta-proxy for the partition configuration follow the switch (Java and Go clients with ' +
    'meta_servers = the proxy; C++ and Python clients cannot). Duplication needs data_version 1 on every partition: ' +
    'admin-cli table-migrator refuses anything else. The precheck before this step asks the replica servers; the curl ' +
    'commands appear here only for what it could not ask.',
  commands(ctx) {
    const source = ctx.results[HOT_STEP.source] as { appId?: number } | undefined;
    const appId = source?.appId ?? '<app_id>';
    const dataVersion = dataVersionFactsOf(ctx);
    // The precheck asked every replica server: only what it could not ask is left to do by hand.
    const byHand =
      dataVersion?.checked === true
        ? []
        : (dataVersion?.askByHand?.length ? dataVersion.askByHand : ['<replica-host>:34801']).map(
            (server) => ({
              label: `On ${server.startsWith('<') ? 'each replica server' : server} of the source: every partition must answer "data_version":"1"${
                dataVersion?.reason ? ` (not checked automatically: ${dataVersion.reason})` : ''
              }`,
              kind: 'shell' as const,
              text: `curl -s "http://${server}/replica/data_version?app_id=${appId}"`,
            }),
          );
    return [
      ...byHand,
      {
        label:
          'Java clients: pegasus.properties points at MetaProxy (Go: the meta address list is the proxy)',
        kind: 'config',
        text: 'meta_servers = <metaproxy-host>:34601',
      },
    ];
  },
};
