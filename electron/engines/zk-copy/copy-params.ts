/**
 * CopyParams from a source, a target and what differs from the usual run. The CLI, the host API, the
 * import and the runbooks all start from the same shape (no filters, no reconcile pass, verify on),
 * so the defaults live here once and a field added to CopyParams gets its default in one place.
 */
import type { CopyParams, EndpointRef } from './types';

/** Everything but the two sides; `maxNodesPerSecond` may be null or 0 when the operator set none. */
export type CopyOptions = Partial<Omit<CopyParams, 'source' | 'target' | 'maxNodesPerSecond'>> & {
  maxNodesPerSecond?: number | null;
};

/**
 * A copy (create-only, ACLs copied, no filters, no reconcile pass, then verify) with `options` over
 * those defaults. No read-rate ceiling (unset, null or 0) leaves the field out, as runs made before it
 * existed have it.
 */
export function copyParams(source: EndpointRef, target: EndpointRef, options: CopyOptions = {}): CopyParams {
  const { maxNodesPerSecond, ...rest } = options;
  return {
    source,
    target,
    mode: 'create-only',
    copyAcl: true,
    include: [],
    exclude: [],
    reconcilePasses: 0,
    verify: true,
    ...rest,
    ...(maxNodesPerSecond ? { maxNodesPerSecond } : {}),
  };
}

/**
 * A comparison (a zk-diff run, which only verifies): recorded with the copy defaults, as every diff
 * run has been; `compareAcl` false compares data and paths only.
 */
export function compareParams(
  source: EndpointRef,
  target: EndpointRef,
  options: { compareAcl?: boolean; maxNodesPerSecond?: number | null } = {},
): CopyParams {
  return copyParams(source, target, {
    copyAcl: options.compareAcl ?? true,
    maxNodesPerSecond: options.maxNodesPerSecond,
  });
}
