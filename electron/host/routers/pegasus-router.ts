/**
 * The Pegasus cluster views' API: find cluster roots, load a cluster (cached per connection and
 * root, Refresh on demand), one table's detail, every duplication, MetaProxy routes, the meta
 * servers' HTTP facts next to ZooKeeper's, and the overview as CSV or JSON text (the renderer saves
 * it through the platform's save dialog). Everything here only reads.
 */
import { TRPCError } from '@trpc/server';
import { parseConnectString } from '../../../shared/connect-string';
import { snapshotIdOfWorkspace } from '../../../shared/api/snapshots';
import {
  type PegasusPreferences,
  pegasusDetectInputSchema,
  pegasusExportInputSchema,
  pegasusMetaHttpInputSchema,
  pegasusMetaProxyInputSchema,
  pegasusOverviewInputSchema,
  pegasusPreferencesInputSchema,
  pegasusRootInputSchema,
  pegasusTableInputSchema,
} from '../../../shared/api/pegasus';
import { detectClusterRoots, validateClusterRoot } from '../../pegasus/cluster-detection';
import { loadClusterFast, loadClusterFrom } from '../../pegasus/cluster-loader';
import { ClusterModelError } from '../../pegasus/cluster-model';
import { duplicationList, tableDetail } from '../../pegasus/cluster-views';
import { fetchMetaHttpReport } from '../../pegasus/meta-facts';
import { MetaHttpError } from '../../pegasus/meta-http';
import { loadMetaProxyRoutes } from '../../pegasus/meta-proxy-routes';
import { exportOverview } from '../../pegasus/overview-export';
import { computeReplicaPlacement } from '../../pegasus/replica-placement';
import type { ZkSessionOptions } from '../../zk/types';
import type { HostServices } from '../services/host-services';
import { type CachedCluster, PegasusModelCache } from '../services/pegasus-models';
import { guarded, publicProcedure, router } from '../trpc';

/** One cache per host (tests start several hosts in one process). */
const caches = new WeakMap<HostServices, PegasusModelCache>();

function cacheOf(services: HostServices): PegasusModelCache {
  let cache = caches.get(services);
  if (!cache) {
    cache = new PegasusModelCache();
    caches.set(services, cache);
  }
  return cache;
}

