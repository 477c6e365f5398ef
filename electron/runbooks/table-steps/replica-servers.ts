/**
 * The replica servers a step can ask over HTTP (reference §5): the ALIVE nodes of the meta's
 * `/meta/nodes`, from the profile's meta servers. Their RPC address is their HTTP address (the HTTP
 * server shares the port). Not the addresses in ZooKeeper's partition nodes: those are what the meta
 * last wrote, may name servers long gone, and a dead address costs a timeout at every poll.
 */
import type { PegasusProfile } from '../../../shared/api/pegasus-profile';
import type { AnyStepContext } from '../pegasus-steps/cluster-profile';
import { readMetaNodes } from '../pegasus-steps/meta-http-step';

export type ReplicaServerList =
  | { ok: true; servers: string[]; from: string; unalive: string[] }
  | { ok: false; reason: string };

export async function replicaServersOf(
  ctx: AnyStepContext,
  profile: PegasusProfile,
): Promise<ReplicaServerList> {
  const nodes = await readMetaNodes(ctx, profile);
  if (!nodes.ok) return { ok: false, reason: `the replica servers are unknown: ${nodes.reason}` };
  const alive = nodes.value.nodes.filter((node) => node.status === 'ALIVE').map((node) => node.address);
  const unalive = nodes.value.nodes.filter((node) => node.status !== 'ALIVE').map((node) => node.address);
  if (alive.length === 0) {
    return {
      ok: false,
      reason: `meta HTTP ${nodes.server} lists no ALIVE replica server${unalive.length > 0 ? ` (UNALIVE: ${unalive.join(', ')})` : ''}`,
    };
  }
  return { ok: true, servers: alive, from: `/meta/nodes of ${nodes.server}`, unalive };
}
