/**
 * A client for the meta servers' HTTP API (reference §5): `/meta/cluster`, `/meta/nodes`,
 * `/meta/apps`. The HTTP server shares the meta's RPC port (34601 by default).
 *
 * A meta that is not the leader answers these endpoints with 307 and
 * `Location: http://<leader>/<path>?<args>` (`redirect_if_not_primary`). Redirects are followed by
 * hand (`redirect: 'manual'`) so the hop count is bounded and the answer says which server it came
 * from. Servers in the list are tried in order: an unreachable or slow one is skipped, an HTTP
 * error from a reachable one is final. Every answer carries `fetchedAt`, so views can tell ZooKeeper
 * facts from HTTP facts and how old each is.
 *
 * All values in these payloads are JSON strings (`table_printer` kJsonCompact); the parsers below
 * turn counts and figures into numbers.
 */
import { deadlineSignal } from '../platform/deadline-signal';
import { isHostPort } from './decoders/host-port';

export type MetaHttpErrorCode =
  | 'BAD_ARGUMENTS'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'HTTP_STATUS'
  | 'BAD_RESPONSE'
  | 'BAD_REDIRECT'
  | 'TOO_MANY_REDIRECTS';

export interface MetaHttpAttempt {
  server: string;
  error: string;
}

export class MetaHttpError extends Error {
  override name = 'MetaHttpError';
  constructor(
    readonly code: MetaHttpErrorCode,
    message: string,
    readonly details: { status?: number; url?: string; attempts?: MetaHttpAttempt[] } = {},
  ) {
    super(message);
  }
}

export interface MetaHttpOptions {
  /** Per request (each hop), default 5000 ms. */
  timeoutMs?: number;
  /** 307 hops followed per server tried, default 3. */
  maxRedirects?: number;
  /** For tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
}

export interface MetaHttpResponse<T> {
  data: T;
  /** Epoch ms when the answer arrived. */
  fetchedAt: number;
  /** host:port of the meta server that answered (the leader, after redirects). */
  server: string;
  url: string;
  /** URLs that answered 307, in order. */
  redirects: string[];
  /** Servers skipped before this one, and why. */
  skipped: MetaHttpAttempt[];
}

export const META_HTTP_DEFAULTS = { timeoutMs: 5000, maxRedirects: 3 } as const;

