/**
 * The copy engine's runs for a host: one EngineRuns per HostServices, created on first use (so the
 * composition root needs no change), with sessions opened from saved connection profiles. Engines
 * open their own sessions (several readers, one writer) rather than sharing the explorer's one.
 */
import { join } from 'node:path';
import { parseConnectString } from '../../../shared/connect-string';
import type { SessionFactory, ZkEndpointRef } from '../../engines/zk-copy/endpoints';
import { EngineRuns, RunRefusedError } from '../../engines/zk-copy/run-manager';
import { openRouted } from '../../ssh/tunnel-route';
import { ZkBulkReader } from '../../zk/bulk-read/bulk-reader';
import type { ZkSessionOptions } from '../../zk/types';
import type { HostServices } from './host-services';

const DEFAULT_SESSION_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;

const runsByHost = new WeakMap<HostServices, EngineRuns>();

/** A saved connection as an engine endpoint (no secret in it: the factory looks the credential up). */
export function endpointForConnection(
  services: HostServices,
  connectionId: string,
  path: string,
): ZkEndpointRef {
  const profile = services.store.connections.get(connectionId);
  if (!profile)
    throw new RunRefusedError(`Connection ${connectionId} does not exist (it may have been removed)`);
  const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
  if (!parsed.ok)
    throw new RunRefusedError(`Connection '${profile.name}' has an invalid connect string: ${parsed.error}`);
  return {
    kind: 'zk',
    connectString: parsed.value.normalized,
    path,
    connectionId,
    connectionName: profile.name,
    sessionTimeoutMs: profile.sessionTimeoutMs,
    connectTimeoutMs: profile.connectTimeoutMs,
  };
}

/** Exported for tests that drive the engine with their own tuning through the host's connections. */
export function hostSessionFactory(services: HostServices): SessionFactory {
  const credentials = (ref: ZkEndpointRef): string[] => {
    if (!ref.connectionId) return [];
    const digest = services.store.connections.digestAuth(ref.connectionId);
    return digest ? [digest] : [];
  };
  // Sessions and bulk readers of one endpoint connect alike: through the connection's SSH tunnel
  // (the host's tunnel pool, shared with the explorer) when it has one.
  const routed = <T extends { close(): Promise<void> }>(
    ref: ZkEndpointRef,
    open: (options: ZkSessionOptions) => Promise<T>,
  ): Promise<T> =>
    openRouted(services.store, services.tunnels, ref, (connectString) =>
      open({
        connectString,
        sessionTimeoutMs: ref.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
        connectTimeoutMs: ref.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        digestAuth: credentials(ref),
      }),
    );
  return {
    credentials,
    openBulkReader: (ref, sessions) => routed(ref, (options) => ZkBulkReader.open({ ...options, sessions })),
    async open(ref, purpose) {
      if (ref.connectionId) {
        const profile = services.store.connections.get(ref.connectionId);
        if (!profile)
          throw new RunRefusedError(
            `Connection ${ref.connectionId} does not exist (it may have been removed)`,
          );
        if (purpose === 'write' && profile.readOnly) {
          throw new RunRefusedError(
            `Connection '${profile.name}' is read-only: switch it to read-write before copying into it or deleting from it`,
          );
        }
      }
      return routed(ref, services.connect);
    },
  };
}

/** Pauses the host's live copy runs before it stops (nothing to do if none was ever started). */
export async function shutdownEngineRuns(services: HostServices): Promise<void> {
  await runsByHost.get(services)?.shutdown();
}

export function engineRunsFor(services: HostServices): EngineRuns {
  let runs = runsByHost.get(services);
  if (!runs) {
    runs = new EngineRuns({
      store: services.store,
      actor: services.actor,
      factory: hostSessionFactory(services),
      exportDir: join(services.info.dataDir, 'exports'),
    });
    runsByHost.set(services, runs);
  }
  return runs;
}
