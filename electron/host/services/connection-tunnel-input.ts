/**
 * The SSH jump host part of a connection form, as the connections API turns it into store changes,
 * audit summaries and a throwaway tunnel for "Test". A password is required once and then kept
 * sealed: an edit that leaves the field empty keeps the stored one.
 */
import { TRPCError } from '@trpc/server';
import type { ZkHostPort } from '../../../shared/connect-string';
import type { SshTunnelProfile, sshTunnelInputSchema } from '../../../shared/api/connections';
import { sshEndpoint } from '../../ssh/host-key';
import { SshTunnel } from '../../ssh/ssh-tunnel';
import type { SshTunnelChange, Store } from '../../store/types';
import { jumpHostFor } from './tunnel-pool';
import type { z } from 'zod';

type TunnelInput = z.output<typeof sshTunnelInputSchema>;

function typedSecret(input: TunnelInput): string | undefined {
  return input.secret !== undefined && input.secret !== '' ? input.secret : undefined;
}

/**
 * The store change for the form's tunnel: undefined keeps the saved one (an API client that does
 * not know tunnels), null removes it. Refuses password logins without a password to use.
 */
export function sshTunnelChange(
  input: TunnelInput | null | undefined,
  before: SshTunnelProfile | null | undefined,
): SshTunnelChange | null | undefined {
  if (input === undefined || input === null) return input;
  const secret = typedSecret(input);
  const keepsStored = before?.auth === input.auth && before.hasSecret && !input.clearSecret;
  if (input.auth === 'password' && secret === undefined && !keepsStored) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Invalid input: sshTunnel.secret: the SSH password is required for password authentication',
    });
  }
  return {
    host: input.host,
    port: input.port,
    user: input.user,
    auth: input.auth,
    keyPath: input.auth === 'key' ? (input.keyPath ?? null) : null,
    ...(input.clearSecret ? { secret: null } : secret !== undefined ? { secret } : {}),
  };
}

/** How the audit log names a jump host: never a secret. */
export function sshTunnelSummary(tunnel: SshTunnelProfile | null): string | null {
  return tunnel ? `${tunnel.user}@${sshEndpoint(tunnel.host, tunnel.port)} (${tunnel.auth})` : null;
}

/**
 * A tunnel with the form's settings for a connection test (closed by the caller), or undefined for a
 * direct connection. On an edit, an empty secret field means the stored one.
 */
export async function sshTunnelForTest(
  store: Store,
  input: { sshTunnel?: TunnelInput | null; connectTimeoutMs: number },
  connectionId: string | undefined,
  hosts: readonly ZkHostPort[],
): Promise<SshTunnel | undefined> {
  const saved = connectionId ? store.connections.get(connectionId)?.sshTunnel : undefined;
  const settings =
    input.sshTunnel === undefined
      ? saved
        ? { ...saved, keyPath: saved.keyPath ?? undefined }
        : undefined
      : input.sshTunnel;
  if (!settings) return undefined;
  const typed = input.sshTunnel ? typedSecret(input.sshTunnel) : undefined;
  const useStored =
    typed === undefined &&
    !input.sshTunnel?.clearSecret &&
    connectionId !== undefined &&
    saved?.auth === settings.auth &&
    saved.hasSecret;
  const secret = typed ?? (useStored ? store.connections.sshSecret(connectionId as string) : null);
  if (settings.auth === 'password' && !secret) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Invalid input: sshTunnel.secret: the SSH password is required for password authentication',
    });
  }
  return SshTunnel.open(jumpHostFor(settings, secret, store, input.connectTimeoutMs), hosts);
}
