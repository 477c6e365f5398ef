/**
 * SSH jump hosts: read the host key a server presents (no login), trust it after the operator
 * compared the fingerprint (first use), forget a trusted key, and the state of a connection's
 * tunnel. Trusting and forgetting are audited: they decide which server gets the credentials.
 */
import { z } from 'zod';
import {
  type HostKeyProbe,
  sshEndpointInputSchema,
  trustHostKeyInputSchema,
} from '../../../shared/api/ssh-host-keys';
import { checkHostKey, sshEndpoint } from '../../ssh/host-key';
import { probeHostKey } from '../../ssh/ssh-connect';
import { guarded, publicProcedure, router } from '../trpc';

const PROBE_TIMEOUT_MS = 10_000;

export const sshRouter = router({
  probeHostKey: publicProcedure.input(sshEndpointInputSchema).mutation(({ ctx, input }) =>
    guarded(async (): Promise<HostKeyProbe> => {
      const presented = await probeHostKey(input.host, input.port, PROBE_TIMEOUT_MS);
      const trusted = ctx.services.store.sshKnownHosts.get(input.host, input.port) ?? null;
      return {
        host: input.host,
        port: input.port,
        ...presented,
        verdict: checkHostKey(presented, trusted ?? undefined),
        trusted,
      };
    }),
  ),

  trustHostKey: publicProcedure.input(trustHostKeyInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      const { store, actor } = ctx.services;
      return store.transaction(() => {
        const before = store.sshKnownHosts.get(input.host, input.port);
        const trusted = store.sshKnownHosts.trust({ ...input, trustedBy: actor });
        store.events.append({
          actor,
          action: 'ssh.host-key-trusted',
          target: sshEndpoint(input.host, input.port),
          detail: {
            keyType: input.keyType,
            fingerprint: input.fingerprint,
            replaced: before ? before.fingerprint : null,
          },
        });
        return trusted;
      });
    }),
  ),

  forgetHostKey: publicProcedure.input(sshEndpointInputSchema).mutation(({ ctx, input }) =>
    guarded(() => {
      const { store, actor } = ctx.services;
      return store.transaction(() => {
        const before = store.sshKnownHosts.get(input.host, input.port);
        if (!before) return { forgotten: false };
        store.sshKnownHosts.forget(input.host, input.port);
        store.events.append({
          actor,
          action: 'ssh.host-key-forgotten',
          target: sshEndpoint(input.host, input.port),
          detail: { keyType: before.keyType, fingerprint: before.fingerprint },
        });
        return { forgotten: true };
      });
    }),
  ),

  knownHosts: publicProcedure.query(({ ctx }) => ctx.services.store.sshKnownHosts.list()),

  tunnelStatus: publicProcedure
    .input(z.object({ connectionId: z.string().min(1) }))
    .query(({ ctx, input }) => ctx.services.tunnels.status(input.connectionId)),
});
