/**
 * The explorer tree as data: what is known about each path, and the flat list of visible rows the
 * virtualizer renders. Flattening is iterative (no recursion limit on deep trees) and touches only
 * expanded nodes, so a collapsed node with 100k children costs one row.
 */
import { filterChildNames } from '../../../../shared/path-match';
import { joinZkPath, parentZkPath, zkPathName } from '../../../../shared/zk-path';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

export interface TreeNodeState {
  /** Child names as last loaded (sorted by the API). */
  children?: readonly string[];
  /** From the node's stat, whenever a children or get call returned it. */
  numChildren?: number;
  status: LoadStatus;
  /** Operator-facing message of the last failed load. */
  error?: string;
  /** From a stat (childInfo for rows in view, or the node panel): an ephemeral node's owner. */
  ephemeralOwner?: string | null;
  /** The pzxid the loaded child list belongs to: a different one means the list is stale. */
  pzxid?: string;
}

export type TreeNodes = Readonly<Record<string, TreeNodeState>>;
export type ExpandedPaths = Readonly<Record<string, boolean>>;

export interface TreeNodeRow {
  kind: 'node';
  key: string;
  path: string;
  name: string;
  depth: number;
  expanded: boolean;
  /** False only when the node is known to have no children (and is not open). */
  expandable: boolean;
  /** Known child count, from the stat or the loaded list. */
  childCount?: number;
  /** A reload is running while the old children stay visible. */
  loading: boolean;
  /** Known to be ephemeral (its stat was read). */
  ephemeral?: boolean;
}

/** The filter box of an expanded node with many children (or a filter typed already). */
export interface TreeFilterRow {
  kind: 'filter';
  key: string;
  parentPath: string;
  depth: number;
  text: string;
  /** Children the node has, and how many pass the filter. */
  total: number;
  shown: number;
}

export interface TreePlaceholderRow {
  kind: 'loading' | 'empty' | 'error';
  key: string;
  parentPath: string;
  depth: number;
  message?: string;
}

export type TreeRow = TreeNodeRow | TreeFilterRow | TreePlaceholderRow;

/** From this many children on, an expanded node gets a filter box above them. */
export const FILTER_ROW_THRESHOLD = 50;

export interface FlattenOptions {
  /** Child-name filter text per expanded path (see shared/path-match childNameFilter). */
  filters?: Readonly<Record<string, string>>;
  filterThreshold?: number;
}

/**
 * Filtered child lists, cached per loaded list and filter text: flattening runs on every tree change,
 * and re-filtering 100k names each time would cost more than the flattening itself.
 */
const filterCache = new WeakMap<readonly string[], Map<string, readonly string[]>>();

export function filteredChildren(children: readonly string[], text: string): readonly string[] {
  if (text.trim() === '') return children;
  let byText = filterCache.get(children);
  if (!byText) {
    byText = new Map();
    filterCache.set(children, byText);
  }
  let result = byText.get(text);
  if (!result) {
    result = filterChildNames(children, text);
    // A few recent filters per list are enough (the operator is typing one).
    if (byText.size >= 8) byText.clear();
    byText.set(text, result);
  }
  return result;
}

export function isKnownLeaf(state: TreeNodeState | undefined): boolean {
  if (!state) return false;
  if (state.status === 'loaded' && state.children) return state.children.length === 0;
  return state.numChildren === 0;
}

interface Frame {
  path: string;
  depth: number;
  children: readonly string[];
  index: number;
  /** What is known about this node's children, by child name (see indexByParent). */
  known: Map<string, KnownChild> | undefined;
}

interface KnownChild {
  state: TreeNodeState | undefined;
  expanded: boolean;
}

/**
 * Groups the (few) paths with state or an expanded flag by parent, keyed by child name. The walk then
 * looks children up by their name strings, which already carry a cached hash, instead of hashing
 * 100k freshly joined paths: that took the flattening of a 100k-child node from ~60 ms to a few.
 */
