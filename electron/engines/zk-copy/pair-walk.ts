/**
 * A walk of a source and a target tree side by side, for plan, copy and verify.
 *
 * Each item is one relative path with what is known about it: present on the source, present on the
 * target (known from the parent's child list, so a fresh copy into an empty target reads nothing on
 * the target), or unknown (the roots). A visit reads both sides, lists children only where
 * `numChildren > 0`, and merges the two sorted child lists, so extra-target nodes come out of the
 * same walk. Parents always come out before their children: children are only known once their
 * parent's visit returned.
 */
import { isZkError } from '../../zk/errors';
import {
  type ChildList,
  KEY_SEPARATOR,
  preorderKey,
  subtreeBefore,
  TreeWalker,
  type WalkItem,
} from '../../zk/tree-walker';
import type { PathFilter, Scope } from './path-filter';
import { ABSENT, type ReadResult, type TreeReader } from './tree-reader';

export interface PairItem extends WalkItem {
  rel: string;
  scope: Scope;
  inSource: boolean;
  /** undefined: not known yet (read to find out). */
  inTarget: boolean | undefined;
}

export interface PairRecord {
  key: string;
  rel: string;
  scope: Scope;
  source: ReadResult;
  target: ReadResult;
  /** Target-only children this walk will visit (mirror deletes wait for them). */
  targetOnlyChildren: number;
}

export interface PairWalkOptions {
  source: TreeReader;
  target: TreeReader;
  /** Read ACLs on both sides. */
  withAcl: boolean;
  /** Visit target-only nodes (mirror deletes, verify's extra-target, the plan's deletes). */
  extras: boolean;
  filter: PathFilter;
  /** Resume: subtrees wholly before this key were finished by an earlier attempt. */
  resumeAfter?: string;
  /** Visits in flight (default 128 per lane of the source). */
  concurrency?: number;
  byteBudget?: number;
}

const IN_SOURCE = 1;
const IN_TARGET = 2;
const SKIP = 0;
const FULL = 1;
const STRUCTURAL = 2;

/** Merges two sorted name lists into names + flags (IN_SOURCE | IN_TARGET). */
function mergeChildren(source: string[], target: string[]): { names: string[]; flags: Uint8Array } {
  const names: string[] = [];
  const flags = new Uint8Array(source.length + target.length);
  let i = 0;
  let j = 0;
  while (i < source.length || j < target.length) {
    const a = source[i];
    const b = target[j];
    if (b === undefined || (a !== undefined && a < b)) {
      flags[names.length] = IN_SOURCE;
      names.push(a!);
      i += 1;
    } else if (a === undefined || b < a) {
      flags[names.length] = IN_TARGET;
      names.push(b);
      j += 1;
    } else {
      flags[names.length] = IN_SOURCE | IN_TARGET;
      names.push(a);
      i += 1;
      j += 1;
    }
  }
  return { names, flags: flags.subarray(0, names.length) };
}

function childRel(parent: string, name: string): string {
  return `${parent}/${name}`;
}

function hasChildren(result: ReadResult): boolean {
  return result.state === 'present' && result.node.numChildren > 0 && !result.node.ephemeral;
}

async function listChildren(
  reader: TreeReader,
  rel: string,
  lane: number,
  result: ReadResult,
  wanted: boolean,
): Promise<{ names: string[]; failure?: ReadResult }> {
  if (!wanted || result.state !== 'present' || result.node.numChildren === 0 || result.node.ephemeral) {
    return { names: [] };
  }
  try {
    return { names: await reader.children(rel, lane) };
  } catch (error) {
    if (isZkError(error) && error.code === 'NO_NODE') return { names: [] };
    if (isZkError(error) && error.code === 'NO_AUTH') {
      return { names: [], failure: { state: 'unreadable', code: error.code, message: error.message } };
    }
    throw error;
  }
}

