/**
 * What the engine does when ZooKeeper fails it (issue 5, section 4):
 * - CONNECTION_LOSS, SESSION_EXPIRED, TIMEOUT: the outcome of a write is unknown. Wait with backoff
 *   (the session reconnects, or opens a new session after an expiry), check what was applied, retry
 *   the rest. Only after `giveUpAfterMs` of failing does the run stop (resumable).
 * - NO_AUTH: retrying cannot help. Stop, naming the path and the credential needed.
 */
import { isSshTunnelError } from '../../ssh/ssh-errors';
import { isZkError, type ZkError } from '../../zk/errors';
import type { ZkAcl, ZkSessionLike } from '../../zk/types';
import { formatAcl } from './acl-rules';
import type { RunError } from './types';

export interface FaultPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** How long a streak of failures may last before the run stops. */
  giveUpAfterMs: number;
}

export const DEFAULT_FAULT_POLICY: FaultPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 3000,
  giveUpAfterMs: 120_000,
};

export function isUnknownOutcome(error: unknown): error is ZkError {
  return (
    isZkError(error) &&
    (error.code === 'CONNECTION_LOSS' || error.code === 'SESSION_EXPIRED' || error.code === 'TIMEOUT')
  );
}

/** An error that stops the run; `runError` is what the run's result and the CLI report. */
export class CopyStopError extends Error {
  override name = 'CopyStopError';
  constructor(readonly runError: RunError) {
    super(runError.message);
  }
}

/** Exponential backoff with jitter over one streak of failures. */
export class Backoff {
  private attempt = 0;
  private streakStart: number | undefined;

  constructor(
    private readonly policy: FaultPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits before the next attempt, or throws CopyStopError once the streak lasted too long. */
  async wait(error: ZkError, what: string, onWaiting?: (message: string) => void): Promise<void> {
    const at = this.now();
    this.streakStart ??= at;
    if (at - this.streakStart >= this.policy.giveUpAfterMs) {
      throw new CopyStopError({
        code: error.code,
        message: `Gave up after ${Math.round((at - this.streakStart) / 1000)} s of failures while trying to ${what}: ${error.message}. The run can be resumed once ZooKeeper is reachable.`,
        path: error.path,
      });
    }
    const base = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt += 1;
    onWaiting?.(
      `${error.code} while trying to ${what}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${this.attempt})`,
    );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  reset(): void {
    this.attempt = 0;
    this.streakStart = undefined;
  }
}

async function aclOf(session: ZkSessionLike, path: string): Promise<ZkAcl[] | undefined> {
  try {
    return (await session.getACL(path)).acl;
  } catch {
    return undefined;
  }
}

function credentialHint(acl: ZkAcl[] | undefined, letter: string): string {
  const digestUsers = (acl ?? [])
    .filter((entry) => entry.scheme === 'digest' && entry.perms.includes(letter))
    .map((entry) => entry.id.slice(0, entry.id.indexOf(':')))
    .filter((user) => user !== '');
  const credential =
    digestUsers.length > 0
      ? `a digest credential for ${digestUsers.map((user) => `'${user}'`).join(' or ')}`
      : 'a digest credential that this ACL grants';
  return `${credential} (MDESK_ZK_AUTH=digest:user:password for the CLI, or the saved connection's credential)`;
}

/**
 * The stop for a NO_AUTH: which path, on which side, what the ACL grants (when it can be read), and
 * what credential would do.
 */
export async function noAuthStop(options: {
  side: 'source' | 'target';
  verb: string;
  path: string;
  /** The node whose ACL decides (the parent for a create). */
  aclPath: string;
  letter: string;
  session?: ZkSessionLike;
}): Promise<CopyStopError> {
  const acl = options.session ? await aclOf(options.session, options.aclPath) : undefined;
  const needs = credentialHint(acl, options.letter);
  const grants = acl ? ` The ACL of ${options.aclPath} is ${formatAcl(acl)}.` : '';
  return new CopyStopError({
    code: 'NO_AUTH',
    path: options.path,
    needs,
    message: `Not authorized to ${options.verb} ${options.path} on the ${options.side}.${grants} Add ${needs} and resume the run.`,
  });
}

/** A RunError for anything that stopped a run. */
export function toRunError(error: unknown): RunError {
  if (error instanceof CopyStopError) return error.runError;
  if (isZkError(error)) return { code: error.code, message: error.message, path: error.path };
  // A jump host that refused us (host key, login) says so in the run's result, not as INTERNAL.
  if (isSshTunnelError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
