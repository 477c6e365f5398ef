/**
 * Whether the Pegasus shell of a profile can reach another cluster by name: `copy_data -c`, `add_dup`
 * and the meta's duplication all resolve cluster names through `[pegasus.clusters]` (reference §6.1),
 * and a name missing there fails only after the copy or duplication has been asked for. Read from the
 * config file the profile's shell is started with; a run.sh shell generates its config per run from
 * src/shell/config.ini, so for it the check says where to look.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { clustersOfShellConfig } from '../../pegasus/tools/profile-check';

export type ShellClustersCheck =
  | { state: 'listed'; config: string; metas: string }
  | { state: 'missing'; config: string; known: string[] }
  /** No shell, a run.sh shell, or an unreadable file: the operator checks by hand. */
  | { state: 'unknown'; reason: string; configHint: string };

export function checkShellKnowsCluster(profile: PegasusProfile, cluster: string): ShellClustersCheck {
  const shell = profile.tools.shell;
  if (!shell) {
    return {
      state: 'unknown',
      reason: `No Pegasus shell is configured in the profile '${profile.name}'`,
      configHint: 'the config.ini of the shell you run',
    };
  }
  if (shell.kind === 'run.sh') {
    const template = join(shell.pegasusDir, 'src/shell/config.ini');
    return {
      state: 'unknown',
      reason: `run.sh writes the shell's config for each run from ${template}`,
      configHint: template,
    };
  }
  let text: string;
  try {
    text = readFileSync(shell.config, 'utf8');
  } catch (error) {
    return {
      state: 'unknown',
      reason: `${shell.config} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      configHint: shell.config,
    };
  }
  const clusters = clustersOfShellConfig(text);
  const metas = clusters[cluster];
  if (metas !== undefined && metas.trim() !== '') return { state: 'listed', config: shell.config, metas };
  return { state: 'missing', config: shell.config, known: Object.keys(clusters).sort() };
}

/** The config lines to add when the cluster is missing. */
export function clusterEntryCommand(config: string, cluster: string, metas: string): GeneratedCommand {
  return {
    label: `Add ${cluster} to [pegasus.clusters] of ${config} (and of the source meta servers' config for duplication)`,
    kind: 'config',
    text: `[pegasus.clusters]\n${cluster} = ${metas || '<meta1:34601,meta2:34601>'}`,
  };
}

/** One-line description for a precheck summary. */
export function describeShellClusters(check: ShellClustersCheck, cluster: string): string {
  switch (check.state) {
    case 'listed':
      return `${cluster} is listed in [pegasus.clusters] of ${check.config} (${check.metas})`;
    case 'missing':
      return `${cluster} is not in [pegasus.clusters] of ${check.config}${check.known.length > 0 ? ` (it lists ${check.known.join(', ')})` : ' (the section is empty or missing)'}`;
    case 'unknown':
      return `whether ${cluster} is in [pegasus.clusters] could not be checked here: ${check.reason}`;
  }
}
