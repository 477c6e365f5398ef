/**
 * The backup half of a cold-backup migration (website "cold backup" method, reference §1.8, §6.3):
 * the upload rate limit for the cluster's version, the one-shot admin-cli `backup`, and a wait on
 * `query-backup-status` with what to watch meanwhile.
 */
import { adminCliBackupCommand, adminCliBackupStatusCommand, remoteCommand } from '../../pegasus/commands';
import {
  parseBackupStarted,
  parseBackupStatus,
  parseRemoteCommand,
  type RemoteCommandNode,
} from '../../pegasus/shell-output';
import type { StepContext, StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import { lookUpProfile } from '../pegasus-steps/cluster-profile';
import { adminCliAction } from '../table-steps/admin-cli-action';
import { shellAction } from '../table-steps/shell-action';
import { loadSourceTable, tableFacts, tableHealthVerdict } from '../table-steps/source-table';
import type { TableColdBackupParams } from './params';

type Step = StepDefinition<TableColdBackupParams>;
type Ctx = StepContext<TableColdBackupParams>;

export const COLD_STEP = {
  source: 'precheck-source',
  rateLimit: 'rate-limit',
  backup: 'backup',
  waitBackup: 'wait-backup',
  restore: 'restore',
  verifyRestore: 'verify-restore',
  split: 'offline-split',
  scenario: 'usage-scenario-bulk-load',
  startBulkLoad: 'start-bulk-load',
  waitBulkLoad: 'wait-bulk-load',
  scenarioBack: 'usage-scenario-normal',
} as const;

export function sourceFacts(ctx: Ctx): { appId: number; partitionCount: number } | null {
  const facts = ctx.results[COLD_STEP.source] as { appId?: number; partitionCount?: number } | undefined;
  return typeof facts?.appId === 'number' && typeof facts.partitionCount === 'number'
    ? { appId: facts.appId, partitionCount: facts.partitionCount }
    : null;
}

export function backupIdOf(ctx: Ctx): number | null {
  const backup = ctx.results[COLD_STEP.backup] as { backupId?: number } | undefined;
  return typeof backup?.backupId === 'number' ? backup.backupId : null;
}

/** 2.4 renamed the limit to a per-disk one; below that the cluster-wide key applies. */
export function rateLimitKey(version: string): string {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 4)
    ? 'max_send_rate_megabytes_per_disk'
    : 'max_send_rate_megabytes';
}

export const precheckSourceStep: Step = {
  id: COLD_STEP.source,
  kind: 'precheck',
  severity: 'block',
  title: 'Source table exists and is healthy',
  why: 'Every partition is checkpointed and uploaded by its primary: a partition without one fails the backup.',
  async execute(ctx): Promise<StepOutcome> {
    const found = await loadSourceTable(ctx, ctx.params.profile, ctx.params.table);
    if (!found.ok) return found.outcome;
    const { table } = found.value;
    const health = tableHealthVerdict(table);
    if (!health.healthy) {
      return {
        status: 'failed',
        summary: `${ctx.params.table} is not healthy: ${health.text}`,
        hint: 'Wait until every partition is fully healthy, then retry.',
        result: tableFacts(table),
      };
    }
    return {
      status: 'succeeded',
      summary: `${ctx.params.table} is app ${table.appId} with ${table.partitionCount} partitions: ${health.text}`,
      result: tableFacts(table),
    };
  },
};

/** The documented runtime command (website cold-backup page): the shell asks every replica server. */
export function rateLimitCommand(params: Pick<TableColdBackupParams, 'clusterVersion' | 'sendRateMb'>) {
  const key = rateLimitKey(params.clusterVersion);
  return remoteCommand(
    { command: `nfs.${key}`, args: [String(params.sendRateMb)], target: 'replica-server' },
    `Limit the upload rate to ${params.sendRateMb} MB/s on every replica server (Pegasus ${params.clusterVersion}: nfs.${key})`,
  );
}

/** A node took the new limit when it acknowledged the command and answered OK (anything else is its complaint). */
function tookLimit(node: RemoteCommandNode): boolean {
  return node.succeeded && typeof node.message === 'string' && /^ok\b/i.test(node.message.trim());
}

