/**
 * PegasusToolAccess over the store's cluster profiles: a runner for each configured tool, null (and
 * a reason) when a profile has none, so a step falls back to manual commands and says why.
 */
import { userInfo } from 'node:os';
import type { Store } from '../../store/types';
import type { AdminCliRunner, PegasusShellRunner, PegasusToolAccess } from './tool-access';
import { adminCliRunnerFor, shellRunnerFor, type ToolKind, type ToolRunnerDeps } from './tool-runners';

export interface PegasusToolAccessOptions extends Omit<ToolRunnerDeps, 'store' | 'actor'> {
  /** Who the audit events name; default the OS user. */
  actor?: string;
}

function osUser(): string {
  try {
    return userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
}

export function createPegasusToolAccess(
  store: Store,
  options: PegasusToolAccessOptions = {},
): PegasusToolAccess {
  const deps: ToolRunnerDeps = { ...options, store, actor: options.actor ?? osUser() };
  const availability = (profileId: string, tool: ToolKind) => {
    const profile = store.pegasusProfiles.get(profileId);
    if (!profile)
      return {
        runner: null,
        reason: `There is no cluster profile with id '${profileId}' (it may have been removed)`,
      };
    return tool === 'shell' ? shellRunnerFor(profile, deps) : adminCliRunnerFor(profile, deps);
  };
  return {
    profile: (id) => store.pegasusProfiles.get(id),
    shell: (profileId) => availability(profileId, 'shell').runner as PegasusShellRunner | null,
    adminCli: (profileId) => availability(profileId, 'adminCli').runner as AdminCliRunner | null,
    unavailableReason: (profileId, tool) => availability(profileId, tool).reason,
  };
}
