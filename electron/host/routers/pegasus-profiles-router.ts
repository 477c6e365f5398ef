/**
 * Pegasus cluster profiles: list, read, add, change, remove (typing the name to confirm), and
 * "Check tools", which tries what a runbook would use: the shell (binary, config, cluster_info),
 * admin-cli (binary, addresses), the meta HTTP API, and the ZooKeeper connection and cluster root.
 * A check can run on a profile not saved yet, so the form can test before it saves.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { type PegasusProfile, pegasusProfileInputSchema } from '../../../shared/api/pegasus-profile';
import { parseConnectString } from '../../../shared/connect-string';
import { validateClusterRoot } from '../../pegasus/cluster-detection';
import {
  type CheckItem,
  checkProfileTools,
  type ProfileCheckResult,
} from '../../pegasus/tools/profile-check';
import {
  DuplicatePegasusProfileNameError,
  PegasusProfileNotFoundError,
} from '../../store/pegasus-profiles-repo';
import type { HostServices } from '../services/host-services';
import { guarded, publicProcedure, router } from '../trpc';
import { countOf } from '../../../shared/plural';

const idSchema = z.object({ id: z.string().min(1) });

function mapStoreError(error: unknown): never {
  if (error instanceof DuplicatePegasusProfileNameError) {
    throw new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
  }
  if (error instanceof PegasusProfileNotFoundError) {
    throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  }
  throw error;
}

function requireProfile(services: HostServices, id: string): PegasusProfile {
  const profile = services.store.pegasusProfiles.get(id);
  if (!profile) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `Cluster profile ${id} does not exist (it may have been removed)`,
    });
  }
  return profile;
}

/** A profile must point at a saved connection if it names one: a typo here would aim a runbook nowhere. */
function checkConnection(services: HostServices, connectionId: string | null): void {
  if (connectionId !== null && !services.store.connections.get(connectionId)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `connectionId: there is no saved connection ${connectionId}: pick one of the saved connections`,
    });
  }
}

async function zookeeperItem(services: HostServices, profile: PegasusProfile): Promise<CheckItem> {
  const base = { id: 'zookeeper', label: 'ZooKeeper connection and cluster root' };
  if (!profile.connectionId) {
    return { ...base, status: 'skipped', message: 'No ZooKeeper connection in the profile' };
  }
  const connection = services.store.connections.get(profile.connectionId);
  if (!connection) {
    return {
      ...base,
      status: 'fail',
      message: `The connection ${profile.connectionId} was removed: pick another one`,
    };
  }
  try {
    const session = await services.sessions.open(profile.connectionId);
    if (!profile.clusterRoot) {
      return {
        ...base,
        status: 'warn',
        message: `Connected to ${connection.name}; no cluster root in the profile`,
      };
    }
    const validation = await validateClusterRoot(session, profile.clusterRoot);
    if (validation.ok) {
      return {
        ...base,
        status: validation.root.loadable ? 'ok' : 'warn',
        message: `${profile.clusterRoot} on ${connection.name} is a cluster root with ${countOf(validation.root.tableCount, 'table')}${
          validation.root.loadable
            ? ''
            : `; apps is '${validation.root.appsState}': a meta server would not load it`
        }`,
      };
    }
    const suggestions =
      validation.suggestions.length > 0 ? ` Did you mean ${validation.suggestions.join(' or ')}?` : '';
    return {
      ...base,
      status: 'fail',
      message: `${profile.clusterRoot} on ${connection.name}: ${validation.problems.join('; ')}.${suggestions}`,
    };
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      message: `${connection.name}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * After a ZooKeeper migration the meta servers use the new ensemble; a profile still pointing at the
 * old one would make every runbook read stale metadata. Hosts are compared as sets of host:port.
 */
function ensembleItem(
  services: HostServices,
  profile: PegasusProfile,
  result: ProfileCheckResult,
): CheckItem | null {
  const facts = result.facts ?? result.metaHttpFacts;
  const connection = profile.connectionId ? services.store.connections.get(profile.connectionId) : undefined;
  if (!facts || facts.zookeeperHosts.length === 0 || !connection) return null;
  const parsed = parseConnectString(connection.connectString);
  if (!parsed.ok) return null;
  const norm = (hosts: readonly string[]) =>
    [...hosts]
      .map((host) => host.trim().toLowerCase())
      .sort()
      .join(',');
  const profileHosts = parsed.value.hosts.map((host) => `${host.host}:${host.port}`);
  if (norm(profileHosts) === norm(facts.zookeeperHosts)) return null;
  return {
    id: 'fact-zookeeper',
    label: 'ZooKeeper ensemble',
    status: 'warn',
    message:
      `The meta servers use ZooKeeper ${facts.zookeeperHosts.join(',')}, the connection '${connection.name}' points at ` +
      `${profileHosts.join(',')}: the cluster may have moved to another ensemble (fine if the connection goes through a tunnel)`,
  };
}

const checkInputSchema = z.union([
  z.object({ id: z.string().min(1) }),
  z.object({ input: pegasusProfileInputSchema }),
]);

export const pegasusProfilesRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.services.store.pegasusProfiles.list()),

  get: publicProcedure
    .input(idSchema)
    .query(({ ctx, input }) => guarded(() => requireProfile(ctx.services, input.id))),

  create: publicProcedure.input(pegasusProfileInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      checkConnection(ctx.services, input.connectionId);
      try {
        return ctx.services.store.pegasusProfiles.create(input, ctx.services.actor);
      } catch (error) {
        return mapStoreError(error);
      }
    }),
  ),

  update: publicProcedure
    .input(z.object({ id: z.string().min(1), input: pegasusProfileInputSchema }))
    .mutation(({ ctx, input }) =>
      guarded(() => {
        requireProfile(ctx.services, input.id);
        checkConnection(ctx.services, input.input.connectionId);
        try {
          return ctx.services.store.pegasusProfiles.update(input.id, input.input, ctx.services.actor);
        } catch (error) {
          return mapStoreError(error);
        }
      }),
    ),

  /** Removing a profile needs its name typed back: runbooks and their history refer to it. */
  remove: publicProcedure
    .input(z.object({ id: z.string().min(1), confirmName: z.string() }))
    .mutation(({ ctx, input }) =>
      guarded(() => {
        const profile = requireProfile(ctx.services, input.id);
        if (input.confirmName !== profile.name) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `To remove the cluster profile '${profile.name}', type its name exactly: nothing was removed`,
          });
        }
        return { removed: ctx.services.store.pegasusProfiles.remove(input.id, ctx.services.actor) };
      }),
    ),

  /** Tries the profile's tools (saved, or as typed in the form) and says what works. */
  check: publicProcedure.input(checkInputSchema).mutation(({ ctx, input }) =>
    guarded(async (): Promise<ProfileCheckResult> => {
      const { services } = ctx;
      const profile: PegasusProfile =
        'id' in input
          ? requireProfile(services, input.id)
          : { ...input.input, id: '(unsaved)', createdAt: Date.now(), updatedAt: Date.now() };
      const [result, zookeeper] = await Promise.all([
        checkProfileTools(profile, { store: services.store, actor: services.actor }),
        zookeeperItem(services, profile),
      ]);
      const ensemble = ensembleItem(services, profile, result);
      const items = [...result.items, zookeeper, ...(ensemble ? [ensemble] : [])];
      services.store.events.append({
        actor: services.actor,
        action: 'pegasus-profile.checked',
        target: 'id' in input ? input.id : null,
        detail: { name: profile.name, items: items.map((item) => ({ id: item.id, status: item.status })) },
      });
      return { ...result, items };
    }),
  ),
});
