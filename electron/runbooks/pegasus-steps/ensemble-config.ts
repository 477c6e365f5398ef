/**
 * The meta server config lines that point a cluster at another ZooKeeper ensemble (reference §1.1):
 * `[zookeeper] hosts_list`, and when the root moves, `[meta_server] cluster_root` and the lock root
 * (`distributed_lock_service_parameters`, `<root>/lock` in the production template, the root itself
 * in onebox). hosts_list takes host:port only, so a chroot on the target connection becomes part of
 * the cluster root instead.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { parseConnectString } from '../../../shared/connect-string';
import { parentZkPath } from '../../../shared/zk-path';
import { clusterRootConfig, zookeeperHostsConfig } from '../../pegasus/commands';
import type { RunConnection } from '../../runner/run-services';
import type { StepOutcome } from '../../runner/runbook-definition';
import { type AnyStepContext, messageOf } from './cluster-profile';

export interface TargetEnsemble {
  /** host:port,host:port as hosts_list takes it. */
  hostsList: string;
  hosts: string[];
  /** The target connection's chroot, prefixed to the cluster root in the meta's config. */
  chroot: string | null;
}

export function targetEnsembleOf(connection: RunConnection): TargetEnsemble {
  const parsed = parseConnectString(connection.endpoint('/').connectString);
  if (!parsed.ok) throw new Error(`The target connection ${connection.label} is invalid: ${parsed.error}`);
  const hosts = parsed.value.hosts.map((host) => `${host.host}:${host.port}`);
  return { hostsList: hosts.join(','), hosts, chroot: parsed.value.chroot ?? null };
}

/**
 * The run's target connection and the ensemble it names, or the failed outcome when it cannot be
 * used (removed since the run was created, or its connect string no longer parses).
 */
export function targetConnectionOf(
  ctx: AnyStepContext,
  ref: string,
):
  | { ok: true; connection: RunConnection; ensemble: TargetEnsemble }
  | { ok: false; outcome: Extract<StepOutcome, { status: 'failed' }> } {
  try {
    const connection = ctx.services.connection(ref);
    return { ok: true, connection, ensemble: targetEnsembleOf(connection) };
  } catch (error) {
    return {
      ok: false,
      outcome: {
        status: 'failed',
        summary: `The target connection '${ref}' cannot be used: ${messageOf(error)}`,
        hint: 'Abort this run and start a new one with an existing saved connection.',
      },
    };
  }
}

/** The root as the meta server will name it: the chroot (if any) then the path on the connection. */
export function metaRootOn(ensemble: TargetEnsemble, path: string): string {
  if (!ensemble.chroot) return path;
  return path === '/' ? ensemble.chroot : `${ensemble.chroot}${path}`;
}

/** Same host:port set, whatever the order or spelling case. */
export function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) =>
    [...new Set(list.map((host) => host.trim().toLowerCase()))].sort();
  const left = norm(a);
  const right = norm(b);
  return left.length === right.length && left.every((host, index) => host === right[index]);
}

export interface MetaConfigInput {
  ensemble: TargetEnsemble;
  oldRoot: string;
  /** The cluster root on the target connection (before the chroot). */
  newRoot: string;
  /** The lock dir found on the old ensemble (`<lock root>/dsn.meta.server.leader`), if any. */
  oldLockDir: string | null;
}

/** hosts_list always; cluster_root and the lock root only when the root moves. */
export function metaConfigForEnsemble(input: MetaConfigInput): GeneratedCommand[] {
  const commands = [zookeeperHostsConfig(input.ensemble.hostsList)];
  const root = metaRootOn(input.ensemble, input.newRoot);
  if (root === input.oldRoot) return commands;
  commands.push(clusterRootConfig(root));
  const oldLockRoot = input.oldLockDir ? parentZkPath(input.oldLockDir) : `${input.oldRoot}/lock`;
  const moved =
    oldLockRoot === input.oldRoot
      ? root
      : oldLockRoot.startsWith(`${input.oldRoot}/`)
        ? `${root === '/' ? '' : root}${oldLockRoot.slice(input.oldRoot.length)}`
        : null;
  commands.push({
    label: 'config.ini of every meta server: [meta_server] (the leader lock moves with the root)',
    kind: 'config',
    text:
      moved === null
        ? `[meta_server]\n# the lock root ${oldLockRoot} is outside the cluster root: set it for the new ensemble\ndistributed_lock_service_parameters = ${oldLockRoot}`
        : `[meta_server]\ndistributed_lock_service_parameters = ${moved}`,
  });
  return commands;
}
