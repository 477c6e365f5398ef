/**
 * What `mdesk metaproxy list|switch|rollback` share: the ROOT argument and its session (credentials
 * from MDESK_ZK_AUTH or a saved connection, as `mdesk pegasus summary` takes them), the audit target
 * of an entry, the entry flags, and how plans, refusals and results are printed.
 */
import type { ZkEndpointRef } from '../../engines/zk-copy/endpoints';
import {
  applyMetaProxyPlan,
  auditRefusal,
  describeRoute,
  isInputRefusal,
  type MetaProxyAudit,
  MetaProxyWriteError,
  type MetaProxyEntrySnapshot,
  type MetaProxyEntryValue,
  type MetaProxyPlan,
  type MetaProxyRefusal,
  type MetaProxyWriteResult,
  metaProxyEntryTarget,
  normalizeMetaAddrsInput,
  type PlanOutcome,
} from '../../pegasus/meta-proxy-switch';
import type { ZkSessionLike } from '../../zk/types';
import { EXIT, type ParsedArgs, stringFlag, UsageError } from '../command';
import type { CliContext } from '../context';
import { parseEndpointSpec } from '../endpoint-spec';
import { savedConnectionFor } from './pegasus-summary';

export const ROOT_USAGE = 'zk://HOST:PORT[,HOST:PORT]/ROOT';

/** ROOT as an endpoint, borrowing the credential of a saved connection to the same servers if needed. */
export function metaProxyRoot(context: CliContext, text: string, command: string): ZkEndpointRef {
  const ref = context.resolveEndpoint(parseEndpointSpec(text, 'ROOT'));
  const borrowed =
    !ref.connectionId && !context.envCredential ? savedConnectionFor(context, ref.connectString) : undefined;
  if (!borrowed) return ref;
  const withProfile = { ...ref, connectionId: borrowed };
  if (context.factory.credentials(withProfile).length > 0) {
    const name = context.store.connections.get(borrowed)?.name;
    context.io.stderr(`mdesk ${command}: using the credential of saved connection '${name}'\n`);
  }
  return withProfile;
}

