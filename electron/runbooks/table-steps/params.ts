/** Parameter schemas the table runbooks share: table and cluster names as the meta accepts them. */
import { z } from 'zod';
import { normalizeMetaAddrsInput } from '../../pegasus/meta-proxy-switch';

function trimmed(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value;
}

/** A Pegasus table name (letters, digits, _ . :), as `replication_ddl_client::valid_app_char` allows. */
export function tableNameParam() {
  return z.preprocess(
    trimmed,
    z
      .string({ error: 'give the table name, e.g. temp' })
      .regex(/^[A-Za-z0-9_.:]+$/, 'a table name has only letters, digits, _ . and :'),
  );
}

/** A cluster name as [pegasus.clusters] lists it: one word. */
export function clusterNameParam() {
  return z.preprocess(
    trimmed,
    z
      .string({ error: 'give the cluster name as [pegasus.clusters] lists it, e.g. tjsrv' })
      .regex(
        /^[^\s=[\];#,]+$/,
        'a cluster name is one word, as in [pegasus.clusters] (no spaces, = [ ] ; # ,)',
      ),
  );
}

/** A cluster name, or '' for "find it out" (cluster_info, the profile). */
export function optionalClusterNameParam() {
  return z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .regex(
        /^[^\s=[\];#,]*$/,
        'a cluster name is one word, as in [pegasus.clusters] (no spaces, = [ ] ; # ,)',
      ),
  );
}

/** host:port,host:port with the spaces of a pasted list removed (validated by the MetaProxy rules later). */
export function metaListParam() {
  return z.preprocess(
    (value) => {
      const text = trimmed(value);
      return typeof text === 'string' ? normalizeMetaAddrsInput(text) : text;
    },
    z
      .string({ error: 'give the meta servers as host:port,host:port' })
      .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)+$/, 'give at least two meta servers as host:port,host:port'),
  );
}