export const rateLimitStep: Step = {
  id: COLD_STEP.rateLimit,
  kind: 'action',
  title: 'Limit the upload rate',
  why:
    'The upload reads every SST file of the table from the replica disks: unthrottled, it competes with the ' +
    "cluster's own reads and writes. Disk I/O drops when the checkpoints are taken and the upload starts; raise the " +
    'limit step by step while latency stays normal (retry this step with a higher rate). The runtime value is lost ' +
    'when a replica server restarts: the config.ini line keeps it.',
  commands(ctx) {
    const key = rateLimitKey(ctx.params.clusterVersion);
    return [
      rateLimitCommand(ctx.params),
      {
        label: `Or in config.ini of every replica server, kept across restarts (Pegasus ${ctx.params.clusterVersion}: ${key})`,
        kind: 'config',
        text: `[nfs]\n${key} = ${ctx.params.sendRateMb}`,
      },
    ];
  },
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const command = rateLimitCommand(ctx.params);
    const ran = await shellAction(ctx, lookup.profile, command, parseRemoteCommand);
    if (!ran.ok) return ran.outcome;
    const nodes = ran.value.nodes.filter((node) => node.role === 'replica-server' || node.role === 'unknown');
    const took = nodes.filter(tookLimit);
    const refused = nodes.filter((node) => !tookLimit(node));
    const key = `nfs.${rateLimitKey(ctx.params.clusterVersion)}`;
    const result = {
      key,
      rateMb: Number(ctx.params.sendRateMb),
      applied: took.map((node) => node.address),
      refused: refused.map((node) => ({ address: node.address, answer: String(node.message ?? '') })),
    };
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: 'pegasus.rate-limit',
      target: `${lookup.profile.name}/replica-servers`,
      detail: { runId: ctx.runId, ...result },
    });
    if (nodes.length === 0) {
      return {
        status: 'failed',
        summary: `The shell answered ${key} for no replica server`,
        hint: 'Check that the cluster has replica servers alive (nodes -d), then retry.',
        result,
      };
    }
    if (refused.length > 0) {
      const sample = refused
        .slice(0, 3)
        .map((node) => `${node.address}: ${String(node.message ?? 'no answer')}`)
        .join('; ');
      return {
        status: 'warning',
        // A warning waits for the operator, who reads what to do here before accepting it.
        summary:
          `${key} = ${ctx.params.sendRateMb} MB/s took on ${took.length} of ${nodes.length} replica servers; ${refused.length} did not (${sample}). ` +
          'An "unknown command" answer means the key does not match the server version (2.4 renamed it to the per-disk one): ' +
          'correct the cluster version in a new run. An unreachable server uploads unthrottled: set it in its config.ini.',
        result,
      };
    }
    return {
      status: 'succeeded',
      summary: `${key} = ${ctx.params.sendRateMb} MB/s on all ${took.length} replica servers`,
      result,
    };
  },
};

export const backupStep: Step = {
  id: COLD_STEP.backup,
  kind: 'action',
  title: 'Back up the table (admin-cli backup)',
  why: 'A one-shot backup of every partition to the block service; it is not written to ZooKeeper, admin-cli reports its id.',
  commands(ctx) {
    const facts = sourceFacts(ctx);
    return [
      adminCliBackupCommand({
        tableId: facts?.appId ?? 1,
        providerType: ctx.params.providerType,
        ...(ctx.params.backupPath ? { backupPath: ctx.params.backupPath } : {}),
      }),
    ];
  },
  async execute(ctx): Promise<StepOutcome> {
    const lookup = lookUpProfile(ctx, ctx.params.profile);
    if (!lookup.ok) return lookup.outcome;
    const facts = sourceFacts(ctx);
    if (!facts)
      return { status: 'failed', summary: 'The source precheck has no result in this run: retry it first' };
    const command = adminCliBackupCommand({
      tableId: facts.appId,
      providerType: ctx.params.providerType,
      ...(ctx.params.backupPath ? { backupPath: ctx.params.backupPath } : {}),
    });
    const started = await adminCliAction(ctx, lookup.profile, command, parseBackupStarted);
    if (!started.ok) return started.outcome;
    ctx.services.store.events.append({
      actor: ctx.services.actor,
      action: 'pegasus.backup-started',
      target: `${lookup.profile.name}/${ctx.params.table}`,
      detail: { runId: ctx.runId, backupId: started.value.backupId, provider: ctx.params.providerType },
    });
    return {
      status: 'succeeded',
      summary: `Backup ${started.value.backupId} of ${ctx.params.table} (app ${facts.appId}) started to ${ctx.params.providerType}`,
      result: { backupId: started.value.backupId, appId: facts.appId },
    };
  },
};

export function waitBackupStep(params: TableColdBackupParams): Step {
  return {
    id: COLD_STEP.waitBackup,
    kind: 'wait',
    title: 'Wait for the backup to complete',
    why:
      'The backup is usable only once every partition is uploaded. Watch disk I/O and latency meanwhile (raise the ' +
      'rate limit step by step); a replica server restart during the backup fails it: clean the backup path and retry the backup step.',
    wait: {
      intervalMs: 30_000,
      timeoutMs: params.backupWaitMinutes * 60_000,
      describe: () => 'query-backup-status says completed',
    },
    async execute(ctx): Promise<StepOutcome> {
      const lookup = lookUpProfile(ctx, ctx.params.profile);
      if (!lookup.ok) return lookup.outcome;
      const facts = sourceFacts(ctx);
      const backupId = backupIdOf(ctx);
      if (!facts || backupId === null) {
        return { status: 'failed', summary: 'There is no backup id in this run: retry the backup step' };
      }
      const status = await adminCliAction(
        ctx,
        lookup.profile,
        adminCliBackupStatusCommand(facts.appId, backupId),
        parseBackupStatus,
        { timeoutMs: 60_000 },
      );
      if (!status.ok) return status.outcome;
      const item = status.value.items.find((candidate) => candidate.backupId === backupId);
      if (!item) return { status: 'pending', waitingFor: `backup ${backupId} is not listed yet` };
      const result = { backupId, status: item.status, startTime: item.startTime, endTime: item.endTime };
      if (item.status === 'completed') {
        return {
          status: 'succeeded',
          summary: `Backup ${backupId} completed (${item.startTime} to ${item.endTime})`,
          result,
        };
      }
      if (item.status === 'failed') {
        return {
          status: 'failed',
          summary: `Backup ${backupId} of ${ctx.params.table} failed`,
          hint:
            'A replica server restarted or a partition lost its primary during the upload. Delete the partial backup ' +
            `under the ${ctx.params.providerType} path${ctx.params.backupPath ? ` ${ctx.params.backupPath}` : ''}, then retry the backup step (and this wait).`,
          result,
        };
      }
      return { status: 'pending', waitingFor: `backup ${backupId} is ${item.status}`, result };
    },
  };
}
