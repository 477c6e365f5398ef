/**
 * A copy whose source and target overlap on one ensemble would copy what it writes (or delete what
 * it reads, in mirror mode): the prechecks of every runbook that copies a subtree refuse it.
 */
import type { ZkEndpointRef } from '../../engines/zk-copy/endpoints';

function under(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/** True when one endpoint's subtree contains the other's on the same ensemble (chroot included). */
export function endpointsOverlap(a: ZkEndpointRef, b: ZkEndpointRef): boolean {
  return a.connectString === b.connectString && (under(a.path, b.path) || under(b.path, a.path));
}
