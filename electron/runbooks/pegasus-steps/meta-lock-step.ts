/**
 * The meta servers' leader lock of a cluster root, as steps read it (reference §1.2): every running
 * meta holds an EPHEMERAL_SEQUENTIAL LOCKNODE with its address; the lowest sequence leads. Closing a
 * meta's ZooKeeper session removes its node, which is how a step sees a meta stop (or, on the new
 * ensemble, start). Reads go through the step's session; a failure is a reason, not an exception.
 */
import { BoundedReads } from '../../pegasus/bounded-reads';
import { type MetaLockState, readMetaLock } from '../../pegasus/meta-leader';
import type { StepOutcome } from '../../runner/runbook-definition';
import type { ZkSessionLike } from '../../zk/types';
import { type AnyStepContext, messageOf } from './cluster-profile';

export interface LockHolderFact {
  node: string;
  address: string | null;
  sequence: number;
}

/** What a run keeps of a lock reading (JSON, for results and the report). */
export interface LockFacts {
  lockDir: string | null;
  leader: LockHolderFact | null;
  holders: LockHolderFact[];
  warnings: string[];
}

export type LockRead =
  | { ok: true; facts: LockFacts; session: ZkSessionLike }
  | { ok: false; reason: string; session: ZkSessionLike | null };

export function lockFactsOf(state: MetaLockState): LockFacts {
  const fact = (holder: { node: string; address: string | null; sequence: number }) => ({
    node: holder.node,
    address: holder.address,
    sequence: holder.sequence,
  });
  return {
    lockDir: state.lockDir,
    leader: state.leader ? fact(state.leader) : null,
    holders: state.holders.map(fact),
    warnings: state.warnings.map((warning) => `${warning.path}: ${warning.message}`),
  };
}

/** Reads the lock under `root` on the connection `ref`. */
export async function readLockFacts(ctx: AnyStepContext, ref: string, root: string): Promise<LockRead> {
  let session: ZkSessionLike | null = null;
  try {
    session = await ctx.services.zk(ref);
    const state = await readMetaLock(new BoundedReads(session, 8, ctx.signal), root);
    return { ok: true, facts: lockFactsOf(state), session };
  } catch (error) {
    return { ok: false, reason: messageOf(error), session };
  }
}

/**
 * readLockFacts inside a poll's probe, where a read that fails ends the check: the failure is the
 * step's failed outcome, worded by the caller (which ensemble, what to do).
 */
export async function lockOrFailed(
  ctx: AnyStepContext,
  ref: string,
  root: string,
  failure: (reason: string) => { summary: string; hint: string },
): Promise<
  { ok: true; facts: LockFacts } | { ok: false; failed: Extract<StepOutcome, { status: 'failed' }> }
> {
  const read = await readLockFacts(ctx, ref, root);
  if (read.ok) return { ok: true, facts: read.facts };
  return { ok: false, failed: { status: 'failed', ...failure(read.reason) } };
}

/**
 * What moving metas to the new ensemble still waits for: a lock node there from each of `expected`
 * (addresses compare without case), and none left on the old one (null: the old ensemble was not
 * read). Null when nothing is missing.
 */
export function lockMoveWaitingFor(
  expected: readonly string[],
  onNew: LockFacts,
  onOld: LockFacts | null,
): string | null {
  const present = holderAddresses(onNew).map((address) => address.toLowerCase());
  const missing = expected.filter((address) => !present.includes(address.toLowerCase()));
  const left = onOld ? onOld.holders.length : 0;
  if (missing.length === 0 && left === 0) return null;
  const waiting: string[] = [];
  if (missing.length > 0) waiting.push(`lock nodes on the new ensemble from ${missing.join(', ')}`);
  if (onOld && left > 0) waiting.push(`the old ensemble's lock nodes to go (${describeHolders(onOld)})`);
  return waiting.join('; ');
}

export function holderAddresses(facts: LockFacts): string[] {
  return facts.holders.map((holder) => holder.address ?? holder.node);
}

/** "meta-1:34601 (leader, LOCKNODE0000000003), meta-2:34601" or "no lock node". */
export function describeHolders(facts: LockFacts): string {
  if (facts.holders.length === 0) return `no lock node${facts.lockDir ? ` in ${facts.lockDir}` : ''}`;
  return facts.holders
    .map((holder) => {
      const name = holder.address ?? `(undecodable) ${holder.node}`;
      return holder === facts.holders[0] ? `${name} (leader, ${holder.node})` : name;
    })
    .join(', ');
}

/** Lock facts kept in an earlier step's result, read back defensively. */
export function lockFactsFrom(value: unknown): LockFacts | null {
  const record = value as Partial<LockFacts> | null | undefined;
  if (!record || !Array.isArray(record.holders)) return null;
  const holders = record.holders.filter(
    (holder): holder is LockHolderFact =>
      typeof holder === 'object' && holder !== null && typeof (holder as LockHolderFact).node === 'string',
  );
  return {
    lockDir: typeof record.lockDir === 'string' ? record.lockDir : null,
    leader: holders[0] ?? null,
    holders,
    warnings: Array.isArray(record.warnings) ? record.warnings.map(String) : [],
  };
}
