/**
 * "Check tools" for a cluster profile: what works and what does not, item by item, each with the
 * fix. The shell is checked for real (its binary, its config's [pegasus.clusters] entry, then
 * `cluster_info` through it, parsed into the cluster's facts); admin-cli by its binary and the
 * addresses it accepts; the meta HTTP API by asking for /meta/cluster (following 307 to the leader,
 * and saying so when the leader a follower names does not answer).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { deadlineSignal } from '../../platform/deadline-signal';
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import { clusterInfoCommand } from '../commands/cluster-commands';
import { toolLines } from '../commands/generated';
import { fetchMetaCluster, type MetaClusterInfo, MetaHttpError } from '../meta-http';
import { parseClusterInfo, type ShellClusterInfo } from '../shell-output/cluster-info';
import { excerpt, shellLines } from '../shell-output/shell-text';
import { ToolRunError } from './tool-run-error';
import { adminCliRunnerFor, shellRunnerFor, type ToolRunnerDeps, toolOutput } from './tool-runners';
import { countOf } from '../../../shared/plural';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export interface CheckItem {
  id: string;
  label: string;
  status: CheckStatus;
  message: string;
}

export interface ProfileCheckResult {
  checkedAt: number;
  durationMs: number;
  items: CheckItem[];
  /** cluster_info through the shell, when it answered. */
  facts: ShellClusterInfo | null;
  /** /meta/cluster, when a meta server answered. */
  metaHttpFacts: MetaClusterInfo | null;
  /** The argv the shell was started with (redacted). */
  shellArgv: string[] | null;
  /** The shell's output when cluster_info did not parse, so the operator sees what it said. */
  shellOutput: string | null;
}

export interface ProfileCheckOptions {
  /** For cluster_info through the shell, default 20 s. */
  shellTimeoutMs?: number;
  /** Per meta HTTP request, default 3 s. */
  httpTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where a binary is: itself when it has a slash, else the first executable match on PATH. */
export function locateBinary(binary: string): string | null {
  if (binary.includes('/')) return executable(binary) ? binary : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, binary))) return join(dir, binary);
  }
  return null;
}

function binaryItem(id: string, label: string, binary: string, fix: string): CheckItem {
  const found = locateBinary(binary);
  if (found) return { id, label, status: 'ok', message: `Found ${found}` };
  let exists = false;
  try {
    exists = binary.includes('/') && statSync(binary) !== undefined;
  } catch {
    exists = false;
  }
  return {
    id,
    label,
    status: 'fail',
    message: exists
      ? `${binary} exists but cannot be executed: check it is a program with the execute permission (chmod +x), or ${fix}`
      : `${binary.includes('/') ? binary : `'${binary}' on PATH`} was not found: ${fix}`,
  };
}

/** `[pegasus.clusters]` of a shell config: name -> meta list. */
export function clustersOfShellConfig(text: string): Record<string, string> {
  const clusters: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[;#].*$/, '').trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!.trim();
    else if (section === 'pegasus.clusters') {
      const entry = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (entry) clusters[entry[1]!] = entry[2]!;
    }
  }
  return clusters;
}