export async function withSession<T>(
  context: CliContext,
  ref: ZkEndpointRef,
  purpose: 'read' | 'write',
  work: (session: ZkSessionLike) => Promise<T>,
): Promise<T> {
  const session = await context.factory.open(ref, purpose);
  try {
    return await work(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** The audit target of one entry: its servers and path, the same whichever way ROOT was written. */
export function entryAuditTarget(ref: ZkEndpointRef, table: string): string {
  const target = metaProxyEntryTarget(ref.path, table);
  const path = target.ok ? target.path : `${ref.path}/${table}`;
  return `zk://${ref.connectString}${path}`;
}

export function requiredFlag(args: ParsedArgs, name: string, example: string): string {
  const value = stringFlag(args, name);
  if (value === undefined) throw new UsageError(`--${name} is required (e.g. --${name} ${example})`);
  return value;
}

/** An entry from two flags; the addresses with the spaces of a pasted list removed. */
export function entryFromFlags(
  args: ParsedArgs,
  clusterFlag: string,
  metasFlag: string,
): MetaProxyEntryValue {
  return {
    clusterName: requiredFlag(args, clusterFlag, 'c2srv-ad').trim(),
    metaAddrs: normalizeMetaAddrsInput(requiredFlag(args, metasFlag, '10.0.0.1:34601,10.0.0.2:34601')),
  };
}

/** {clusterName, metaAddrs, version} as the --json output shows an entry. */
export function entryJson(
  entry: MetaProxyEntrySnapshot | null,
): { clusterName: string | null; metaAddrs: string | null; version: number } | null {
  return entry === null
    ? null
    : { clusterName: entry.clusterName, metaAddrs: entry.metaAddrs, version: entry.version };
}

/** Where the human-readable lines go: stdout, or stderr when stdout is reserved for --json. */
export function humanOut(context: CliContext, json: boolean): (text: string) => void {
  return json ? (text) => context.io.stderr(text) : (text) => context.io.stdout(text);
}

export function printPlan(out: (text: string) => void, plan: MetaProxyPlan, label: string): void {
  const lines = [
    `MetaProxy entry ${label} (version ${plan.current.version})`,
    `  now:    ${describeRoute(plan.current)}`,
    `  after:  ${describeRoute(plan.next)}`,
    `  bytes:  ${plan.next.text}`,
  ];
  if (plan.lastWrite) {
    const when = plan.lastWrite.at ? ` on ${new Date(plan.lastWrite.at).toISOString()}` : '';
    const event = plan.lastWrite.eventId ? ` (audit event ${plan.lastWrite.eventId})` : '';
    lines.push(
      `  last written by mdesk${when}${event}: version ${plan.lastWrite.version}, cluster '${plan.lastWrite.clusterName}' at ${plan.lastWrite.metaAddrs}`,
    );
  }
  for (const note of plan.notes) lines.push(`  note:   ${note}`);
  out(`${lines.join('\n')}\n`);
}

/** Prints a refusal and returns its exit code: 2 for bad input, 1 when ZooKeeper holds something else. */
export function reportRefusal(
  context: CliContext,
  json: boolean,
  refused: MetaProxyRefusal,
  table: string,
): number {
  context.io.stderr(`mdesk metaproxy ${refused.kind}: ${refused.message}\n`);
  for (const problem of refused.problems.length > 1 ? refused.problems : []) {
    context.io.stderr(`  - ${problem}\n`);
  }
  if (json) {
    context.io.stdout(
      `${JSON.stringify({
        table,
        path: refused.path,
        previous: entryJson(refused.expected ?? refused.current),
        current: entryJson(refused.current),
        changed: false,
        refused: { code: refused.code, message: refused.message, problems: refused.problems },
      })}\n`,
    );
  }
  return isInputRefusal(refused.code) ? EXIT.usage : EXIT.failed;
}

export function resultJson(result: MetaProxyWriteResult): Record<string, unknown> {
  return {
    table: result.table,
    path: result.path,
    previous: entryJson(result.previous),
    current: entryJson(result.current),
    changed: result.changed,
    forced: result.forced,
    auditEventId: result.auditEventId,
    rollback: result.rollback,
  };
}

export function dryRunJson(plan: MetaProxyPlan): Record<string, unknown> {
  return {
    table: plan.table,
    path: plan.path,
    previous: entryJson(plan.current),
    current: entryJson(plan.current),
    changed: false,
    dryRun: true,
    next: { clusterName: plan.next.clusterName, metaAddrs: plan.next.metaAddrs },
  };
}

/** A word as a POSIX shell reads it back unchanged. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._:,@/=+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'"'"'`)}'`;
}

/** The command that undoes `result`, for the change ticket. */
export function rollbackCommand(rootText: string, table: string, result: MetaProxyWriteResult): string {
  return [
    'mdesk metaproxy rollback',
    shellWord(rootText),
    shellWord(table),
    '--to-cluster',
    shellWord(result.previous.clusterName ?? ''),
    '--to-metas',
    shellWord(result.previous.metaAddrs ?? ''),
    '--expect-cluster',
    shellWord(result.current.clusterName ?? ''),
    '--yes',
  ].join(' ');
}

export interface PlanExecution {
  command: 'switch' | 'rollback';
  json: boolean;
  yes: boolean;
  table: string;
  /** The entry's audit target (entryAuditTarget). */
  target: string;
  /** Opened only when something is written or refused at a write: a preview leaves no trace. */
  audit: () => MetaProxyAudit;
  /** "switch TABLE to cluster 'X'": what --yes would do, for the "Nothing written" line. */
  intent: string;
  /** The line printed after a write that changed the entry. */
  describeChange: (result: MetaProxyWriteResult) => string;
}

/**
 * The second half of `metaproxy switch` and `rollback`, identical for both: print the plan; without
 * --yes stop there (exit 2, or 0 when nothing would change); with --yes write it with the plan's
 * compare-and-set, audited, and report. Refusals are audited only when a write was attempted.
 */
export async function executeMetaProxyPlan(
  context: CliContext,
  session: ZkSessionLike,
  plan: PlanOutcome,
  how: PlanExecution,
): Promise<number> {
  const { json, yes, table } = how;
  const out = humanOut(context, json);
  if (!plan.ok) {
    if (yes) auditRefusal(how.audit(), plan);
    return reportRefusal(context, json, plan, table);
  }
  printPlan(out, plan, how.target);
  if (plan.unchanged && !yes) {
    out(`Nothing to do: ${table} already routes to ${describeRoute(plan.next)}.\n`);
    if (json) context.io.stdout(`${JSON.stringify({ ...dryRunJson(plan), dryRun: false })}\n`);
    return EXIT.ok;
  }
  if (!yes) {
    context.io.stderr(
      `Nothing written: add --yes to ${how.intent} (a compare-and-set against version ${plan.current.version}).\n`,
    );
    if (json) context.io.stdout(`${JSON.stringify(dryRunJson(plan))}\n`);
    return EXIT.usage;
  }
  let result: MetaProxyWriteResult | MetaProxyRefusal;
  try {
    result = await applyMetaProxyPlan(session, plan, { audit: how.audit() });
  } catch (error) {
    if (!(error instanceof MetaProxyWriteError)) throw error;
    context.io.stderr(`mdesk metaproxy ${how.command}: ${error.message}\n`);
    if (json) {
      context.io.stdout(
        `${JSON.stringify({ ...dryRunJson(plan), dryRun: false, changed: error.written, error: error.message })}\n`,
      );
    }
    return EXIT.failed;
  }
  if (!result.ok) return reportRefusal(context, json, result, table);
  out(
    result.changed
      ? how.describeChange(result)
      : `Nothing written: ${table} already routes to ${describeRoute(result.current)}.\n`,
  );
  if (json) context.io.stdout(`${JSON.stringify(resultJson(result))}\n`);
  return EXIT.ok;
}
