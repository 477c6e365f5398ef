/**
 * The meta servers' leader lock (reference §1.2, "Lock"). Each meta server holds an
 * EPHEMERAL_SEQUENTIAL child `LOCKNODE<seq>` of the lock dir, whose data is its own "<host>:<port>"
 * (v2.5 and older: "<ip>:<port>"). The smallest sequence holds the lock: that meta is the leader
 * (lock_struct.cpp ~L489-540); the others are candidates waiting their turn.
 *
 * Where the lock dir sits depends on `distributed_lock_service_parameters`: the production template
 * puts it under `<root>/lock/`, onebox uses the cluster root itself (reference §1.1).
 */
import { joinZkPath } from '../../../shared/zk-path';
import { type DecodeResult, decodeUtf8, guardDecode, PayloadError, success } from './decode-result';
import { isHostPort } from './host-port';

/** `_primary_lock_id` in meta_server_failure_detector.cpp. */
export const META_LOCK_ID = 'dsn.meta.server.leader';
/** `LOCK_NODE_PREFIX` in distributed_lock_service_zookeeper.cpp. */
export const LOCK_NODE_PREFIX = 'LOCKNODE';

export type LockDirLayout = 'production' | 'onebox';

/** The lock dirs to look at for a cluster root, production layout first. */
export function metaLockDirs(clusterRoot: string): { path: string; layout: LockDirLayout }[] {
  return [
    { path: joinZkPath(joinZkPath(clusterRoot, 'lock'), META_LOCK_ID), layout: 'production' },
    { path: joinZkPath(clusterRoot, META_LOCK_ID), layout: 'onebox' },
  ];
}

/**
 * The sequence number of a lock node name, or null for anything else. ZooKeeper appends a 10-digit
 * counter (`%010d`, which turns negative after 2^31 creations in the same dir).
 */
export function parseLockNodeName(name: string): number | null {
  if (!name.startsWith(LOCK_NODE_PREFIX)) return null;
  const digits = name.slice(LOCK_NODE_PREFIX.length);
  return /^-?\d+$/.test(digits) ? Number(digits) : null;
}

export interface MetaLockOwner {
  /** The meta server's "<host>:<port>". */
  address: string;
}

export function decodeMetaLockOwner(raw: Buffer): DecodeResult<MetaLockOwner> {
  return guardDecode(raw, () => {
    const text = decodeUtf8(raw).trim();
    if (text === '') throw new PayloadError('lock node data is empty, expected the owner "<host>:<port>"');
    if (!isHostPort(text)) {
      throw new PayloadError(
        `lock node data should be the owner "<host>:<port>", found ${JSON.stringify(text.slice(0, 60))}`,
      );
    }
    return success({ address: text });
  });
}

/** The leader among lock holders: the lowest sequence (ties cannot happen within one dir). */
export function electMetaLeader<T extends { sequence: number }>(holders: readonly T[]): T | null {
  let leader: T | null = null;
  for (const holder of holders) if (leader === null || holder.sequence < leader.sequence) leader = holder;
  return leader;
}
