/**
 * The cut-over of a hot migration (reference §3.5 steps 4 and 6, §3.4): deny writes on the source
 * (`timeout*write`: writes are dropped and clients time out, so nothing lands on the source after the
 * last shipped mutation), switch the MetaProxy entry with a compare-and-set, then `reconfig*all` so
 * clients re-query the proxy at once. Each step from the deny on offers a rollback: the MetaProxy entry
 * back to the source (from the switch's record, byte for byte) and the deny env cleared.
 */
import { delAppEnvsCommand, setAppEnvsCommand } from '../../pegasus/commands';
import {
  buildMetaProxyPayload,
  describeRoute,
  type MetaProxyRollbackRecord,
  readMetaProxyEntry,
  rollbackMetaProxyEntry,
  switchMetaProxyEntry,
  findLastMetaProxyWrite,
  newEntryProblems,
} from '../../pegasus/meta-proxy-switch';
import {
  parseSetAppEnvs,
  type ParseResult,
  parsed,
  unrecognized,
  shellLines,
} from '../../pegasus/shell-output';
import type { StepDefinition, StepOutcome } from '../../runner/runbook-definition';
import type { JsonObject } from '../../store/types';
import { lookUpProfile, messageOf } from '../pegasus-steps/cluster-profile';
import { shellAction } from '../table-steps/shell-action';
import type { TableHotMigrationParams } from './params';
import { DENY_ENV, HOT_STEP, type HotContext, precheckEntryOf } from './run-facts';
import { recoveredSwitch } from './switch-recovery';

type Step = StepDefinition<TableHotMigrationParams>;

/** The entry as it will be written, or why it cannot be (the MetaProxy precheck refuses it too). */
function entryText(clusterName: string, metaAddrs: string): string {
  const problems = newEntryProblems({ clusterName, metaAddrs });
  if (problems.length > 0) return `(refused: ${problems.join('; ')})`;
  return buildMetaProxyPayload({ clusterName, metaAddrs }).toString('utf8');
}
type Rollback = NonNullable<Step['rollback']>;

/** `del_app_envs` answers "del app envs succeed" (or "failed"); the key list follows. */
function parseDelAppEnvs(text: string): ParseResult<{ deleted: true }> {
  const lines = shellLines(text).map((line) => line.trim());
  if (lines.includes('del app envs succeed')) return parsed({ deleted: true });
  return unrecognized('del_app_envs', lines, 'no "del app envs succeed" line');
}

async function setDenyEnv(ctx: HotContext, value: string, what: string): Promise<StepOutcome> {
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return lookup.outcome;
  const command = setAppEnvsCommand(ctx.params.table, { [DENY_ENV]: value });
  const set = await shellAction(ctx, lookup.profile, command, parseSetAppEnvs, { timeoutMs: 60_000 });
  if (!set.ok) return set.outcome;
  ctx.services.store.events.append({
    actor: ctx.services.actor,
    action: 'pegasus.table-env-set',
    target: `${lookup.profile.name}/${ctx.params.table}`,
    detail: { runId: ctx.runId, key: DENY_ENV, value },
  });
  return {
    status: 'succeeded',
    summary: `${DENY_ENV}=${value} set on ${ctx.params.table} of '${lookup.profile.name}': ${what}`,
    result: { key: DENY_ENV, value },
  };
}

function metaProxyAudit(ctx: HotContext, path: string) {
  const connection = ctx.services.connection(ctx.params.metaProxy);
  // Same target as `mdesk metaproxy`, so the CLI's rollback finds what a run wrote and the reverse.
  const target = `zk://${connection.endpoint(path).connectString}${path}`;
  return { events: ctx.services.store.events, actor: ctx.services.actor, target };
}

