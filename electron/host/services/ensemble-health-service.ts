/**
 * Ensemble health of a saved connection: each server of its connect string probed with the
 * four-letter words, through the connection's SSH tunnel when it has one (the probes then dial the
 * loopback forwards and report the servers by their real names).
 */
import { parseConnectString } from '../../../shared/connect-string';
import type { EnsembleHealth } from '../../../shared/api/ensemble-health';
import { probeEnsemble } from '../../zk/ensemble-health/probe-ensemble';
import type { ProbeTarget } from '../../zk/ensemble-health/probe-server';
import type { HostServices } from './host-services';

export async function connectionHealth(
  services: HostServices,
  connectionId: string,
): Promise<EnsembleHealth> {
  const profile = services.store.connections.get(connectionId);
  if (!profile) throw new Error(`Connection ${connectionId} does not exist (it may have been removed)`);
  const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
  if (!parsed.ok)
    throw new Error(`Connection '${profile.name}' has an invalid connect string: ${parsed.error}`);
  const lease = await services.tunnels.acquire(connectionId);
  try {
    const targets: ProbeTarget[] = parsed.value.hosts.map((h) => {
      const address = `${h.host}:${h.port}`;
      const local = lease?.tunnel.localAddressOf(address);
      return {
        address,
        host: local?.host ?? h.host.replace(/^\[(.*)\]$/, '$1'),
        port: local?.port ?? h.port,
      };
    });
    const health = await probeEnsemble(targets);
    if (lease) {
      // Through a tunnel, "could not reach" is about the jump host's view: say what it said.
      for (const server of health.servers) {
        const refused = lease.tunnel.forwards.find((f) => f.target === server.address)?.lastError;
        if (!server.reachable && refused) server.error = refused;
      }
    }
    return { connectionId, via: lease ? lease.tunnel.jumpHost : null, ...health };
  } finally {
    lease?.release();
  }
}
