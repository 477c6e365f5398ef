/**
 * SRC and DST as the CLI takes them: `zk://host:port[,host:port]/path` or `@saved-name:/path`.
 * Credentials are never part of it (no user:pass@ in URLs): they would end up in shell history and
 * in `ps` output. They come from MDESK_ZK_AUTH or the saved connection.
 */
import { parseConnectString } from '../../shared/connect-string';
import { validateZkPath } from '../../shared/zk-path';
import { UsageError } from './command';

export type EndpointSpec =
  | { kind: 'url'; hosts: string; path: string }
  | { kind: 'saved'; name: string; path: string };

export function parseEndpointSpec(text: string, role: string): EndpointSpec {
  let spec: EndpointSpec;
  if (text.startsWith('zk://')) {
    const rest = text.slice('zk://'.length);
    if (rest.includes('@')) {
      throw new UsageError(
        `${role} '${text}' carries credentials: remove them, and set MDESK_ZK_AUTH=digest:user:password instead (never on the command line)`,
      );
    }
    const slash = rest.indexOf('/');
    const hosts = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '/' : rest.slice(slash).replace(/(.)\/+$/, '$1');
    const parsed = parseConnectString(hosts);
    if (!parsed.ok) throw new UsageError(`${role} '${text}': ${parsed.error}`);
    spec = { kind: 'url', hosts: parsed.value.normalized, path };
  } else if (text.startsWith('@')) {
    const match = /^@([^:]+)(?::(\/.*))?$/.exec(text);
    if (!match) throw new UsageError(`${role} '${text}' must look like @saved-name:/path`);
    spec = { kind: 'saved', name: match[1]!, path: (match[2] ?? '/').replace(/(.)\/+$/, '$1') };
  } else {
    throw new UsageError(
      `${role} '${text}' must be zk://host:port[,host:port]/path or @saved-name:/path (a saved connection)`,
    );
  }
  const problem = validateZkPath(spec.path);
  if (problem) throw new UsageError(`${role} '${text}': path ${problem}`);
  return spec;
}

/** MDESK_ZK_AUTH=digest:user:password, as the digest credential 'user:password'. */
export function credentialFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.MDESK_ZK_AUTH;
  if (value === undefined || value === '') return undefined;
  const match = /^digest:([^:\s]+):(.+)$/.exec(value);
  if (!match) {
    throw new UsageError(
      'MDESK_ZK_AUTH must look like digest:user:password (only the digest scheme is supported)',
    );
  }
  return `${match[1]}:${match[2]}`;
}
