/**
 * The bytes of a MetaProxy entry, exactly as admin-cli's table-migrator writes them
 * (`encodeToZkNodeData` in tablemigrator/switcher.go, reference §3.2):
 *
 *   {"cluster_name": "<cluster>", "meta_addrs": "<h:p,h:p>"}
 *
 * cluster_name first, one space after each ':' and ',', no newline. Writing the same bytes as the
 * reference tool keeps diffs, digests and the proxy's behaviour identical whichever tool switched.
 */
import { type MetaProxyEntryValue, newEntryProblems } from './entry-validation';

export function buildMetaProxyPayload(value: MetaProxyEntryValue): Buffer {
  const problems = newEntryProblems(value);
  // Callers validate first and show the operator every problem; reaching here with one is a bug.
  if (problems.length > 0)
    throw new Error(`Refusing to build an invalid MetaProxy entry: ${problems.join('; ')}`);
  // The character rules make escaping a no-op; JSON.stringify still guarantees valid JSON.
  const text = `{"cluster_name": ${JSON.stringify(value.clusterName)}, "meta_addrs": ${JSON.stringify(value.metaAddrs)}}`;
  return Buffer.from(text, 'utf8');
}
