/**
 * Commands that stop and restart meta servers, generated per host for manual steps. Pegasus is
 * usually deployed with Minos (`./deploy ... --job meta --task N`, what pegasus_migrate_zookeeper.sh
 * drives); the task number is the meta's position in the profile's meta list, which follows the
 * deployment's host order. Without Minos the exact stop is "the process listening on the meta
 * port"; a start depends on the service manager, so it is named, not guessed.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { GeneratedCommand } from '../../../shared/api/runs';
import { posixQuote } from '../../pegasus/commands';

export interface MetaHost {
  /** host:port as the lock node or the profile names it. */
  address: string;
  host: string;
  port: string;
  /** Minos task index: the position in the profile's meta list, when listed there. */
  task: number | null;
}

export function splitHostPort(address: string): { host: string; port: string } {
  const at = address.lastIndexOf(':');
  if (at <= 0) return { host: address, port: '34601' };
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: address.slice(at + 1) };
}

export function metaHostOf(address: string, profile: PegasusProfile): MetaHost {
  const index = profile.metaServers.findIndex((meta) => meta.toLowerCase() === address.toLowerCase());
  return { address, ...splitHostPort(address), task: index >= 0 ? index : null };
}

/** `task` null: every task of the job; 'N': a placeholder the operator fills in (shown commented out). */
function minosLine(
  cluster: string,
  verb: 'stop' | 'rolling_update',
  task: number | 'N' | null,
  extra = '',
): string {
  const scope = task === null ? '' : ` --task ${task}`;
  const line = `./deploy ${verb} pegasus ${posixQuote(cluster)} --job meta${scope}${extra} --skip_confirm`;
  return task === 'N' ? `# ${line}` : line;
}

function taskNote(meta: MetaHost): string {
  return meta.task === null
    ? `(${meta.address} is not in the profile's meta list: find its task with ./deploy show)`
    : `(task ${meta.task}: its place in the profile's meta list)`;
}

/** Stops one meta server: Minos first, else the process that listens on its port. */
export function stopMetaCommand(cluster: string, meta: MetaHost, role: string): GeneratedCommand {
  return {
    label: `On ${meta.host}: stop the ${role} meta server ${meta.address}`,
    kind: 'shell',
    text: [
      `# With Minos ${taskNote(meta)}:`,
      minosLine(cluster, 'stop', meta.task ?? 'N'),
      `# Without Minos, on ${meta.host}: stop the process listening on port ${meta.port}`,
      `kill $(lsof -t -iTCP:${meta.port} -sTCP:LISTEN)`,
    ].join('\n'),
  };
}

/** Restarts (or starts) one meta server with its changed config. */
export function restartMetaCommand(cluster: string, meta: MetaHost, role: string): GeneratedCommand {
  return {
    label: `On ${meta.host}: restart the ${role} meta server ${meta.address} with the changed config`,
    kind: 'shell',
    text: [
      `# With Minos ${taskNote(meta)}: push the changed config and restart`,
      minosLine(cluster, 'rolling_update', meta.task ?? 'N', ' --update_config'),
      `# Without Minos: restart the meta server on ${meta.host} (port ${meta.port}) with your service manager, after editing its config.ini`,
    ].join('\n'),
  };
}

/** Every meta of the cluster at once (Minos), plus each host for deployments without it. */
export function stopAllMetasCommands(cluster: string, metas: readonly MetaHost[]): GeneratedCommand[] {
  return [
    {
      label: 'With Minos: stop every meta server of the cluster',
      kind: 'shell',
      text: minosLine(cluster, 'stop', null),
    },
    ...metas.map((meta) => ({
      label: `Without Minos, on ${meta.host}: stop the meta server ${meta.address}`,
      kind: 'shell' as const,
      text: `kill $(lsof -t -iTCP:${meta.port} -sTCP:LISTEN)`,
    })),
  ];
}

/** Restarts every meta task (the script restarted only tasks 0 and 1, reference §4 step 13). */
export function restartAllMetasCommands(cluster: string, metas: readonly MetaHost[]): GeneratedCommand[] {
  return [
    {
      label: 'With Minos: restart every meta server with the changed config, one after the other',
      kind: 'shell',
      text: minosLine(cluster, 'rolling_update', null, ' --update_config --time_interval 20'),
    },
    ...metas.map((meta) => ({
      label: `Without Minos, on ${meta.host}: restart the meta server ${meta.address}`,
      kind: 'shell' as const,
      text: `# restart the meta server on ${meta.host} (port ${meta.port}) with your service manager, after editing its config.ini`,
    })),
  ];
}
