/**
 * Reads child counts and ephemeral owners for the rows on screen, shortly after scrolling settles:
 * one small request per parent in view, never a stat per child of a 100k-child list.
 */
import type { VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { MAX_CHILD_INFO_NAMES } from '../../../../shared/api/zk-node';
import { parentZkPath } from '../../../../shared/zk-path';
import { useExplorerStore } from '../../stores/explorer-store';
import type { TreeNodes, TreeRow } from './tree-model';

const SETTLE_MS = 120;

export function useVisibleChildInfo(
  connectionId: string,
  rows: readonly TreeRow[],
  nodes: TreeNodes | undefined,
  items: readonly VirtualItem[],
): void {
  /** Paths asked for already (in flight or answered), so scrolling back does not ask again. */
  const requested = useRef(new Set<string>());
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    const timer = setTimeout(() => {
      const byParent = new Map<string, string[]>();
      for (let index = first; index <= last; index++) {
        const row = rows[index];
        if (row?.kind !== 'node' || row.path === '/') continue;
        if (nodes?.[row.path]?.numChildren !== undefined || requested.current.has(row.path)) continue;
        requested.current.add(row.path);
        const parent = parentZkPath(row.path);
        const names = byParent.get(parent) ?? [];
        names.push(row.name);
        byParent.set(parent, names);
      }
      const { loadChildInfo } = useExplorerStore.getState();
      for (const [parent, names] of byParent) {
        for (let start = 0; start < names.length; start += MAX_CHILD_INFO_NAMES) {
          void loadChildInfo(connectionId, parent, names.slice(start, start + MAX_CHILD_INFO_NAMES));
        }
      }
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [connectionId, rows, nodes, first, last]);

  // A refreshed list may hold new children: let them be asked for again.
  useEffect(() => {
    if (Object.keys(nodes ?? {}).length === 0) requested.current.clear();
  }, [nodes]);
}
