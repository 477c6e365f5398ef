/**
 * The meta servers' HTTP view of a cluster next to what ZooKeeper says, fact by fact, each side
 * labelled with where it came from and when (issue 4, item 8). ZooKeeper facts date from the
 * model's load; HTTP facts from the answer. The function level and liveness exist only over HTTP
 * (reference §1.2, §1.6); the rest can disagree, e.g. a lock holder that is not the leader the meta
 * servers report, or a ZooKeeper root other than the one being browsed.
 */
import type { ClusterOverview } from './cluster-views';
import {
  fetchMetaApps,
  fetchMetaCluster,
  fetchMetaNodes,
  type MetaApps,
  type MetaClusterInfo,
  MetaHttpError,
  type MetaHttpOptions,
  type MetaHttpResponse,
  type MetaNodes,
  parseMetaServers,
} from './meta-http';
import type { ReplicaPlacement } from './replica-placement';

export type FactSource = 'zookeeper' | 'http';

export interface FactValue {
  value: string | number | null;
  source: FactSource;
  /** Epoch ms the value was observed: the model's load, or the HTTP answer. */
  observedAt: number;
  /** Where exactly: a znode path or the URL that answered. */
  origin: string;
}

export interface ClusterFact {
  key: string;
  label: string;
  zookeeper: FactValue | null;
  http: FactValue | null;
  /** null when only one side has it, or the two are not comparable. */
  agree: boolean | null;
  note: string | null;
}

export type EndpointResult<T> =
  | ({ ok: true } & MetaHttpResponse<T>)
  | { ok: false; error: string; code: string; attemptedAt: number };

export interface MetaHttpReport {
  servers: string[];
  cluster: EndpointResult<MetaClusterInfo>;
  nodes: EndpointResult<MetaNodes>;
  apps: EndpointResult<MetaApps>;
  facts: ClusterFact[];
  /** The placement figures again, with the UNALIVE nodes from /meta/nodes, as the shell computes them. */
  placementWithLiveness: ReplicaPlacement | null;
}

async function settle<T>(call: () => Promise<MetaHttpResponse<T>>): Promise<EndpointResult<T>> {
  const attemptedAt = Date.now();
  try {
    return { ok: true, ...(await call()) };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof MetaHttpError ? error.code : 'UNKNOWN',
      attemptedAt,
    };
  }
}

const normalize = (text: string) => text.trim().toLowerCase();
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].map(normalize).sort().join(',') === [...b].map(normalize).sort().join(',');
const trimRoot = (root: string) => (root.length > 1 ? root.replace(/\/+$/, '') : root);

