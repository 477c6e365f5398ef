/**
 * Turning a runbook's connection parameter into a RunConnection. Saved connections are found by id
 * or by name (a name is what an operator types in the CLI); a plain `zk://host:port[,host:port][/chroot]`
 * is accepted only where the caller allows it (the CLI, like `mdesk zk copy`), and is never read-only:
 * the operator typed it for this command.
 */
import { parseConnectString } from '../../shared/connect-string';
import type { ZkEndpointRef } from '../engines/zk-copy/endpoints';
import type { Store } from '../store/types';
import type { RunConnection } from './run-services';

export class ConnectionRefError extends Error {
  override name = 'ConnectionRefError';
}

export function findSavedConnection(store: Store, ref: string) {
  const text = ref.startsWith('@') ? ref.slice(1) : ref;
  return (
    store.connections.get(text) ??
    store.connections.list().find((profile) => profile.name.toLowerCase() === text.toLowerCase())
  );
}

export function savedConnection(store: Store, ref: string): RunConnection | undefined {
  const profile = findSavedConnection(store, ref);
  if (!profile) return undefined;
  const parsed = parseConnectString(profile.connectString, profile.chroot ?? undefined);
  if (!parsed.ok) {
    throw new ConnectionRefError(`The saved connection '${profile.name}' is invalid: ${parsed.error}`);
  }
  return {
    ref,
    label: `@${profile.name}`,
    connectionId: profile.id,
    readOnly: profile.readOnly,
    endpoint: (path: string): ZkEndpointRef => ({
      kind: 'zk',
      connectString: parsed.value.normalized,
      path,
      connectionId: profile.id,
      connectionName: profile.name,
      sessionTimeoutMs: profile.sessionTimeoutMs,
      connectTimeoutMs: profile.connectTimeoutMs,
    }),
  };
}

/** zk://host:port[,host:port][/chroot]; credentials never (they belong in MDESK_ZK_AUTH). */
export function adHocConnection(ref: string): RunConnection | undefined {
  if (!ref.startsWith('zk://')) return undefined;
  const rest = ref.slice('zk://'.length);
  if (rest.includes('@')) {
    throw new ConnectionRefError(
      `'${ref}' carries credentials: remove them and set MDESK_ZK_AUTH=digest:user:password instead`,
    );
  }
  const parsed = parseConnectString(rest.replace(/\/+$/, ''));
  if (!parsed.ok) throw new ConnectionRefError(`'${ref}': ${parsed.error}`);
  const connectString = parsed.value.normalized;
  return {
    ref,
    label: `zk://${connectString}`,
    readOnly: false,
    endpoint: (path: string): ZkEndpointRef => ({ kind: 'zk', connectString, path }),
  };
}

/** Resolves `ref`, or throws a message listing what would have been accepted. */
export function resolveConnection(
  store: Store,
  ref: string,
  options: { allowConnectString: boolean },
): RunConnection {
  const saved = savedConnection(store, ref);
  if (saved) return saved;
  if (ref.startsWith('zk://')) {
    if (!options.allowConnectString) {
      throw new ConnectionRefError(
        `'${ref}' is not a saved connection: save it in Connections first (the app only writes through saved connections, which start read-only)`,
      );
    }
    return adHocConnection(ref)!;
  }
  const names = store.connections.list().map((profile) => profile.name);
  throw new ConnectionRefError(
    `No saved connection '${ref}'${names.length > 0 ? ` (saved: ${names.join(', ')})` : ' (none saved)'}${options.allowConnectString ? '; or give zk://host:port' : ''}`,
  );
}
