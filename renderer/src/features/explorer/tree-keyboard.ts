/**
 * Arrow-key navigation over the flattened rows (WAI-ARIA tree pattern): up/down move, right expands
 * or steps into the first child, left collapses or steps out to the parent, Enter toggles.
 */
import { parentZkPath } from '../../../../shared/zk-path';
import { rowIndexOf, type TreeNodeRow, type TreeRow } from './tree-model';

export type TreeKeyAction = { kind: 'select'; path: string } | { kind: 'toggle'; path: string } | null;

function nodeRowAt(rows: readonly TreeRow[], from: number, step: 1 | -1): TreeNodeRow | undefined {
  for (let i = from; i >= 0 && i < rows.length; i += step) {
    const row = rows[i];
    if (row?.kind === 'node') return row;
  }
  return undefined;
}

export function treeKeyAction(
  key: string,
  rows: readonly TreeRow[],
  selectedPath: string | null,
): TreeKeyAction {
  const index = selectedPath === null ? -1 : rowIndexOf(rows, selectedPath);
  const current = index >= 0 ? (rows[index] as TreeNodeRow) : undefined;
  if (!current) {
    const first = nodeRowAt(rows, 0, 1);
    return first && (key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home')
      ? { kind: 'select', path: first.path }
      : null;
  }
  switch (key) {
    case 'ArrowDown': {
      const next = nodeRowAt(rows, index + 1, 1);
      return next ? { kind: 'select', path: next.path } : null;
    }
    case 'ArrowUp': {
      const previous = nodeRowAt(rows, index - 1, -1);
      return previous ? { kind: 'select', path: previous.path } : null;
    }
    case 'Home': {
      const first = nodeRowAt(rows, 0, 1);
      return first ? { kind: 'select', path: first.path } : null;
    }
    case 'End': {
      const last = nodeRowAt(rows, rows.length - 1, -1);
      return last ? { kind: 'select', path: last.path } : null;
    }
    case 'ArrowRight': {
      if (!current.expandable) return null;
      if (!current.expanded) return { kind: 'toggle', path: current.path };
      const child = rows[index + 1];
      return child?.kind === 'node' && child.depth > current.depth
        ? { kind: 'select', path: child.path }
        : null;
    }
    case 'ArrowLeft':
      if (current.expanded) return { kind: 'toggle', path: current.path };
      return current.depth > 0 ? { kind: 'select', path: parentZkPath(current.path) } : null;
    case 'Enter':
      return current.expandable ? { kind: 'toggle', path: current.path } : null;
    default:
      return null;
  }
}
