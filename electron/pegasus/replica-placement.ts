/**
 * Primaries and secondaries per replica server, and the balance figures the shell reports as
 * `primary_replica_count_stddev` / `total_replica_count_stddev` in `cluster_info` (reference §6.2,
 * §9: counted per node from the partition configs, like the shell's `node_stat`).
 *
 * Which standard deviation: the meta computes them in the balancer's score
 * (greedy_load_balancer.cpp, `get_cluster_balance_score`) with `utils::mean_stddev`
 * (src/utils/math.cpp):
 * - over the ALIVE nodes that hold at least one replica (partition_count != 0);
 * - population (divide by n) unless some UNALIVE node still holds replicas, then sample (n - 1),
 *   separately for the primary and the total figure;
 * - 0 when there are fewer than two such nodes;
 * - rounded half-up to two decimals: (int)((stddev + 0.005) * 100) / 100.
 * ZooKeeper does not record liveness (reference §1.2): without it every node counts as alive, so
 * the figure is the population one. Pass the UNALIVE nodes from `/meta/nodes` to match the shell.
 *
 * Node identity: a 2.6 payload names replicas by host:port, a 2.5 payload by ip:port. After an
 * upgrade both shapes coexist, so ip:port addresses seen next to a host:port in a 2.6 payload are
 * mapped to that host:port, and each node keeps the other names it was seen under.
 */

export interface PlacementReplicas {
  primary: string | null;
  secondaries: readonly string[];
}

export interface PlacementPartition {
  /** The IP-based fields (every payload version). */
  address: PlacementReplicas;
  /** The host:port fields, null for payloads without them. */
  hostPort: PlacementReplicas | null;
}

export interface NodeReplicaCount {
  /** host:port when known, else ip:port. */
  address: string;
  /** The other names this node appears under (its ip:port when `address` is a host:port). */
  otherAddresses: string[];
  primaries: number;
  secondaries: number;
  total: number;
  /** From the liveness given by the caller; null when unknown (ZooKeeper only). */
  alive: boolean | null;
}

export interface ReplicaPlacement {
  nodes: NodeReplicaCount[];
  primaryReplicaCountStddev: number;
  totalReplicaCountStddev: number;
  /** Whether each figure used the sample formula (n - 1) because an UNALIVE node holds replicas. */
  sampleStddev: { primary: boolean; total: boolean };
  liveness: 'assumed-alive' | 'from-meta';
}

export interface PlacementOptions {
  /** UNALIVE nodes (host:port or ip:port) as `/meta/nodes` reports them. */
  unaliveNodes?: Iterable<string>;
}

/** `dsn::utils::mean_stddev` (src/utils/math.cpp), including its two-decimal rounding. */
export function shellMeanStddev(values: readonly number[], partialSample: boolean): number {
  if (values.length <= 1) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const accum = values.reduce((sum, value) => sum + (value - mean) * (value - mean), 0);
  const stddev = Math.sqrt(accum / (partialSample ? values.length - 1 : values.length));
  return Math.trunc((stddev + 0.005) * 100) / 100;
}

function learnAliases(partitions: readonly PlacementPartition[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const { address, hostPort } of partitions) {
    if (!hostPort) continue;
    if (address.primary && hostPort.primary) aliases.set(address.primary, hostPort.primary);
    if (address.secondaries.length === hostPort.secondaries.length) {
      address.secondaries.forEach((ip, index) => {
        const host = hostPort.secondaries[index];
        if (host) aliases.set(ip, host);
      });
    }
  }
  return aliases;
}

export function computeReplicaPlacement(
  partitions: Iterable<PlacementPartition>,
  options: PlacementOptions = {},
): ReplicaPlacement {
  const list = Array.from(partitions);
  const aliases = learnAliases(list);
  const counts = new Map<string, { primaries: number; secondaries: number; others: Set<string> }>();
  const nodeOf = (name: string) => {
    let entry = counts.get(name);
    if (!entry) {
      entry = { primaries: 0, secondaries: 0, others: new Set() };
      counts.set(name, entry);
    }
    return entry;
  };
  const resolve = (ip: string) => {
    const host = aliases.get(ip);
    if (host) nodeOf(host).others.add(ip);
    return host ?? ip;
  };

  for (const { address, hostPort } of list) {
    // Payloads with host:port fields are counted by them, as the master shell does.
    const primary = hostPort ? hostPort.primary : address.primary === null ? null : resolve(address.primary);
    const secondaries = hostPort ? hostPort.secondaries : address.secondaries.map(resolve);
    if (primary !== null) nodeOf(primary).primaries += 1;
    for (const secondary of secondaries) nodeOf(secondary).secondaries += 1;
  }
  for (const [ip, host] of aliases) if (counts.has(host)) nodeOf(host).others.add(ip);

  const unalive = options.unaliveNodes ? new Set(options.unaliveNodes) : null;
  const nodes: NodeReplicaCount[] = [...counts.entries()]
    .map(([address, entry]) => {
      const otherAddresses = [...entry.others].sort();
      const alive = unalive
        ? !(unalive.has(address) || otherAddresses.some((other) => unalive.has(other)))
        : null;
      return {
        address,
        otherAddresses,
        primaries: entry.primaries,
        secondaries: entry.secondaries,
        total: entry.primaries + entry.secondaries,
        alive,
      };
    })
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));

  const aliveWithReplicas = nodes.filter((node) => node.alive !== false && node.total > 0);
  const dead = nodes.filter((node) => node.alive === false);
  const sampleStddev = {
    primary: dead.some((node) => node.primaries > 0),
    total: dead.some((node) => node.total > 0),
  };
  return {
    nodes,
    primaryReplicaCountStddev: shellMeanStddev(
      aliveWithReplicas.map((node) => node.primaries),
      sampleStddev.primary,
    ),
    totalReplicaCountStddev: shellMeanStddev(
      aliveWithReplicas.map((node) => node.total),
      sampleStddev.total,
    ),
    sampleStddev,
    liveness: unalive ? 'from-meta' : 'assumed-alive',
  };
}
