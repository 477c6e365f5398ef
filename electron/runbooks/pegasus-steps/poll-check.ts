/**
 * The check of a manual step that needs time to come true ("one lock node left" once a stopped meta's
 * session is gone, "a lock node on the new ensemble" once a restarted meta is up): poll a probe until
 * it holds, fails, or the time is up, logging each new thing it waits for. A ZooKeeper session that
 * expires meanwhile ends the check at once with that reason: what it saw before may belong to the
 * lost session, and a retry starts on the new one.
 */
import type { StepOutcome } from '../../runner/runbook-definition';
import type { ZkSessionLike } from '../../zk/types';
import type { AnyStepContext } from './cluster-profile';

type Failed = Extract<StepOutcome, { status: 'failed' }>;

export type ProbeAnswer<T> =
  | { done: true; value: T }
  | { done: false; waitingFor: string }
  | { failed: Failed };

export interface PollCheckOptions<T> {
  intervalMs: number;
  timeoutMs: number;
  /** Sessions whose loss ends the check; each labelled for the message. */
  sessions?: readonly { session: ZkSessionLike | null; label: string }[];
  probe(): Promise<ProbeAnswer<T>>;
  /** What to do when the time is up (appended to the timeout message). */
  timeoutHint: string;
}

const LOST = new Set(['expired', 'closed', 'auth-failed']);

export function sessionLostOutcome(label: string, state: string, message: string | undefined): Failed {
  return {
    status: 'failed',
    summary: `The ZooKeeper session to ${label} was lost during this step (${state}${message ? `: ${message}` : ''})`,
    hint: 'Nothing is decided on a lost session: check the network or SSH tunnel to that ensemble, then retry this step (it starts over on a new session).',
  };
}

export async function pollCheck<T>(
  ctx: AnyStepContext,
  options: PollCheckOptions<T>,
): Promise<{ ok: true; value: T } | { ok: false; outcome: Failed }> {
  // An object, not a variable: it is set from the session's event, which narrowing cannot see.
  const seen: { lost: Failed | null } = { lost: null };
  const listeners: { session: ZkSessionLike; listener: (...args: unknown[]) => void }[] = [];
  for (const { session, label } of options.sessions ?? []) {
    if (!session) continue;
    const listener = (...args: unknown[]) => {
      const state = String(args[0]);
      const detail = args[1] as { message?: string } | undefined;
      if (LOST.has(state) && !seen.lost) seen.lost = sessionLostOutcome(label, state, detail?.message);
    };
    session.on('state', listener);
    listeners.push({ session, listener });
  }
  const started = ctx.services.now();
  let waitingFor: string | null = null;
  try {
    for (;;) {
      if (seen.lost) return { ok: false, outcome: seen.lost };
      const answer = await options.probe();
      if (seen.lost) return { ok: false, outcome: seen.lost };
      if ('failed' in answer) return { ok: false, outcome: answer.failed };
      if (answer.done) return { ok: true, value: answer.value };
      if (answer.waitingFor !== waitingFor) {
        waitingFor = answer.waitingFor;
        ctx.log(`Waiting for: ${waitingFor}`);
      }
      const elapsed = ctx.services.now() - started;
      if (elapsed >= options.timeoutMs) {
        return {
          ok: false,
          outcome: {
            status: 'failed',
            summary: `Still not done after ${Math.round(options.timeoutMs / 1000)} s: ${waitingFor}`,
            hint: options.timeoutHint,
          },
        };
      }
      await ctx.services.sleep(Math.min(options.intervalMs, options.timeoutMs - elapsed), ctx.signal);
      if (ctx.signal.aborted) {
        return {
          ok: false,
          outcome: { status: 'failed', summary: `Stopped while waiting for: ${waitingFor}` },
        };
      }
    }
  } finally {
    for (const { session, listener } of listeners) session.off('state', listener);
  }
}