function indexByParent(nodes: TreeNodes, expanded: ExpandedPaths): Map<string, Map<string, KnownChild>> {
  const index = new Map<string, Map<string, KnownChild>>();
  const entry = (path: string): KnownChild | undefined => {
    if (path === '/') return undefined;
    const parent = parentZkPath(path);
    let siblings = index.get(parent);
    if (!siblings) {
      siblings = new Map();
      index.set(parent, siblings);
    }
    const name = zkPathName(path);
    let known = siblings.get(name);
    if (!known) {
      known = { state: undefined, expanded: false };
      siblings.set(name, known);
    }
    return known;
  };
  for (const [path, state] of Object.entries(nodes)) {
    const known = entry(path);
    if (known) known.state = state;
  }
  for (const [path, isExpanded] of Object.entries(expanded)) {
    const known = entry(path);
    if (known) known.expanded = isExpanded;
  }
  return index;
}

function placeholder(
  kind: TreePlaceholderRow['kind'],
  parentPath: string,
  depth: number,
  message?: string,
): TreePlaceholderRow {
  const row: TreePlaceholderRow = { kind, key: `${parentPath}\u0000${kind}`, parentPath, depth };
  if (message) row.message = message;
  return row;
}

export function flattenTree(
  nodes: TreeNodes,
  expanded: ExpandedPaths,
  root = '/',
  options: FlattenOptions = {},
): TreeRow[] {
  const filters = options.filters ?? {};
  const threshold = options.filterThreshold ?? FILTER_ROW_THRESHOLD;
  const rows: TreeRow[] = [];
  const stack: Frame[] = [];
  const known = indexByParent(nodes, expanded);

  // Hot path (100k children => 100k calls): no spreads, no closures per row.
  const addNode = (
    path: string,
    name: string,
    depth: number,
    state: TreeNodeState | undefined,
    isExpanded: boolean,
  ) => {
    const row: TreeNodeRow = {
      kind: 'node',
      key: path,
      path,
      name,
      depth,
      expanded: isExpanded,
      expandable: isExpanded || !isKnownLeaf(state),
      loading: state !== undefined && state.status === 'loading',
    };
    if (state !== undefined) {
      const childCount = state.numChildren ?? state.children?.length;
      if (childCount !== undefined) row.childCount = childCount;
      if (state.ephemeralOwner) row.ephemeral = true;
    }
    rows.push(row);
    if (!isExpanded) return;

    if (state?.status === 'error') {
      rows.push(placeholder('error', path, depth + 1, state.error ?? 'Could not load the children'));
      return;
    }
    const all = state?.children;
    if (!all) {
      rows.push(placeholder('loading', path, depth + 1));
      return;
    }
    const text = filters[path] ?? '';
    if (all.length >= threshold || text !== '') {
      const shown = filteredChildren(all, text);
      rows.push({
        kind: 'filter',
        key: `${path}\u0000filter`,
        parentPath: path,
        depth: depth + 1,
        text,
        total: all.length,
        shown: shown.length,
      });
      if (shown.length > 0) stack.push({ path, depth, children: shown, index: 0, known: known.get(path) });
      return;
    }
    if (all.length === 0) rows.push(placeholder('empty', path, depth + 1));
    else stack.push({ path, depth, children: all, index: 0, known: known.get(path) });
  };

  addNode(root, zkPathName(root), 0, nodes[root], expanded[root] === true);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.index >= frame.children.length) {
      stack.pop();
      continue;
    }
    const name = frame.children[frame.index++] as string;
    const child = frame.known?.get(name);
    addNode(joinZkPath(frame.path, name), name, frame.depth + 1, child?.state, child?.expanded === true);
  }
  return rows;
}

/** Index of the row for a path, for keyboard navigation and scroll-into-view. */
export function rowIndexOf(rows: readonly TreeRow[], path: string): number {
  return rows.findIndex((row) => row.kind === 'node' && row.path === path);
}
