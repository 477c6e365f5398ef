/**
 * SSH tunnels for one mdesk command: a saved connection with a jump host gets its tunnel on first
 * use (the host's TunnelPool, so the same host-key check, secrets and audit entries), and every
 * tunnel is closed when the command ends. The CLI has no prompt: a jump host whose key was never
 * trusted, or whose key changed, is refused with what to do in the app, which keeps the trusted
 * keys in the same data dir. The password or passphrase is read from the store only to log in.
 */
import { TunnelPool } from '../host/services/tunnel-pool';
import { SshTunnelError } from '../ssh/ssh-errors';
import type { TunnelLeases } from '../ssh/tunnel-route';
import type { Store } from '../store/types';

function nameOf(store: Store, connectionId: string): string {
  return store.connections.get(connectionId)?.name ?? connectionId;
}

/** The refusal, plus how to trust the key: mdesk cannot ask, the app can. */
function hostKeyAdvice(store: Store, connectionId: string, error: SshTunnelError): SshTunnelError {
  const name = nameOf(store, connectionId);
  const how =
    error.code === 'SSH_HOST_KEY_UNKNOWN'
      ? `mdesk never trusts a host key by itself: in Migration Desk, open Connections, edit '${name}', press "Check host key" in its SSH tunnel section and trust the key once the fingerprints match; then run this command again (with the same data dir).`
      : `mdesk will not replace a trusted host key: once the admin confirms the new fingerprint, replace it in Migration Desk (Connections, edit '${name}', "Check host key"); then run this command again.`;
  return new SshTunnelError(error.code, `${error.message} ${how}`, error.hostKey, { cause: error });
}

export class CliTunnels implements TunnelLeases {
  private readonly pool: TunnelPool;

  constructor(
    private readonly store: Store,
    actor: string,
  ) {
    this.pool = new TunnelPool(store, actor);
  }

  async acquire(connectionId: string) {
    try {
      return await this.pool.acquire(connectionId);
    } catch (error) {
      if (
        error instanceof SshTunnelError &&
        (error.code === 'SSH_HOST_KEY_UNKNOWN' || error.code === 'SSH_HOST_KEY_MISMATCH')
      ) {
        throw hostKeyAdvice(this.store, connectionId, error);
      }
      if (
        !(error instanceof SshTunnelError) &&
        error instanceof Error &&
        /cannot be opened/.test(error.message)
      ) {
        // The sealed password or passphrase: a connection saved by the desktop app keeps its key in
        // the OS keychain, which the CLI cannot read.
        throw new Error(
          `${error.message} (a connection saved by the desktop app keeps its key in the OS keychain): for the CLI, give '${nameOf(this.store, connectionId)}' an SSH key without a passphrase or use the SSH agent`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Closes every tunnel the command opened (before the store closes: closing is audited). */
  close(): Promise<void> {
    return this.pool.closeAll();
  }
}