/** Accepts "h1:34601,h2:34601" or a list; entries must be host:port. */
export function parseMetaServers(servers: string | readonly string[]): string[] {
  const list = (typeof servers === 'string' ? servers.split(',') : [...servers])
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new MetaHttpError('BAD_ARGUMENTS', 'No meta server given: expected host:port[,host:port]');
  const bad = list.filter((server) => !isHostPort(server));
  if (bad.length > 0) {
    throw new MetaHttpError(
      'BAD_ARGUMENTS',
      `Meta servers must be host:port, got ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
    );
  }
  return list;
}

function describeFetchError(error: unknown, timeoutMs: number): { code: MetaHttpErrorCode; message: string } {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError') return { code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms` };
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { code: 'UNREACHABLE', message: `cannot connect (${detail})` };
}

/** Resolves a Location header; the meta builds it as `http://<leader>/<path>`, which may double the slash. */
function redirectTarget(location: string | null, from: URL): URL {
  if (!location)
    throw new MetaHttpError('BAD_REDIRECT', `${from.href} answered 307 without a Location header`);
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new MetaHttpError(
      'BAD_REDIRECT',
      `${from.href} redirected to ${JSON.stringify(location)}, which is not a URL: the meta server may not know the leader`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new MetaHttpError(
      'BAD_REDIRECT',
      `${from.href} redirected to a non-HTTP URL ${JSON.stringify(location)}`,
    );
  }
  target.pathname = target.pathname.replace(/\/{2,}/g, '/');
  return target;
}

async function getFromServer(
  server: string,
  path: string,
  query: string,
  options: Required<Pick<MetaHttpOptions, 'timeoutMs' | 'maxRedirects'>> & MetaHttpOptions,
): Promise<MetaHttpResponse<unknown>> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let url = new URL(`http://${server}${path}${query ? `?${query}` : ''}`);
  const redirects: string[] = [];
  for (let hop = 0; ; hop += 1) {
    const deadline = deadlineSignal(options.timeoutMs, options.signal);
    const signal = deadline.signal;
    let response: Response;
    let body: string;
    try {
      response = await fetchImpl(url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'application/json' },
      });
      body = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const { code, message } = describeFetchError(error, options.timeoutMs);
      throw new MetaHttpError(code, `${url.host}: ${message}`, { url: url.href });
    } finally {
      deadline.clear();
    }
    if (
      response.status === 307 ||
      response.status === 308 ||
      response.status === 302 ||
      response.status === 301
    ) {
      redirects.push(url.href);
      if (hop >= options.maxRedirects) {
        throw new MetaHttpError(
          'TOO_MANY_REDIRECTS',
          `Gave up after ${options.maxRedirects} redirects (${redirects.join(' -> ')}): the meta servers disagree on the leader`,
          { url: url.href },
        );
      }
      url = redirectTarget(response.headers.get('location'), url);
      continue;
    }
    if (!response.ok) {
      const text = body.trim().slice(0, 200);
      throw new MetaHttpError(
        'HTTP_STATUS',
        `${url.href} answered ${response.status}${text ? `: ${text}` : ''}`,
        {
          status: response.status,
          url: url.href,
        },
      );
    }
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      throw new MetaHttpError(
        'BAD_RESPONSE',
        `${url.href} did not answer JSON: ${JSON.stringify(body.slice(0, 80))}`,
        {
          url: url.href,
        },
      );
    }
    return { data, fetchedAt: Date.now(), server: url.host, url: url.href, redirects, skipped: [] };
  }
}

/**
 * GETs `path` from the first meta server that answers, following redirects to the leader.
 * Unreachable or timed-out servers are skipped; when all are, the error lists each attempt.
 */
export async function metaHttpGet(
  servers: string | readonly string[],
  path: string,
  query = '',
  options: MetaHttpOptions = {},
): Promise<MetaHttpResponse<unknown>> {
  const list = parseMetaServers(servers);
  const resolved = {
    ...options,
    timeoutMs: options.timeoutMs ?? META_HTTP_DEFAULTS.timeoutMs,
    maxRedirects: options.maxRedirects ?? META_HTTP_DEFAULTS.maxRedirects,
  };
  const skipped: MetaHttpAttempt[] = [];
  for (const server of list) {
    try {
      const response = await getFromServer(server, path, query, resolved);
      return { ...response, skipped };
    } catch (error) {
      if (error instanceof MetaHttpError && (error.code === 'UNREACHABLE' || error.code === 'TIMEOUT')) {
        skipped.push({ server, error: error.message });
        continue;
      }
      throw error;
    }
  }
  const allTimedOut =
    skipped.length > 0 && skipped.every((attempt) => attempt.error.includes('no answer within'));
  throw new MetaHttpError(
    allTimedOut ? 'TIMEOUT' : 'UNREACHABLE',
    `No meta server answered ${path}: ${skipped.map((attempt) => attempt.error).join('; ')}`,
    { attempts: skipped },
  );
}