/** The connection's profile and its session options, as the session registry builds them. */
function connectionOf(services: HostServices, connectionId: string) {
  const profile = services.store.connections.get(connectionId);
  if (!profile) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: `Connection ${connectionId} does not exist (it may have been removed)`,
    });
  }
  const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
  if (!parsed.ok) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Connection '${profile.name}' has an invalid connect string: ${parsed.error}`,
    });
  }
  const digest = services.store.connections.digestAuth(connectionId);
  const options: ZkSessionOptions = {
    connectString: parsed.value.normalized,
    sessionTimeoutMs: profile.sessionTimeoutMs,
    connectTimeoutMs: profile.connectTimeoutMs,
    digestAuth: digest ? [digest] : [],
  };
  return { profile, options };
}

const PREFERENCES_KEY = (connectionId: string) => `pegasus.preferences.${connectionId}`;

function preferencesOf(services: HostServices, connectionId: string): PegasusPreferences {
  const stored = services.store.settings.get<Partial<PegasusPreferences>>(PREFERENCES_KEY(connectionId));
  return {
    lastRoot: stored?.lastRoot ?? null,
    metaProxyRoot: stored?.metaProxyRoot ?? null,
    metaServers: stored?.metaServers ?? {},
  };
}

function remember(services: HostServices, connectionId: string, change: Partial<PegasusPreferences>): void {
  const current = preferencesOf(services, connectionId);
  services.store.settings.set(PREFERENCES_KEY(connectionId), { ...current, ...change });
}

/** Loads (or reuses) the cluster model of `root` over the connection. */
async function clusterOf(
  services: HostServices,
  connectionId: string,
  root: string,
  refresh = false,
): Promise<{ cluster: CachedCluster; cached: boolean }> {
  // A snapshot reads from the store through the same reader interface: no network, no profile.
  const offline = snapshotIdOfWorkspace(connectionId) !== null;
  const connection = offline ? null : connectionOf(services, connectionId);
  // The shared session first: it says "unreachable" or "wrong credentials" the way every view does.
  const session = await services.sessions.open(connectionId);
  const key = PegasusModelCache.key(connectionId, connection?.profile.updatedAt ?? 0, root);
  const load = connection
    ? // The open session's options, not the profile's: through an SSH jump host they name the
      // tunnel's local ports, so the fast reader's own sessions take the same way in.
      () =>
        loadClusterFast(services.sessions.sessionOptions(connectionId) ?? connection.options, root, {
          fallback: session,
        })
    : () => loadClusterFrom(session, root);
  try {
    return await cacheOf(services).get(key, load, { refresh });
  } catch (error) {
    if (error instanceof ClusterModelError) {
      throw new TRPCError({
        code: error.code === 'ROOT_NOT_FOUND' ? 'NOT_FOUND' : 'FORBIDDEN',
        message: `${error.message}: pick another cluster root`,
        cause: error,
      });
    }
    throw error;
  }
}

function overviewResult(cluster: CachedCluster, cached: boolean) {
  return {
    ...cluster.overview,
    source: cluster.source,
    loadMs: Math.round(cluster.loadMs),
    loadCpuMs: cluster.cpuMs,
    cached,
  };
}

export const pegasusRouter = router({
  /** Cluster roots in the ensemble (bounded walk; says when a bound cut it short). */
  detectRoots: publicProcedure.input(pegasusDetectInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const session = await ctx.services.sessions.open(input.connectionId);
      return detectClusterRoots(session, { startPath: input.startPath ?? '/' });
    }),
  ),

  /** Checks a root the operator typed; suggests nearby roots when it is not one. */
  validateRoot: publicProcedure.input(pegasusRootInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const session = await ctx.services.sessions.open(input.connectionId);
      return validateClusterRoot(session, input.root);
    }),
  ),

  preferences: publicProcedure
    .input(pegasusPreferencesInputSchema)
    .query(({ ctx, input }) => guarded(() => preferencesOf(ctx.services, input.connectionId))),

  /** The cluster overview from the cached model, loading it on first use. */
  overview: publicProcedure.input(pegasusOverviewInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const { cluster, cached } = await clusterOf(
        ctx.services,
        input.connectionId,
        input.root,
        input.refresh,
      );
      remember(ctx.services, input.connectionId, { lastRoot: input.root });
      return overviewResult(cluster, cached);
    }),
  ),

  /** Reloads the cluster from ZooKeeper and answers the fresh overview. */
  refresh: publicProcedure.input(pegasusRootInputSchema).mutation(({ ctx, input }) =>
    guarded(async () => {
      const { cluster } = await clusterOf(ctx.services, input.connectionId, input.root, true);
      return overviewResult(cluster, false);
    }),
  ),

  table: publicProcedure.input(pegasusTableInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const { cluster } = await clusterOf(ctx.services, input.connectionId, input.root);
      const detail = tableDetail(cluster.model, input.appId);
      if (!detail) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: `There is no table with app id ${input.appId} under ${input.root} (as loaded ${new Date(
            cluster.model.loadedAt,
          ).toISOString()}): refresh the overview`,
        });
      }
      return detail;
    }),
  ),

  duplications: publicProcedure.input(pegasusRootInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const { cluster } = await clusterOf(ctx.services, input.connectionId, input.root);
      return {
        clusterRoot: input.root,
        loadedAt: cluster.model.loadedAt,
        duplications: duplicationList(cluster.model),
      };
    }),
  ),

  /** MetaProxy's routing table at `metaProxyRoot`, read fresh each time (it is small). */
  metaProxyRoutes: publicProcedure.input(pegasusMetaProxyInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      const session = await ctx.services.sessions.open(input.connectionId);
      let routes: Awaited<ReturnType<typeof loadMetaProxyRoutes>>;
      try {
        routes = await loadMetaProxyRoutes(session, input.metaProxyRoot);
      } catch (error) {
        if (error instanceof Error && /^There is no node/.test(error.message)) {
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: `${error.message}: check the MetaProxy root`,
            cause: error,
          });
        }
        throw error;
      }
      remember(ctx.services, input.connectionId, { metaProxyRoot: input.metaProxyRoot });
      return { ...routes, loadedAt: Date.now() };
    }),
  ),

  /** /meta/cluster, /meta/nodes, /meta/apps from the operator's meta servers, beside ZooKeeper's facts. */
  metaHttp: publicProcedure.input(pegasusMetaHttpInputSchema).query(({ ctx, input }) =>
    guarded(async () => {
      if (snapshotIdOfWorkspace(input.connectionId) !== null) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message:
            'Meta HTTP asks the meta servers over the network, and this is an offline snapshot: open the live connection to query them',
        });
      }
      const { profile } = connectionOf(ctx.services, input.connectionId);
      const cluster = cacheOf(ctx.services).peek(
        PegasusModelCache.key(input.connectionId, profile.updatedAt, input.root),
      );
      const model = cluster?.model ?? null;
      try {
        const report = await fetchMetaHttpReport(input.metaServers, cluster?.overview ?? null, {
          placementFor: model
            ? (unaliveNodes) =>
                computeReplicaPlacement(
                  model.tables
                    .filter((table) => table.status === 'available')
                    .flatMap((table) =>
                      table.partitions.flatMap((p) =>
                        p.config ? [{ address: p.config.address, hostPort: p.config.hostPort }] : [],
                      ),
                    ),
                  { unaliveNodes },
                )
            : undefined,
        });
        if (report.cluster.ok || report.nodes.ok || report.apps.ok) {
          const { metaServers } = preferencesOf(ctx.services, input.connectionId);
          remember(ctx.services, input.connectionId, {
            metaServers: { ...metaServers, [input.root]: input.metaServers },
          });
        }
        return { ...report, zookeeperLoadedAt: cluster?.overview.loadedAt ?? null };
      } catch (error) {
        if (error instanceof MetaHttpError && error.code === 'BAD_ARGUMENTS') {
          throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
        }
        throw error;
      }
    }),
  ),

  /** The overview as CSV or JSON text; the renderer hands it to the platform's save dialog. */
  exportOverview: publicProcedure.input(pegasusExportInputSchema).mutation(({ ctx, input }) =>
    guarded(async () => {
      const { cluster } = await clusterOf(ctx.services, input.connectionId, input.root);
      return exportOverview(cluster.overview, input.format);
    }),
  ),
});
