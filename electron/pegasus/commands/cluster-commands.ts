/**
 * Cluster-level shell commands (reference §6.2): cluster_info, ls, nodes, the meta function level,
 * recover, remote_command and server_info.
 */
import type { GeneratedCommand } from '../../../shared/api/runs';
import { type MetaLevel, META_LEVELS } from '../shell-output/meta-level';
import { checkInteger, checkIpv4Address, checkOneOf, checkText, pegasusShellCommand } from './generated';
import { CommandOptionError } from './quoting';

export function clusterInfoCommand(options: { json?: boolean; outFile?: string } = {}): GeneratedCommand {
  const argv = ['cluster_info'];
  if (options.json) argv.push('-j');
  if (options.outFile) argv.push('-o', options.outFile);
  return pegasusShellCommand('Cluster facts (meta servers, leader, ZooKeeper hosts and root, level)', [argv]);
}

export interface LsOptions {
  /** -d: add [healthy_info]. */
  detailed?: boolean;
  /** -a: dropped tables too. */
  all?: boolean;
  json?: boolean;
  /** -o: write the tables to this file (on the shell's host). */
  outFile?: string;
  status?: 'all' | 'available' | 'creating' | 'dropping' | 'dropped';
}

export function lsCommand(options: LsOptions = {}): GeneratedCommand {
  const argv = ['ls'];
  if (options.all) argv.push('-a');
  if (options.detailed) argv.push('-d');
  if (options.json) argv.push('-j');
  if (options.status) argv.push('-s', options.status);
  if (options.outFile) argv.push('-o', checkText(options.outFile, 'ls -o file'));
  return pegasusShellCommand(
    options.outFile ? `Save the table list to ${options.outFile}` : 'List the tables',
    [argv],
  );
}

export function nodesCommand(
  options: { detailed?: boolean; outFile?: string; status?: 'all' | 'alive' | 'unalive' } = {},
): GeneratedCommand {
  const argv = ['nodes'];
  if (options.detailed ?? true) argv.push('-d');
  if (options.status) argv.push('-s', options.status);
  if (options.outFile) argv.push('-o', checkText(options.outFile, 'nodes -o file'));
  return pegasusShellCommand(
    options.outFile ? `Save the replica server list to ${options.outFile}` : 'List the replica servers',
    [argv],
  );
}

export function setMetaLevelCommand(level: MetaLevel): GeneratedCommand {
  const checked = checkOneOf(level, META_LEVELS, 'The meta level');
  return pegasusShellCommand(`Set the meta function level to ${checked} (held in the leader's memory only)`, [
    ['set_meta_level', checked],
  ]);
}

export function getMetaLevelCommand(): GeneratedCommand {
  return pegasusShellCommand('Read the meta function level', [['get_meta_level']]);
}

export interface RecoverOptions {
  /** The node list file on the shell's host (see recoverNodeListFile). */
  nodeListFile: string;
  /** -w, default 100 s in the shell. */
  waitSeconds?: number;
  /** -b: go on when a node cannot be reached (its replicas are lost). */
  skipBadNodes?: boolean;
  /** -l: recreate partitions no node has, empty (their data is lost). */
  skipLostPartitions?: boolean;
}

export function recoverCommand(options: RecoverOptions): GeneratedCommand {
  const argv = ['recover', '-f', checkText(options.nodeListFile, 'The node list file')];
  if (options.waitSeconds !== undefined)
    argv.push('-w', checkInteger(options.waitSeconds, 'recover -w (seconds)', 1));
  if (options.skipBadNodes) argv.push('-b');
  if (options.skipLostPartitions) argv.push('-l');
  return pegasusShellCommand('Rebuild the metadata from the replica servers (needs Recover result: ERR_OK)', [
    argv,
  ]);
}

export interface RemoteCommandOptions {
  command: string;
  args?: readonly string[];
  /** -t, or -l with explicit nodes (the two are exclusive). */
  target?: 'all' | 'meta-server' | 'replica-server';
  nodes?: readonly string[];
}

export function remoteCommand(options: RemoteCommandOptions, label?: string): GeneratedCommand {
  if (options.target && options.nodes?.length) {
    throw new CommandOptionError(
      'remote_command takes either a node type (-t) or a node list (-l), not both',
    );
  }
  if (!/^[A-Za-z0-9_.*-]+$/.test(options.command)) {
    throw new CommandOptionError(`${JSON.stringify(options.command)} is not a remote command name`);
  }
  const argv = ['remote_command'];
  if (options.target) argv.push('-t', options.target);
  if (options.nodes?.length)
    argv.push('-l', options.nodes.map((node) => checkIpv4Address(node, 'remote_command -l')).join(','));
  argv.push(options.command, ...(options.args ?? []));
  return pegasusShellCommand(label ?? `Run ${options.command} on the servers`, [argv]);
}

export function serverInfoCommand(
  target: 'all' | 'meta-server' | 'replica-server' = 'all',
): GeneratedCommand {
  return pegasusShellCommand('Server versions and start times', [
    target === 'all' ? ['server_info'] : ['server_info', '-t', target],
  ]);
}
