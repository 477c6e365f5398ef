import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { parseConnectString } from '../../../shared/connect-string';
import { connectionInputSchema } from '../../../shared/api/connections';
import { setModeInputSchema } from '../../../shared/api/node-edit';
import { sshTunnelChange, sshTunnelForTest, sshTunnelSummary } from '../services/connection-tunnel-input';
import { guarded, publicProcedure, router } from '../trpc';
import { countOf } from '../../../shared/plural';

const updateSchema = z.object({ id: z.string().min(1), input: connectionInputSchema });

/** What a connection test reports: enough to tell a typo from a down server from a wrong password. */
export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  message: string;
  rootChildren?: number;
  /** The SSH jump host the test went through, and which servers it could reach from there. */
  tunnel?: { jumpHost: string; targets: { target: string; ok: boolean; error: string | null }[] };
}

export const connectionsRouter = router({
  list: publicProcedure.query(({ ctx }) => ctx.services.store.connections.list()),

  create: publicProcedure.input(connectionInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      const { store, actor } = ctx.services;
      return store.transaction(() => {
        const profile = store.connections.create({
          name: input.name,
          connectString: input.connectString.trim(),
          chroot: input.chroot?.trim() ? input.chroot.trim() : null,
          sessionTimeoutMs: input.sessionTimeoutMs,
          connectTimeoutMs: input.connectTimeoutMs,
          digestAuth: input.digestAuth ?? null,
          sshTunnel: sshTunnelChange(input.sshTunnel ?? null, undefined) ?? null,
        });
        store.events.append({
          actor,
          action: 'connection.added',
          target: profile.id,
          detail: {
            name: profile.name,
            connectString: profile.connectString,
            chroot: profile.chroot,
            digestAuth: profile.hasDigestAuth,
            sshTunnel: sshTunnelSummary(profile.sshTunnel),
          },
        });
        return profile;
      });
    }),
  ),

  update: publicProcedure.input(updateSchema).mutation(async ({ ctx, input: { id, input } }) =>
    guarded(async () => {
      const { store, actor, sessions } = ctx.services;
      const before = store.connections.get(id);
      if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: `Connection ${id} does not exist` });
      const profile = store.transaction(() => {
        const updated = store.connections.update(id, {
          name: input.name,
          connectString: input.connectString.trim(),
          chroot: input.chroot?.trim() ? input.chroot.trim() : null,
          sessionTimeoutMs: input.sessionTimeoutMs,
          connectTimeoutMs: input.connectTimeoutMs,
          digestAuth: input.clearDigestAuth ? null : input.digestAuth,
          sshTunnel: sshTunnelChange(input.sshTunnel, before.sshTunnel),
        });
        const changed = (
          [
            'name',
            'connectString',
            'chroot',
            'sessionTimeoutMs',
            'connectTimeoutMs',
            'hasDigestAuth',
          ] as const
        ).filter((key) => before[key] !== updated[key]);
        if (input.digestAuth !== undefined && !changed.includes('hasDigestAuth'))
          changed.push('hasDigestAuth');
        if (JSON.stringify(before.sshTunnel) !== JSON.stringify(updated.sshTunnel) || input.sshTunnel?.secret)
          (changed as string[]).push('sshTunnel');
        store.events.append({
          actor,
          action: 'connection.changed',
          target: id,
          detail: {
            name: updated.name,
            changed,
            connectString: updated.connectString,
            sshTunnel: sshTunnelSummary(updated.sshTunnel),
          },
        });
        return updated;
      });
      // The live session (and its tunnel) was opened with the old settings.
      await sessions.close(id);
      await ctx.services.tunnels.closeConnection(id);
      return profile;
    }),
  ),

  remove: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) =>
    guarded(async () => {
      const { store, actor, sessions } = ctx.services;
      const before = store.connections.get(input.id);
      if (!before)
        throw new TRPCError({ code: 'NOT_FOUND', message: `Connection ${input.id} does not exist` });
      await sessions.close(input.id);
      await ctx.services.tunnels.closeConnection(input.id);
      store.transaction(() => {
        store.connections.remove(input.id);
        store.events.append({
          actor,
          action: 'connection.removed',
          target: input.id,
          detail: { name: before.name, connectString: before.connectString },
        });
      });
      return { removed: true };
    }),
  ),

  /**
   * Switches a connection between read-only and read-write. Going read-write needs the connection's
   * name typed back (the UI asks for it); both directions are audited.
   */
  setMode: publicProcedure.input(setModeInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      const { store, actor } = ctx.services;
      const before = store.connections.get(input.id);
      if (!before)
        throw new TRPCError({ code: 'NOT_FOUND', message: `Connection ${input.id} does not exist` });
      if (before.readOnly === input.readOnly) return before;
      if (!input.readOnly && input.confirmName !== before.name) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `To allow writes to '${before.name}', type its name exactly to confirm: nothing was changed`,
        });
      }
      return store.transaction(() => {
        const updated = store.connections.update(input.id, { readOnly: input.readOnly });
        store.events.append({
          actor,
          action: 'connection.mode-changed',
          target: input.id,
          detail: {
            name: updated.name,
            from: before.readOnly ? 'read-only' : 'read-write',
            to: updated.readOnly ? 'read-only' : 'read-write',
          },
        });
        return updated;
      });
    }),
  ),

  /** Tries the settings without saving them: a throwaway session, one read of '/', then close. */
  test: publicProcedure
    .input(z.object({ input: connectionInputSchema, id: z.string().optional() }))
    .mutation(async ({ ctx, input: { input, id } }): Promise<ConnectionTestResult> => {
      const { store, connect, actor } = ctx.services;
      const parsed = parseConnectString(input.connectString, input.chroot);
      if (!parsed.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: parsed.error });
      // Editing a profile with a stored credential: test with it unless the form replaces or clears it.
      const digest = input.clearDigestAuth
        ? undefined
        : (input.digestAuth ?? (id ? store.connections.digestAuth(id) : null) ?? undefined);
      const started = Date.now();
      // Every test is audited with its outcome, whichever way it ended.
      const audited = (result: ConnectionTestResult): ConnectionTestResult => {
        store.events.append({
          actor,
          action: 'connection.tested',
          target: id ?? null,
          detail: {
            connectString: parsed.value.normalized,
            ok: result.ok,
            latencyMs: result.latencyMs,
            message: result.message,
          },
        });
        return result;
      };
      let result: ConnectionTestResult;
      let tunnel: Awaited<ReturnType<typeof sshTunnelForTest>>;
      let targets: NonNullable<ConnectionTestResult['tunnel']>['targets'] = [];
      try {
        // A throwaway tunnel with the form's settings: the saved one may differ.
        tunnel = await sshTunnelForTest(store, input, id, parsed.value.hosts);
        if (tunnel) targets = await tunnel.checkTargets();
      } catch (error) {
        return audited({
          ok: false,
          latencyMs: Date.now() - started,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      const via = tunnel ? { jumpHost: tunnel.jumpHost, targets } : undefined;
      try {
        const session = await connect({
          connectString: tunnel ? tunnel.connectString(parsed.value.chroot) : parsed.value.normalized,
          sessionTimeoutMs: input.sessionTimeoutMs,
          connectTimeoutMs: input.connectTimeoutMs,
          digestAuth: digest ? [digest] : [],
        });
        try {
          const root = await session.exists('/');
          result = {
            ok: root !== null,
            latencyMs: Date.now() - started,
            rootChildren: root?.numChildren,
            message: `${
              root
                ? `Connected to ${countOf(parsed.value.hosts.length, 'server')}; ${parsed.value.chroot ?? '/'} has ${countOf(root.numChildren, 'child', 'children')}`
                : `Connected, but the chroot ${parsed.value.chroot} does not exist on this ensemble`
            }${tunnel ? ` (through the SSH jump host ${tunnel.jumpHost})` : ''}`,
            ...(via ? { tunnel: via } : {}),
          };
        } finally {
          await session.close();
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const refused = targets.flatMap((t) => (t.error ? [t.error] : []));
        result = {
          ok: false,
          latencyMs: Date.now() - started,
          message: tunnel
            ? `${tunnel.explain(message)} (through the SSH jump host ${tunnel.jumpHost}${refused.length > 0 ? `: ${refused.join('; ')}` : ''})`
            : message,
          ...(via ? { tunnel: via } : {}),
        };
      } finally {
        await tunnel?.close();
      }
      return audited(result);
    }),
});
