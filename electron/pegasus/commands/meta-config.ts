/**
 * Meta server config lines the ZooKeeper migrations change (reference §1.1, §8), and the node list
 * file `recover -f` reads (one ip:port per line; `#` and `;` start comments).
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { parseConnectString } from '../../../shared/connect-string';
import { checkIpv4Address, checkText } from './generated';
import { CommandOptionError, posixQuote } from './quoting';

/** `[zookeeper] hosts_list = h1:2181,h2:2181` (no chroot: the cluster root is `[meta_server] cluster_root`). */
export function zookeeperHostsConfig(hosts: string): GeneratedCommand {
  const parsed = parseConnectString(hosts);
  if (!parsed.ok) throw new CommandOptionError(`ZooKeeper hosts: ${parsed.error}`);
  if (parsed.value.chroot) {
    throw new CommandOptionError(
      `hosts_list takes host:port only; put ${parsed.value.chroot} in [meta_server] cluster_root instead`,
    );
  }
  return {
    label: 'config.ini of every meta server: [zookeeper]',
    kind: 'config',
    text: `[zookeeper]\nhosts_list = ${parsed.value.hosts.map((host) => `${host.host}:${host.port}`).join(',')}`,
  };
}

/** `[meta_server] recover_from_replica_server = true|false`. Leave it true past recovery and the next restart crashes. */
export function recoverFromReplicaServerConfig(enabled: boolean): GeneratedCommand {
  return {
    label: enabled
      ? 'config.ini of the meta server to start: [meta_server] (recovery mode)'
      : 'config.ini of every meta server: [meta_server] (back to normal; a restart with true crashes the meta)',
    kind: 'config',
    text: `[meta_server]\nrecover_from_replica_server = ${enabled}`,
  };
}

export function clusterRootConfig(root: string): GeneratedCommand {
  return {
    label: 'config.ini of every meta server: [meta_server]',
    kind: 'config',
    text: `[meta_server]\ncluster_root = ${checkText(root, 'Cluster root')}`,
  };
}

/** The file's contents: the ALIVE replica servers, one per line, after a comment saying where they came from. */
export function recoverNodeListContents(nodes: readonly string[], source: string): string {
  if (nodes.length === 0)
    throw new CommandOptionError('The recover node list is empty: recover needs every replica server');
  const checked = nodes.map((node) => checkIpv4Address(node, 'recover node list'));
  const duplicate = checked.find((node, index) => checked.indexOf(node) !== index);
  if (duplicate) throw new CommandOptionError(`The recover node list names ${duplicate} twice`);
  return [`# Replica servers for recover -f, ${source.replace(/[\r\n]+/g, ' ')}`, ...checked, ''].join('\n');
}

/** The node list as a file to review, and the command that writes it on the shell's host. */
export function recoverNodeListFile(
  nodes: readonly string[],
  path: string,
  source: string,
): GeneratedCommand[] {
  const contents = recoverNodeListContents(nodes, source);
  checkText(path, 'Node list file');
  let delimiter = 'MDESK_EOF';
  while (contents.split('\n').includes(delimiter)) delimiter += '_';
  return [
    { label: `${path} (one replica server per line)`, kind: 'config', text: contents.trimEnd() },
    {
      label: `Write ${path} on the shell's host`,
      kind: 'shell',
      text: `cat > ${posixQuote(path)} <<'${delimiter}'\n${contents}${delimiter}`,
    },
  ];
}