/** Builds the fact list from whatever each side has; pure, so it is tested without servers. */
export function compareFacts(
  overview: ClusterOverview | null,
  http: Pick<MetaHttpReport, 'cluster' | 'nodes' | 'apps'>,
  placementWithLiveness: ReplicaPlacement | null = null,
): ClusterFact[] {
  const zk = (value: string | number | null, origin: string): FactValue | null =>
    overview ? { value, source: 'zookeeper', observedAt: overview.loadedAt, origin } : null;
  const fromHttp = <T>(
    result: EndpointResult<T>,
    pick: (data: T) => string | number | null,
  ): FactValue | null =>
    result.ok
      ? { value: pick(result.data), source: 'http', observedAt: result.fetchedAt, origin: result.url }
      : null;
  const facts: ClusterFact[] = [];
  const add = (
    key: string,
    label: string,
    zookeeper: FactValue | null,
    httpValue: FactValue | null,
    agree: (z: FactValue, h: FactValue) => boolean | null,
    note: string | null = null,
  ) => {
    const both = zookeeper && httpValue && zookeeper.value !== null && httpValue.value !== null;
    facts.push({
      key,
      label,
      zookeeper,
      http: httpValue,
      agree: both ? agree(zookeeper, httpValue) : null,
      note,
    });
  };
  const equalText = (z: FactValue, h: FactValue) => normalize(String(z.value)) === normalize(String(h.value));
  const equalNumber = (z: FactValue, h: FactValue) => Number(z.value) === Number(h.value);
  const lockDir = overview?.metaLockDir ?? `${overview?.clusterRoot ?? ''}/lock`;

  add(
    'meta-leader',
    'Meta leader',
    zk(overview?.metaLeader ?? null, `${lockDir} (lowest LOCKNODE)`),
    fromHttp(http.cluster, (c) => c.primaryMetaServer),
    equalText,
  );
  const candidates = overview?.metaCandidates.flatMap((c) => (c.address ? [c.address] : [])) ?? [];
  add(
    'meta-servers',
    'Meta servers',
    zk(overview ? candidates.join(', ') || null : null, `${lockDir} (lock holders)`),
    fromHttp(http.cluster, (c) => c.metaServers.join(', ') || null),
    (_z, _h) => (http.cluster.ok ? sameSet(candidates, http.cluster.data.metaServers) : null),
    'Only running meta servers hold a lock node; the HTTP list is the configured one.',
  );
  add(
    'zookeeper-root',
    'ZooKeeper root',
    zk(overview?.clusterRoot ?? null, 'the root being browsed'),
    fromHttp(http.cluster, (c) => c.zookeeperRoot),
    (z, h) => trimRoot(String(z.value)) === trimRoot(String(h.value)),
  );
  add(
    'zookeeper-hosts',
    'ZooKeeper hosts',
    null,
    fromHttp(http.cluster, (c) => c.zookeeperHosts.join(', ') || null),
    () => null,
  );
  add(
    'function-level',
    'Meta function level',
    null,
    fromHttp(http.cluster, (c) => c.metaFunctionLevel),
    () => null,
    "Not stored in ZooKeeper: it lives in the leader's memory and is lost on failover.",
  );
  add(
    'replica-servers',
    'Replica servers',
    zk(overview ? overview.placement.nodes.length : null, 'partition configs of available tables'),
    fromHttp(http.nodes, (n) => `${n.aliveNodeCount ?? '?'} alive, ${n.unaliveNodeCount ?? '?'} unalive`),
    () => null,
    'ZooKeeper does not record liveness: it only names the servers that hold replicas.',
  );
  add(
    'available-tables',
    'Available tables',
    zk(overview?.counts.available ?? null, `${overview?.appsRoot.path ?? 'apps'}`),
    fromHttp(http.apps, (a) => a.totalAppCount ?? a.apps.length),
    equalNumber,
  );
  add(
    'unhealthy-tables',
    'Unhealthy tables',
    zk(overview?.clusterHealth.unhealthyAppCount ?? null, 'partition configs (shell rules)'),
    fromHttp(http.apps, (a) => a.healthSummary?.unhealthyAppCount ?? null),
    equalNumber,
  );
  const placement = placementWithLiveness ?? overview?.placement ?? null;
  add(
    'primary-stddev',
    'Primary replica count stddev',
    zk(placement?.primaryReplicaCountStddev ?? null, 'partition configs'),
    fromHttp(http.cluster, (c) => c.primaryReplicaCountStddev),
    equalNumber,
  );
  add(
    'total-stddev',
    'Total replica count stddev',
    zk(placement?.totalReplicaCountStddev ?? null, 'partition configs'),
    fromHttp(http.cluster, (c) => c.totalReplicaCountStddev),
    equalNumber,
  );
  return facts;
}

export interface MetaHttpReportOptions extends MetaHttpOptions {
  /** Recomputes the placement with UNALIVE nodes; given by callers holding the model. */
  placementFor?: (unaliveNodes: string[]) => ReplicaPlacement;
}

/** Asks the meta servers (following 307 to the leader) and lines their answers up with ZooKeeper's. */
export async function fetchMetaHttpReport(
  servers: string,
  overview: ClusterOverview | null,
  options: MetaHttpReportOptions = {},
): Promise<MetaHttpReport> {
  const list = parseMetaServers(servers);
  const { placementFor, ...httpOptions } = options;
  const [cluster, nodes, apps] = await Promise.all([
    settle(() => fetchMetaCluster(list, httpOptions)),
    settle(() => fetchMetaNodes(list, { ...httpOptions, detail: true })),
    settle(() => fetchMetaApps(list, { ...httpOptions, detail: true })),
  ]);
  const unalive = nodes.ok
    ? nodes.data.nodes.filter((n) => n.status === 'UNALIVE').map((n) => n.address)
    : null;
  const placementWithLiveness = unalive && placementFor ? placementFor(unalive) : null;
  return {
    servers: list,
    cluster,
    nodes,
    apps,
    facts: compareFacts(overview, { cluster, nodes, apps }, placementWithLiveness),
    placementWithLiveness,
  };
}