/** Puts the MetaProxy entry back to the source; the outcome says what it did or why it refused. */
async function restoreEntry(ctx: HotContext): Promise<{ ok: boolean; text: string }> {
  const record = (ctx.results[HOT_STEP.switch] as { rollback?: MetaProxyRollbackRecord } | undefined)
    ?.rollback;
  const precheck = precheckEntryOf(ctx);
  if (!record && !precheck)
    return { ok: true, text: 'the MetaProxy entry was never read by this run: left as is' };
  const path = record?.path ?? precheck!.path;
  const audit = metaProxyAudit(ctx, path);
  const session = await ctx.services.zk(ctx.params.metaProxy);
  const result = await rollbackMetaProxyEntry(
    session,
    {
      root: ctx.params.metaProxyRoot,
      table: ctx.params.table,
      restore: record
        ? { record }
        : { value: { clusterName: precheck!.clusterName, metaAddrs: precheck!.metaAddrs } },
      expectCluster: ctx.params.targetCluster,
      lastWrite: record ? undefined : findLastMetaProxyWrite(audit.events, audit.target),
    },
    { audit },
  );
  if (!result.ok) {
    // Nothing to restore when the switch never landed: the entry still routes to the source.
    const current = await readMetaProxyEntry(session, path);
    if (
      current &&
      precheck &&
      current.clusterName === precheck.clusterName &&
      current.metaAddrs === precheck.metaAddrs
    ) {
      return { ok: true, text: `${path} still routes to '${precheck.clusterName}': nothing to restore` };
    }
    return { ok: false, text: result.message };
  }
  return {
    ok: true,
    text: result.changed
      ? `${path} routes to ${describeRoute(result.current)} again (version ${result.current.version})`
      : `${path} already routes to ${describeRoute(result.current)}`,
  };
}

async function clearDenyEnv(ctx: HotContext): Promise<StepOutcome | { ok: true }> {
  const lookup = lookUpProfile(ctx, ctx.params.profile);
  if (!lookup.ok) return lookup.outcome;
  const command = delAppEnvsCommand(ctx.params.table, [DENY_ENV]);
  const cleared = await shellAction(ctx, lookup.profile, command, parseDelAppEnvs, { timeoutMs: 60_000 });
  if (!cleared.ok) return cleared.outcome;
  ctx.services.store.events.append({
    actor: ctx.services.actor,
    action: 'pegasus.table-env-deleted',
    target: `${lookup.profile.name}/${ctx.params.table}`,
    detail: { runId: ctx.runId, key: DENY_ENV },
  });
  return { ok: true };
}

/** Back to the source: MetaProxy entry first (clients leave the target), then writes allowed again. */
export const backToSourceRollback: Rollback = {
  label: 'Route the table back to the source and allow writes there again',
  async execute(ctx) {
    let restored: { ok: boolean; text: string };
    try {
      restored = await restoreEntry(ctx);
    } catch (error) {
      restored = { ok: false, text: `the MetaProxy entry could not be read or written: ${messageOf(error)}` };
    }
    if (!restored.ok) {
      // Writes stay denied: allowing them while clients may still go to the target would split the data.
      return {
        status: 'failed',
        summary: `The MetaProxy entry was not restored, so writes on the source stay denied: ${restored.text}`,
        hint: 'Find out who changed the entry; restore it with mdesk metaproxy rollback (--force if you checked the later change), then run this rollback again.',
      };
    }
    const cleared = await clearDenyEnv(ctx);
    if ('status' in cleared) {
      if (cleared.status === 'manual') return { ...cleared, reason: `${restored.text}; ${cleared.reason}` };
      return {
        ...cleared,
        summary: `${restored.text}, but ${DENY_ENV} could not be cleared: ${'summary' in cleared ? cleared.summary : ''}`,
      } as StepOutcome;
    }
    return {
      status: 'succeeded',
      summary: `${restored.text}; ${DENY_ENV} removed from ${ctx.params.table} on the source, writes are accepted again. The duplication to ${ctx.params.targetCluster} still runs: remove it if the migration is abandoned.`,
    };
  },
};

export const confirmDenyStep: Step = {
  id: HOT_STEP.confirmDeny,
  kind: 'gate',
  title: 'Go: deny writes on the source',
  why: 'From here clients cannot write the table until the switch: writes time out. Type the table name when the application owners are ready.',
  confirmText: (ctx) => ctx.params.table,
};

export const denyWritesStep: Step = {
  id: HOT_STEP.denyWrites,
  kind: 'action',
  title: 'Deny writes on the source (timeout*write)',
  why: 'Writes must stop on the source so the last mutations reach the target before clients move: timeout*write drops them silently, the clients retry until the switch sends them to the target.',
  commands: (ctx) => [setAppEnvsCommand(ctx.params.table, { [DENY_ENV]: 'timeout*write' })],
  execute: (ctx) => setDenyEnv(ctx, 'timeout*write', 'writes are dropped and time out until the switch'),
  rollback: backToSourceRollback,
};