function shellConfigItem(config: string, clusterName: string): CheckItem {
  const base = { id: 'shell-config', label: 'Shell config' };
  let text: string;
  try {
    text = readFileSync(config, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return {
      ...base,
      status: 'fail',
      message: `${config} cannot be read (${code}): set the config path in the cluster profile`,
    };
  }
  const clusters = clustersOfShellConfig(text);
  const metas = clusters[clusterName];
  if (metas === undefined) {
    const known = Object.keys(clusters);
    return {
      ...base,
      status: 'fail',
      message:
        `${clusterName} is not listed under [pegasus.clusters] in ${config}` +
        `${known.length > 0 ? ` (it lists ${known.join(', ')})` : ''}: add "${clusterName} = <meta ip:port,…>" there, ` +
        'or pick a listed cluster name',
    };
  }
  return { ...base, status: 'ok', message: `[pegasus.clusters] ${clusterName} = ${metas}` };
}

async function shellItems(
  profile: PegasusProfile,
  deps: ToolRunnerDeps,
  options: ProfileCheckOptions,
): Promise<{
  items: CheckItem[];
  facts: ShellClusterInfo | null;
  argv: string[] | null;
  output: string | null;
}> {
  const tool = profile.tools.shell;
  if (!tool) {
    return {
      items: [
        {
          id: 'shell-binary',
          label: 'Pegasus shell',
          status: 'skipped',
          message: 'No shell configured: steps that need it show the commands to run by hand',
        },
      ],
      facts: null,
      argv: null,
      output: null,
    };
  }
  const fix = 'set the shell path in the cluster profile, or run the steps manually';
  const items: CheckItem[] = [];
  if (tool.kind === 'run.sh') {
    items.push(
      binaryItem(
        'shell-binary',
        'Pegasus shell (run.sh)',
        `${tool.pegasusDir.replace(/\/+$/, '')}/run.sh`,
        fix,
      ),
    );
  } else {
    items.push(binaryItem('shell-binary', 'Pegasus shell (pegasus_shell)', tool.binary, fix));
    items.push(shellConfigItem(tool.config, tool.clusterName));
  }
  const { runner, reason } = shellRunnerFor(profile, deps);
  const blocked = items.some((item) => item.status === 'fail');
  if (!runner || blocked) {
    items.push({
      id: 'shell-cluster',
      label: 'cluster_info through the shell',
      status: 'skipped',
      message: reason ?? 'Not run: fix the items above first',
    });
    return { items, facts: null, argv: runner?.describe() ?? null, output: null };
  }
  const label = 'cluster_info through the shell';
  try {
    const result = await runner.run(toolLines(clusterInfoCommand()), {
      timeoutMs: options.shellTimeoutMs ?? 20_000,
    });
    const text = toolOutput(result);
    const parsed = parseClusterInfo(text);
    if (!parsed.ok) {
      items.push({ id: 'shell-cluster', label, status: 'fail', message: parsed.error.message });
      return { items, facts: null, argv: result.argv, output: excerpt(shellLines(text), 40) };
    }
    const facts = parsed.value;
    items.push({
      id: 'shell-cluster',
      label,
      status: 'ok',
      message:
        `Reached ${facts.clusterName ?? 'the cluster'}: leader ${facts.primaryMetaServer ?? '?'}, ` +
        `level ${facts.metaFunctionLevel ?? '?'}, ZooKeeper ${facts.zookeeperHosts.join(',')}${facts.zookeeperRoot ?? ''}`,
    });
    return { items, facts, argv: result.argv, output: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    items.push({ id: 'shell-cluster', label, status: 'fail', message });
    const partial = error instanceof ToolRunError && error.partial ? toolOutput(error.partial) : null;
    return {
      items,
      facts: null,
      argv: error instanceof ToolRunError ? [...error.argv] : runner.describe(),
      output: partial ? excerpt(shellLines(partial), 40) : null,
    };
  }
}

function adminCliItems(profile: PegasusProfile, deps: ToolRunnerDeps): CheckItem[] {
  const binary = profile.tools.adminCli;
  if (!binary) {
    return [
      {
        id: 'admin-cli',
        label: 'admin-cli',
        status: 'skipped',
        message: 'No admin-cli configured: steps that need it show the commands to run by hand',
      },
    ];
  }
  const items = [
    binaryItem(
      'admin-cli',
      'admin-cli',
      binary,
      'set the admin-cli path in the cluster profile, or run the steps manually',
    ),
  ];
  const { reason } = adminCliRunnerFor(profile, deps);
  items.push(
    reason
      ? { id: 'admin-cli-metas', label: 'admin-cli meta addresses', status: 'fail', message: reason }
      : {
          id: 'admin-cli-metas',
          label: 'admin-cli meta addresses',
          status: 'ok',
          message: `Will start as admin-cli -m ${profile.metaServers.join(',')} (not run by the check)`,
        },
  );
  return items;
}

/** Asks one server without following its redirect, to say who it points at. */
async function probe(server: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<string> {
  const deadline = deadlineSignal(timeoutMs);
  try {
    const response = await fetchImpl(`http://${server}/meta/cluster`, {
      redirect: 'manual',
      signal: deadline.signal,
    });
    await response.text();
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location') ?? '';
      let leader = location;
      try {
        leader = new URL(location).host;
      } catch {
        // Keep the raw header: the meta may not know the leader ("invalid host_port").
      }
      return `${server} is a follower and redirects to ${leader || '(no Location)'}`;
    }
    return `${server} answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as { name?: string }).name;
    return `${server} ${name === 'TimeoutError' ? `gave no answer within ${timeoutMs} ms` : `cannot be reached (${cause ?? 'error'})`}`;
  } finally {
    deadline.clear();
  }
}

async function metaHttpItem(
  profile: PegasusProfile,
  options: ProfileCheckOptions,
): Promise<{ item: CheckItem; facts: MetaClusterInfo | null }> {
  const base = { id: 'meta-http', label: 'Meta HTTP API (/meta/cluster)' };
  if (profile.metaServers.length === 0) {
    return { item: { ...base, status: 'skipped', message: 'No meta servers in the profile' }, facts: null };
  }
  const timeoutMs = options.httpTimeoutMs ?? 3000;
  const fetchImpl = options.fetchImpl ?? fetch;
  try {
    const response = await fetchMetaCluster(profile.metaServers, { timeoutMs, maxRedirects: 2, fetchImpl });
    const via =
      response.redirects.length > 0
        ? ` after ${countOf(response.redirects.length, 'redirect')} to the leader`
        : '';
    const skipped =
      response.skipped.length > 0 ? `; skipped ${response.skipped.map((s) => s.error).join('; ')}` : '';
    return {
      item: {
        ...base,
        status: response.skipped.length > 0 ? 'warn' : 'ok',
        message: `${response.server} answered${via}: leader ${response.data.primaryMetaServer ?? '?'}, level ${
          response.data.metaFunctionLevel ?? '?'
        }${skipped}`,
      },
      facts: response.data,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof MetaHttpError) || error.code === 'BAD_ARGUMENTS') {
      return { item: { ...base, status: 'fail', message }, facts: null };
    }
    // Say per server what happened: a follower naming a leader that does not answer reads very
    // differently from a meta that is down (an election may be under way).
    const probes = await Promise.all(
      profile.metaServers.map((server) => probe(server, timeoutMs, fetchImpl)),
    );
    const redirected = probes.filter((line) => line.includes('redirects to'));
    const advice =
      redirected.length > 0
        ? 'The leader these followers name does not answer: it may have just died (an election takes a few seconds) or be unreachable from here. Retry, then check the meta servers.'
        : 'Check that the meta servers run and that this machine reaches their HTTP port (the RPC port, 34601 by default).';
    return {
      item: { ...base, status: 'fail', message: `${message}. ${probes.join('; ')}. ${advice}` },
      facts: null,
    };
  }
}

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) =>
    [...list]
      .map((x) => x.trim().toLowerCase())
      .sort()
      .join(',');
  return norm(a) === norm(b);
}

/** Where what the cluster says disagrees with the profile: worth a look before a runbook relies on it. */
function factItems(
  profile: PegasusProfile,
  facts: ShellClusterInfo | null,
  http: MetaClusterInfo | null,
): CheckItem[] {
  const items: CheckItem[] = [];
  const source = facts ?? http;
  if (!source) return items;
  if (profile.clusterRoot && source.zookeeperRoot && source.zookeeperRoot !== profile.clusterRoot) {
    items.push({
      id: 'fact-root',
      label: 'Cluster root',
      status: 'warn',
      message: `The meta servers use ${source.zookeeperRoot}, the profile says ${profile.clusterRoot}: fix the profile's cluster root`,
    });
  }
  if (
    profile.metaServers.length > 0 &&
    source.metaServers.length > 0 &&
    !sameHosts(profile.metaServers, source.metaServers)
  ) {
    items.push({
      id: 'fact-metas',
      label: 'Meta servers',
      status: 'warn',
      message: `The cluster lists ${source.metaServers.join(',')}, the profile ${profile.metaServers.join(',')}`,
    });
  }
  if (
    facts &&
    http &&
    facts.primaryMetaServer &&
    http.primaryMetaServer &&
    facts.primaryMetaServer !== http.primaryMetaServer
  ) {
    items.push({
      id: 'fact-leader',
      label: 'Meta leader',
      status: 'warn',
      message: `The shell saw ${facts.primaryMetaServer} as leader, HTTP ${http.primaryMetaServer}: a failover may be under way`,
    });
  }
  // Both come from the leader: a different root means the shell's config and the profile's meta
  // servers name two different clusters.
  if (facts?.zookeeperRoot && http?.zookeeperRoot && facts.zookeeperRoot !== http.zookeeperRoot) {
    items.push({
      id: 'fact-two-clusters',
      label: 'Shell and meta HTTP',
      status: 'warn',
      message: `The shell's cluster uses ${facts.zookeeperRoot}, the meta servers' HTTP answer ${http.zookeeperRoot}: the shell config and the profile's meta servers may name different clusters`,
    });
  }
  return items;
}

export async function checkProfileTools(
  profile: PegasusProfile,
  deps: ToolRunnerDeps,
  options: ProfileCheckOptions = {},
): Promise<ProfileCheckResult> {
  const checkedAt = Date.now();
  const started = performance.now();
  const [shell, http] = await Promise.all([
    shellItems(profile, deps, options),
    metaHttpItem(profile, options),
  ]);
  const items = [
    ...shell.items,
    ...adminCliItems(profile, deps),
    http.item,
    ...factItems(profile, shell.facts, http.facts),
  ];
  return {
    checkedAt,
    durationMs: Math.round(performance.now() - started),
    items,
    facts: shell.facts,
    metaHttpFacts: http.facts,
    shellArgv: shell.argv,
    shellOutput: shell.output,
  };
}
