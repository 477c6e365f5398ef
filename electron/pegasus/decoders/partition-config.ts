/**
 * `<root>/apps/<app_id>/<pidx>`: the JSON `partition_configuration` (reference §1.4).
 *
 * Two field sets: v2.5.0 and older write IP-based fields only; master/2.6 adds `hp_primary`,
 * `hp_secondaries`, `hp_last_drops` (host:port). Both are kept; display prefers the host:port set
 * when the payload has it, as the master shell does. An unset address is written as
 * "invalid address" / "invalid host_port" (reference §0.3) and decodes as null.
 */
import {
  type DecodeResult,
  guardDecode,
  JsonFields,
  PayloadError,
  parseJsonObject,
  success,
} from './decode-result';

const ADDRESS_KEYS = [
  'pid',
  'ballot',
  'max_replica_count',
  'primary',
  'secondaries',
  'last_drops',
  'last_committed_decree',
  'partition_flags',
] as const;
const HOST_PORT_KEYS = ['hp_primary', 'hp_secondaries', 'hp_last_drops'] as const;
export const PARTITION_CONFIG_KEYS = [...ADDRESS_KEYS, ...HOST_PORT_KEYS] as const;

/** How rpc_address and host_port encode "not set" (src/rpc/rpc_address.cpp, rpc_host_port.cpp). */
export const UNSET_ADDRESS_MARKERS: readonly string[] = ['invalid address', 'invalid host_port'];

/** `pc_flags::dropped` (meta_data.h ~L93-97): the table was dropped. */
export const PARTITION_FLAG_DROPPED = 1;

export interface ReplicaSet {
  /** null when unset. */
  primary: string | null;
  secondaries: string[];
  /** Dropped history, newest last. */
  lastDrops: string[];
}

export interface PartitionConfig {
  /** From `pid` ("appid.pidx"); null when missing or malformed (see pidRaw). */
  appId: number | null;
  partitionIndex: number | null;
  pidRaw: string | null;
  /** 0 for a fresh partition, -1 for a split child before it registers. */
  ballot: number | null;
  maxReplicaCount: number | null;
  /** IP-based fields (every version). */
  address: ReplicaSet;
  /** host:port fields, only in master/2.6 payloads; null for v2.5 payloads. */
  hostPort: ReplicaSet | null;
  /** What to show and count: hostPort when the payload has it, else address. */
  display: ReplicaSet;
  lastCommittedDecree: number | null;
  partitionFlags: number | null;
  dropped: boolean;
  format: 'host-port' | 'address-only';
}

function setAddress(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' || UNSET_ADDRESS_MARKERS.includes(trimmed) ? null : trimmed;
}

function setAddresses(values: string[] | null): string[] {
  return (values ?? []).map(setAddress).filter((value): value is string => value !== null);
}

function parsePid(pid: string | null): { appId: number; partitionIndex: number } | null {
  if (pid === null) return null;
  const match = /^(-?\d+)\.(-?\d+)$/.exec(pid.trim());
  if (!match)
    throw new PayloadError(
      `'pid' should look like "<app_id>.<partition_index>", found ${JSON.stringify(pid)}`,
    );
  return { appId: Number(match[1]), partitionIndex: Number(match[2]) };
}

export function decodePartitionConfig(raw: Buffer): DecodeResult<PartitionConfig> {
  return guardDecode(raw, () => {
    const fields = new JsonFields(parseJsonObject(raw), PARTITION_CONFIG_KEYS);
    const pidRaw = fields.string('pid');
    const pid = parsePid(pidRaw);
    const address: ReplicaSet = {
      primary: setAddress(fields.string('primary')),
      secondaries: setAddresses(fields.stringArray('secondaries')),
      lastDrops: setAddresses(fields.stringArray('last_drops')),
    };
    const hasHostPorts = HOST_PORT_KEYS.some((key) => fields.has(key));
    const hostPort: ReplicaSet | null = hasHostPorts
      ? {
          primary: setAddress(fields.string('hp_primary')),
          secondaries: setAddresses(fields.stringArray('hp_secondaries')),
          lastDrops: setAddresses(fields.stringArray('hp_last_drops')),
        }
      : null;
    const partitionFlags = fields.integer('partition_flags');
    const value: PartitionConfig = {
      appId: pid?.appId ?? null,
      partitionIndex: pid?.partitionIndex ?? null,
      pidRaw,
      ballot: fields.integer('ballot'),
      maxReplicaCount: fields.integer('max_replica_count'),
      address,
      hostPort,
      display: hostPort ?? address,
      lastCommittedDecree: fields.integer('last_committed_decree'),
      partitionFlags,
      dropped: partitionFlags !== null && (partitionFlags & PARTITION_FLAG_DROPPED) !== 0,
      format: hasHostPorts ? 'host-port' : 'address-only',
    };
    // A v2.5 payload is complete without hp_* keys; only a 2.6 payload is expected to carry them.
    const expected = hasHostPorts ? PARTITION_CONFIG_KEYS : ADDRESS_KEYS;
    return success(value, fields.unknownKeys(), fields.missingKeys(expected));
  });
}
