/**
 * Which duplication actions the meta server accepts in which status, decided before a command is
 * sent, with the reason and the way forward when one is refused (reference §1.7 and §6.2-6.3).
 *
 * - pause: only from DS_LOG (admin-cli `dup pause`; `is_valid_alteration` allows LOG→PAUSE only).
 * - start: only from DS_PAUSE (admin-cli `dup start`). The meta would also take INIT→LOG, but that
 *   transition is its own (an add without checkpoint), never an operator's.
 * - remove: from any live status; a removed duplication is gone for good.
 * - fail mode slow|skip: in any live status (the meta's `alter_status` keeps the status and changes the
 *   mode; DS_REMOVED answers ERR_OBJECT_NOT_FOUND). skip loses data on the follower: see FAIL_SKIP_WARNING.
 * - A status the meta does not know (the legacy DS_START of pre-2022 rDSN) is read as DS_REMOVED and
 *   the meta ignores that duplication, so no action applies to it.
 */
import type { DuplicationFailMode, DuplicationStatus } from '../decoders/duplication-info';

export type DuplicationAction = 'pause' | 'start' | 'remove' | 'set-fail-mode';
export const DUPLICATION_ACTIONS: readonly DuplicationAction[] = [
  'pause',
  'start',
  'remove',
  'set-fail-mode',
];

/** The fail modes an operator can set (the shell's `set_dup_fail_mode <slow|skip>`). */
export type SettableFailMode = 'slow' | 'skip';
export const FAIL_MODE_OF: Readonly<Record<SettableFailMode, DuplicationFailMode>> = {
  slow: 'FAIL_SLOW',
  skip: 'FAIL_SKIP',
};

export const FAIL_SKIP_WARNING =
  'FAIL_SKIP loses data on the follower: when shipping mutations to the remote cluster fails, the replicas drop them and move on instead of retrying. Those writes never reach the remote table and nothing lists which ones, so the follower silently diverges from the source. Use it only to unblock a duplication stuck on a failure whose writes you accept losing, set the mode back to slow as soon as it moves, and reconcile the remote table afterwards.';

export const REMOVE_WARNING =
  'Removing a duplication is final: the follower stops receiving writes from this table, and duplicating again needs a new duplication (with a full checkpoint copy if the follower must catch up).';

/** What the rules need to know about one duplication (DuplicationModel and DuplicationInfo both fit). */
export interface DuplicationStateView {
  /** null when the duplication node did not decode. */
  status: DuplicationStatus | null;
  /** The status string as written; differs from `status` for unknown ones such as 'DS_START'. */
  statusRaw: string | null;
  failMode: DuplicationFailMode | null;
}

export type DuplicationActionVerdict =
  | {
      allowed: true;
      /** The action would change nothing (already in that fail mode). */
      noop: boolean;
      /** Read before confirming (data loss for skip, finality for remove). */
      warning: string | null;
      /** The status the duplication is expected to reach. */
      resultStatus: DuplicationStatus;
    }
  | {
      allowed: false;
      /** Why the meta would refuse it (or why it would do nothing useful). */
      reason: string;
      /** What to do instead. */
      hint: string;
    };

const SETUP_PHASE: Readonly<Partial<Record<DuplicationStatus, string>>> = {
  DS_INIT: 'it has just been added and the meta has not started it yet (DS_INIT)',
  DS_PREPARE: 'the replicas are still preparing the checkpoint for the full copy (DS_PREPARE)',
  DS_APP: 'the meta is creating the follower table on the remote cluster (DS_APP)',
};

const LIVE: ReadonlySet<DuplicationStatus> = new Set([
  'DS_INIT',
  'DS_PREPARE',
  'DS_APP',
  'DS_LOG',
  'DS_PAUSE',
]);

function actionName(action: DuplicationAction, failMode?: SettableFailMode): string {
  return action === 'set-fail-mode' ? `set the fail mode to ${failMode ?? '?'}` : action;
}

