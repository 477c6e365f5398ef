/**
 * The host's tRPC API as an e2e test calls it beside the browser (to set up connections, profiles
 * and runs the UI then shows): the same endpoint and bearer token the page uses, from the host's URL.
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../electron/host/router';

export type HostApi = ReturnType<typeof createTRPCClient<AppRouter>>;

export function hostApi(host: { url: string; port: number }): HostApi {
  const token = new URL(host.url).searchParams.get('token') ?? '';
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `http://127.0.0.1:${host.port}/trpc`,
        headers: { authorization: `Bearer ${token}` },
      }),
    ],
  });
}

/**
 * A connection saved on the host and switched to read-write with its name typed back (as the
 * Connections view asks an operator to); returns its id. `digestAuth`: user:password for its session.
 */
export async function addReadWriteConnection(
  api: HostApi,
  name: string,
  connectString: string,
  options: { digestAuth?: string } = {},
): Promise<string> {
  const profile = await api.connections.create.mutate({ name, connectString, ...options });
  await api.connections.setMode.mutate({ id: profile.id, readOnly: false, confirmName: name });
  return profile.id;
}