export const confirmSwitchStep: Step = {
  id: HOT_STEP.confirmSwitch,
  kind: 'gate',
  title: 'Go: switch MetaProxy to the target',
  why: 'Clients move to the target cluster with this write. Type the target cluster name to confirm.',
  confirmText: (ctx) => ctx.params.targetCluster,
  rollback: backToSourceRollback,
};

export const switchStep: Step = {
  id: HOT_STEP.switch,
  kind: 'action',
  title: 'Switch the MetaProxy entry to the target',
  why:
    'The entry is rewritten only if it still names the source, with a compare-and-set on the version read: a change made ' +
    'by someone else meanwhile is refused, never overwritten. The previous value is kept in this step for the rollback.',
  commands: (ctx) => [
    {
      label: `The new value of ${ctx.params.metaProxyRoot}/${ctx.params.table}`,
      kind: 'config',
      text: entryText(ctx.params.targetCluster, ctx.params.targetMetas),
    },
  ],
  async execute(ctx): Promise<StepOutcome> {
    const precheck = precheckEntryOf(ctx);
    const expectCluster = (ctx.results[HOT_STEP.metaProxy] as { sourceCluster?: string } | undefined)
      ?.sourceCluster;
    if (!precheck || !expectCluster) {
      return {
        status: 'failed',
        summary: 'The MetaProxy precheck has no result in this run: retry it first',
      };
    }
    const audit = metaProxyAudit(ctx, precheck.path);
    const session = await ctx.services.zk(ctx.params.metaProxy);
    const result = await switchMetaProxyEntry(
      session,
      {
        root: ctx.params.metaProxyRoot,
        table: ctx.params.table,
        next: { clusterName: ctx.params.targetCluster, metaAddrs: ctx.params.targetMetas },
        expectCluster,
      },
      { audit, beforeWrite: async () => ctx.log(`Writing ${precheck.path} (compare-and-set)`) },
    );
    if (!result.ok) {
      return {
        status: 'failed',
        summary: result.message,
        hint: 'Nothing was written. Writes on the source are still denied: find out who changed the entry, then retry the switch, or roll back (route stays on the source, writes allowed again).',
        result: { refusal: result.code, current: (result.current ?? null) as unknown as JsonObject | null },
      };
    }
    return {
      status: 'succeeded',
      summary: result.changed
        ? `${result.path} now routes ${ctx.params.table} to ${describeRoute(result.current)} (version ${result.current.version}); it routed to ${describeRoute(result.previous)}`
        : `${result.path} already routed to ${describeRoute(result.current)}: nothing written`,
      result: {
        path: result.path,
        changed: result.changed,
        rollback: (result.rollback ?? null) as unknown as JsonObject | null,
        auditEventId: result.auditEventId,
      },
    };
  },
  async postcondition(ctx) {
    const precheck = precheckEntryOf(ctx);
    if (!precheck) return 'not-done';
    const entry = await readMetaProxyEntry(await ctx.services.zk(ctx.params.metaProxy), precheck.path);
    if (entry?.clusterName !== ctx.params.targetCluster || entry.metaAddrs !== ctx.params.targetMetas) {
      return 'not-done';
    }
    // Written, perhaps without a record: the step's result (the rollback record) is rebuilt.
    return recoveredSwitch(ctx, entry, metaProxyAudit(ctx, precheck.path));
  },
  rollback: backToSourceRollback,
};

export const reconfigStep: Step = {
  id: HOT_STEP.reconfig,
  kind: 'action',
  title: 'Send the clients away from the source (reconfig*all)',
  why:
    'reconfig makes the source replicas answer ERR_INVALID_STATE to every request, which makes Java and Go clients re-query ' +
    'the partition configuration at once (through meta-proxy: the target) instead of waiting for timeouts.',
  commands: (ctx) => [setAppEnvsCommand(ctx.params.table, { [DENY_ENV]: 'reconfig*all' })],
  execute: (ctx) =>
    setDenyEnv(ctx, 'reconfig*all', 'clients still on the source are sent to re-query MetaProxy'),
  rollback: backToSourceRollback,
};
