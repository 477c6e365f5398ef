/**
 * What the copy does with one pair of nodes, given the mode. The plan counts these decisions, the
 * copy carries them out: one function, so the dry run says exactly what the run will do.
 */
import { OPEN_ACL_UNSAFE } from '../../zk/acl';
import type { ZkAcl } from '../../zk/types';
import { aclEqual, aclGrants, temporaryAcl, type WriterIdentity } from './acl-rules';
import type { PairRecord } from './pair-walk';
import type { CopyMode } from './types';

export type Decision =
  /** Create the node; when `finalAcl` is set, `acl` is temporary and the final one comes later. */
  | { action: 'create'; acl: readonly ZkAcl[]; finalAcl: readonly ZkAcl[] | null }
  | { action: 'update'; setData: boolean; acl: readonly ZkAcl[] | null; deferAcl: boolean }
  | { action: 'unchanged' }
  | { action: 'conflict'; reason: string }
  | { action: 'skip-ephemeral' }
  | { action: 'delete' }
  | { action: 'keep-target-ephemeral' }
  /** On the target only, and this mode keeps it. */
  | { action: 'extra' }
  | { action: 'unreadable'; side: 'source' | 'target'; message: string }
  /** Gone on both sides since its parent listed it. */
  | { action: 'none' };

export interface DecideOptions {
  mode: CopyMode;
  copyAcl: boolean;
  identity: WriterIdentity;
}

/** Permissions the writer needs on a node to finish its subtree (create children, mirror deletes). */
const SUBTREE_PERMS = 'cd';

export function decide(record: PairRecord, options: DecideOptions): Decision {
  const { source, target } = record;
  if (source.state === 'unreadable') return { action: 'unreadable', side: 'source', message: source.message };
  if (target.state === 'unreadable') return { action: 'unreadable', side: 'target', message: target.message };

  if (source.state === 'present') {
    const node = source.node;
    if (node.ephemeral) return { action: 'skip-ephemeral' };
    const finalAcl = options.copyAcl && node.acl ? node.acl : OPEN_ACL_UNSAFE;
    if (target.state === 'absent') {
      const locked = node.numChildren > 0 && !aclGrants(finalAcl, SUBTREE_PERMS, options.identity);
      return locked
        ? { action: 'create', acl: temporaryAcl(options.identity), finalAcl }
        : { action: 'create', acl: finalAcl, finalAcl: null };
    }
    // Above an include glob: the node only has to exist.
    if (record.scope === 'structural') return { action: 'unchanged' };
    const existing = target.node;
    if (existing.ephemeral) {
      return { action: 'conflict', reason: 'the target node is ephemeral (owned by a live session)' };
    }
    const dataDiffers = !node.data.equals(existing.data);
    const aclDiffers = options.copyAcl && !aclEqual(node.acl, existing.acl);
    if (!dataDiffers && !aclDiffers) return { action: 'unchanged' };
    if (options.mode === 'create-only') {
      return {
        action: 'conflict',
        reason: dataDiffers
          ? 'the target node exists with different data (create-only mode does not overwrite)'
          : 'the target node exists with a different ACL (create-only mode does not overwrite)',
      };
    }
    const hasChildren = node.numChildren > 0 || existing.numChildren > 0;
    return {
      action: 'update',
      setData: dataDiffers,
      acl: aclDiffers ? finalAcl : null,
      deferAcl: aclDiffers && hasChildren && !aclGrants(finalAcl, SUBTREE_PERMS, options.identity),
    };
  }

  if (target.state === 'present') {
    if (options.mode !== 'mirror' || record.scope !== 'full') return { action: 'extra' };
    if (target.node.ephemeral) return { action: 'keep-target-ephemeral' };
    return { action: 'delete' };
  }
  return { action: 'none' };
}