// ------------------------------------------------------------------ payload parsers

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MetaHttpError('BAD_RESPONSE', `${what} should be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function text(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Numbers arrive as strings ("0.00", "8"); "-" and absent values become null. */
function numberOf(record: Record<string, unknown>, key: string): number | null {
  const value = record[key];
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '' || value === '-') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function list(value: string | null): string[] {
  return value === null
    ? []
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
}

export interface MetaClusterInfo {
  metaServers: string[];
  primaryMetaServer: string | null;
  zookeeperHosts: string[];
  zookeeperRoot: string | null;
  /** Without the `fl_` prefix: 'steady', 'lively', 'blind', 'freezed', 'stopped'. Not in ZooKeeper (§1.6). */
  metaFunctionLevel: string | null;
  /** JSON text on master ({move_pri,copy_pri,copy_sec,total}), a number on older versions; kept as text. */
  balanceOperationCount: string | null;
  primaryReplicaCountStddev: number | null;
  totalReplicaCountStddev: number | null;
  /** Keys beyond the documented ones (e.g. cluster_name, which the RPC has but this endpoint does not). */
  extra: Record<string, string | null>;
}

const CLUSTER_KEYS = [
  'meta_servers',
  'primary_meta_server',
  'zookeeper_hosts',
  'zookeeper_root',
  'meta_function_level',
  'balance_operation_count',
  'primary_replica_count_stddev',
  'total_replica_count_stddev',
];

export function parseMetaCluster(json: unknown): MetaClusterInfo {
  const record = asRecord(json, '/meta/cluster');
  const extra: Record<string, string | null> = {};
  for (const key of Object.keys(record)) if (!CLUSTER_KEYS.includes(key)) extra[key] = text(record, key);
  return {
    metaServers: list(text(record, 'meta_servers')),
    primaryMetaServer: text(record, 'primary_meta_server'),
    zookeeperHosts: list(text(record, 'zookeeper_hosts')),
    zookeeperRoot: text(record, 'zookeeper_root'),
    metaFunctionLevel: text(record, 'meta_function_level'),
    balanceOperationCount: text(record, 'balance_operation_count'),
    primaryReplicaCountStddev: numberOf(record, 'primary_replica_count_stddev'),
    totalReplicaCountStddev: numberOf(record, 'total_replica_count_stddev'),
    extra,
  };
}

export interface MetaNode {
  address: string;
  status: 'ALIVE' | 'UNALIVE' | string;
  /** Only with `detail`. */
  replicaCount: number | null;
  primaryCount: number | null;
  secondaryCount: number | null;
}

export interface MetaNodes {
  nodes: MetaNode[];
  totalNodeCount: number | null;
  aliveNodeCount: number | null;
  unaliveNodeCount: number | null;
}

export function parseMetaNodes(json: unknown): MetaNodes {
  const record = asRecord(json, '/meta/nodes');
  const details = record.details === undefined ? {} : asRecord(record.details, '/meta/nodes details');
  const summary = record.summary === undefined ? {} : asRecord(record.summary, '/meta/nodes summary');
  const nodes = Object.entries(details).map(([key, value]) => {
    const row = asRecord(value, `/meta/nodes details.${key}`);
    return {
      address: text(row, 'address') ?? key,
      status: text(row, 'status') ?? 'UNKNOWN',
      replicaCount: numberOf(row, 'replica_count'),
      primaryCount: numberOf(row, 'primary_count'),
      secondaryCount: numberOf(row, 'secondary_count'),
    };
  });
  return {
    nodes: nodes.sort((a, b) => a.address.localeCompare(b.address)),
    totalNodeCount: numberOf(summary, 'total_node_count'),
    aliveNodeCount: numberOf(summary, 'alive_node_count'),
    unaliveNodeCount: numberOf(summary, 'unalive_node_count'),
  };
}

export interface MetaApp {
  appId: number;
  /** 'AVAILABLE' (the endpoint lists available tables only). */
  status: string | null;
  appName: string | null;
  appType: string | null;
  partitionCount: number | null;
  replicaCount: number | null;
  isStateful: boolean | null;
  /** "YYYY-MM-DD hh:mm:ss.mmm" in the meta's local time, or null for "-". */
  createTime: string | null;
  envsCount: number | null;
  /** Only with `detail`: the shell's health counts as the leader computes them. */
  health: {
    fullyHealthy: number | null;
    unhealthy: number | null;
    writeUnhealthy: number | null;
    readUnhealthy: number | null;
  } | null;
}

export interface MetaApps {
  apps: MetaApp[];
  totalAppCount: number | null;
  /** Present with `detail` (and at least one available table). */
  healthSummary: {
    fullyHealthyAppCount: number | null;
    unhealthyAppCount: number | null;
    writeUnhealthyAppCount: number | null;
    readUnhealthyAppCount: number | null;
  } | null;
}

function dashToNull(value: string | null): string | null {
  return value === '-' ? null : value;
}

export function parseMetaApps(json: unknown): MetaApps {
  const record = asRecord(json, '/meta/apps');
  const general =
    record.general_info === undefined ? {} : asRecord(record.general_info, '/meta/apps general_info');
  const healthy =
    record.healthy_info === undefined ? null : asRecord(record.healthy_info, '/meta/apps healthy_info');
  const summary = record.summary === undefined ? {} : asRecord(record.summary, '/meta/apps summary');
  const apps = Object.entries(general).map(([key, value]): MetaApp => {
    const row = asRecord(value, `/meta/apps general_info.${key}`);
    const healthRow =
      healthy?.[key] === undefined ? null : asRecord(healthy[key], `/meta/apps healthy_info.${key}`);
    const stateful = text(row, 'is_stateful');
    return {
      appId: numberOf(row, 'app_id') ?? Number(key),
      status: text(row, 'status'),
      appName: text(row, 'app_name'),
      appType: text(row, 'app_type'),
      partitionCount: numberOf(row, 'partition_count'),
      replicaCount: numberOf(row, 'replica_count'),
      isStateful: stateful === null ? null : stateful === 'true' || stateful === '1',
      createTime: dashToNull(text(row, 'create_time')),
      envsCount: numberOf(row, 'envs_count'),
      health: healthRow
        ? {
            fullyHealthy: numberOf(healthRow, 'fully_healthy'),
            unhealthy: numberOf(healthRow, 'unhealthy'),
            writeUnhealthy: numberOf(healthRow, 'write_unhealthy'),
            readUnhealthy: numberOf(healthRow, 'read_unhealthy'),
          }
        : null,
    };
  });
  return {
    apps: apps.sort((a, b) => a.appId - b.appId),
    totalAppCount: numberOf(summary, 'total_app_count'),
    healthSummary:
      'fully_healthy_app_count' in summary
        ? {
            fullyHealthyAppCount: numberOf(summary, 'fully_healthy_app_count'),
            unhealthyAppCount: numberOf(summary, 'unhealthy_app_count'),
            writeUnhealthyAppCount: numberOf(summary, 'write_unhealthy_app_count'),
            readUnhealthyAppCount: numberOf(summary, 'read_unhealthy_app_count'),
          }
        : null,
  };
}

async function fetchParsed<T>(
  servers: string | readonly string[],
  path: string,
  query: string,
  parse: (json: unknown) => T,
  options: MetaHttpOptions,
): Promise<MetaHttpResponse<T>> {
  const response = await metaHttpGet(servers, path, query, options);
  try {
    return { ...response, data: parse(response.data) };
  } catch (error) {
    if (error instanceof MetaHttpError) {
      throw new MetaHttpError('BAD_RESPONSE', `${response.url}: ${error.message}`, { url: response.url });
    }
    throw error;
  }
}

/** `/meta/cluster`: meta servers, leader, ZooKeeper hosts and root, function level, balance figures. */
export function fetchMetaCluster(
  servers: string | readonly string[],
  options: MetaHttpOptions = {},
): Promise<MetaHttpResponse<MetaClusterInfo>> {
  return fetchParsed(servers, '/meta/cluster', '', parseMetaCluster, options);
}

/** `/meta/nodes[?detail]`: ALIVE / UNALIVE replica servers, with replica counts when detailed. */
export function fetchMetaNodes(
  servers: string | readonly string[],
  options: MetaHttpOptions & { detail?: boolean } = {},
): Promise<MetaHttpResponse<MetaNodes>> {
  return fetchParsed(servers, '/meta/nodes', options.detail ? 'detail' : '', parseMetaNodes, options);
}

/** `/meta/apps[?detail]`: available tables, with the leader's health counts when detailed. */
export function fetchMetaApps(
  servers: string | readonly string[],
  options: MetaHttpOptions & { detail?: boolean } = {},
): Promise<MetaHttpResponse<MetaApps>> {
  return fetchParsed(servers, '/meta/apps', options.detail ? 'detail' : '', parseMetaApps, options);
}