/** Refusals that hold whatever the action: an undecodable node, a legacy status, a removed duplication. */
function deadState(state: DuplicationStateView, action: string): DuplicationActionVerdict | null {
  if (state.status === null) {
    return {
      allowed: false,
      reason: `Cannot ${action}: the duplication's node does not decode, and the meta skips such a duplication ("failed to decode json"), so it is not running.`,
      hint: 'Look at the node in the explorer; the meta ignores it, so no shell or admin-cli command reaches it.',
    };
  }
  if (state.status === 'DS_REMOVED' && state.statusRaw !== null && state.statusRaw !== 'DS_REMOVED') {
    return {
      allowed: false,
      reason: `Cannot ${action}: its status '${state.statusRaw}' is not one the meta knows (DS_START is from pre-2022 rDSN); the meta reads it as DS_REMOVED and ignores this duplication.`,
      hint: 'It is a leftover with no effect. To duplicate this table, add a new duplication.',
    };
  }
  if (state.status === 'DS_REMOVED') {
    return {
      allowed: false,
      reason: `Cannot ${action}: the duplication is removed (DS_REMOVED); the meta answers ERR_OBJECT_NOT_FOUND.`,
      hint: 'To duplicate this table again, add a new duplication.',
    };
  }
  return null;
}

export function checkDuplicationAction(
  state: DuplicationStateView,
  action: DuplicationAction,
  options: { failMode?: SettableFailMode } = {},
): DuplicationActionVerdict {
  const name = actionName(action, options.failMode);
  const dead = deadState(state, name);
  if (dead) return dead;
  const status = state.status as DuplicationStatus;
  switch (action) {
    case 'pause': {
      if (status === 'DS_LOG') return { allowed: true, noop: false, warning: null, resultStatus: 'DS_PAUSE' };
      if (status === 'DS_PAUSE') {
        return {
          allowed: false,
          reason: 'Cannot pause: the duplication is already paused (DS_PAUSE).',
          hint: 'Start it to resume shipping mutations.',
        };
      }
      return {
        allowed: false,
        reason: `Cannot pause: ${SETUP_PHASE[status]}. Pausing is only possible once it ships the log (DS_LOG).`,
        hint: 'Wait until the status is DS_LOG, or remove the duplication to stop it.',
      };
    }
    case 'start': {
      if (status === 'DS_PAUSE') return { allowed: true, noop: false, warning: null, resultStatus: 'DS_LOG' };
      if (status === 'DS_LOG') {
        return {
          allowed: false,
          reason: 'Cannot start: the duplication is already running (DS_LOG).',
          hint: 'Nothing to do; pause it first if you meant to restart it.',
        };
      }
      return {
        allowed: false,
        reason: `Cannot start: it is not paused; ${SETUP_PHASE[status]}. Only a paused duplication (DS_PAUSE) can be started.`,
        hint: 'It reaches DS_LOG by itself when the setup is done: wait for it.',
      };
    }
    case 'remove':
      return { allowed: true, noop: false, warning: REMOVE_WARNING, resultStatus: 'DS_REMOVED' };
    case 'set-fail-mode': {
      const wanted = options.failMode;
      if (wanted !== 'slow' && wanted !== 'skip') {
        return {
          allowed: false,
          reason: `Cannot set the fail mode to ${JSON.stringify(wanted ?? '')}: the shell and admin-cli set slow or skip.`,
          hint: 'Choose slow (retry failed mutations, the default) or skip (drop them: data loss on the follower).',
        };
      }
      return {
        allowed: true,
        noop: state.failMode === FAIL_MODE_OF[wanted],
        warning: wanted === 'skip' ? FAIL_SKIP_WARNING : null,
        resultStatus: status,
      };
    }
  }
}

/** The refusal as one message (reason, then what to do), or null when the action is allowed. */
export function explainDuplicationRefusal(
  state: DuplicationStateView,
  action: DuplicationAction,
  options: { failMode?: SettableFailMode } = {},
): string | null {
  const verdict = checkDuplicationAction(state, action, options);
  return verdict.allowed ? null : `${verdict.reason} ${verdict.hint}`;
}

/** The actions the meta accepts now (set-fail-mode meaning "to a mode it is not in"). */
export function allowedDuplicationActions(state: DuplicationStateView): DuplicationAction[] {
  return DUPLICATION_ACTIONS.filter((action) => {
    if (action !== 'set-fail-mode') return checkDuplicationAction(state, action).allowed;
    return (['slow', 'skip'] as const).some((failMode) => {
      const verdict = checkDuplicationAction(state, action, { failMode });
      return verdict.allowed && !verdict.noop;
    });
  });
}

/** Whether a duplication is one the meta runs (not removed, not ignored). */
export function isLiveDuplication(state: DuplicationStateView): boolean {
  return deadState(state, 'act') === null && state.status !== null && LIVE.has(state.status);
}