export function pairWalk(options: PairWalkOptions): TreeWalker<PairItem, PairRecord> {
  const { source, target, withAcl, extras, filter, resumeAfter } = options;
  const rootScope = filter.rootScope();
  const roots: PairItem[] =
    rootScope === 'skip' ? [] : [{ key: '', rel: '', scope: rootScope, inSource: true, inTarget: undefined }];

  return new TreeWalker<PairItem, PairRecord>({
    roots,
    concurrency: options.concurrency ?? 128 * Math.max(1, source.lanes),
    lanes: Math.max(source.lanes, target.lanes),
    byteBudget: options.byteBudget,
    async visit(item, lane) {
      // One side only when the other is known to be absent: a fresh copy reads nothing on the target.
      let sourceRead: ReadResult = ABSENT;
      let targetRead: ReadResult = ABSENT;
      if (item.inTarget === false) {
        if (item.inSource) sourceRead = await source.read(item.rel, lane, withAcl);
      } else if (!item.inSource) {
        targetRead = await target.read(item.rel, lane, withAcl);
      } else {
        [sourceRead, targetRead] = await Promise.all([
          source.read(item.rel, lane, withAcl),
          target.read(item.rel, lane, withAcl),
        ]);
      }
      const bytes =
        (sourceRead.state === 'present' ? sourceRead.node.data.length : 0) +
        (targetRead.state === 'present' ? targetRead.node.data.length : 0);
      const sourceHasChildren = hasChildren(sourceRead);
      // Target children only matter where the source has children too, or for extras.
      const wantTargetChildren = hasChildren(targetRead) && (extras || sourceHasChildren);
      if (!sourceHasChildren && !wantTargetChildren) {
        // A leaf on both sides (most nodes of a Pegasus tree): no child lists to merge.
        return {
          result: {
            key: item.key,
            rel: item.rel,
            scope: item.scope,
            source: sourceRead,
            target: targetRead,
            targetOnlyChildren: 0,
          },
          bytes,
        };
      }
      const [sourceChildren, targetChildren] = await Promise.all([
        listChildren(source, item.rel, lane, sourceRead, true),
        listChildren(target, item.rel, lane, targetRead, wantTargetChildren),
      ]);
      const record: PairRecord = {
        key: item.key,
        rel: item.rel,
        scope: item.scope,
        source: sourceChildren.failure ?? sourceRead,
        target: targetChildren.failure ?? targetRead,
        targetOnlyChildren: 0,
      };
      const { names, flags } = mergeChildren(sourceChildren.names, targetChildren.names);
      // Decide every child now: the count of target-only children is part of this record.
      const decisions = new Uint8Array(names.length);
      for (let index = 0; index < names.length; index += 1) {
        const rel = childRel(item.rel, names[index]!);
        let flag = flags[index]!;
        if (flag & IN_SOURCE && source.isReserved(rel)) flag &= ~IN_SOURCE;
        // ZooKeeper's own subtree on the target is never written, whatever the source holds there.
        if (target.isReserved(rel)) flag = 0;
        flags[index] = flag;
        if (flag === 0) continue;
        if (resumeAfter !== undefined && subtreeBefore(preorderKey(rel), resumeAfter)) continue;
        const scope = filter.classify(rel, item.scope);
        if (scope === 'skip') continue;
        if (!(flag & IN_SOURCE)) {
          // Target-only: only whole-scope subtrees are extras; above an include they are not ours.
          if (!extras || scope !== 'full') continue;
          record.targetOnlyChildren += 1;
        }
        decisions[index] = scope === 'full' ? FULL : STRUCTURAL;
      }
      // A child's key is its parent's key, the separator and its name (what preorderKey(rel) gives,
      // without rescanning the path); the walker asks for it just before it takes the child.
      const prefix = item.key + KEY_SEPARATOR;
      let keyIndex = -1;
      let lastKey = '';
      const keyAt = (index: number) => {
        if (index !== keyIndex) {
          keyIndex = index;
          lastKey = prefix + names[index]!;
        }
        return lastKey;
      };
      const children: ChildList<PairItem> = {
        length: names.length,
        keyAt,
        at: (index) => {
          const decision = decisions[index];
          if (decision === SKIP) return undefined;
          const rel = childRel(item.rel, names[index]!);
          return {
            key: keyAt(index),
            rel,
            scope: decision === FULL ? 'full' : 'structural',
            inSource: (flags[index]! & IN_SOURCE) !== 0,
            inTarget: (flags[index]! & IN_TARGET) !== 0,
          };
        },
      };
      return { result: record, children, bytes };
    },
  });
}
