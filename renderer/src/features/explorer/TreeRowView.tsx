/**
 * One row of the virtualized tree: a node, or a placeholder (loading / no children / error).
 * Scrolling mounts a dozen rows per frame and re-renders the tree every frame, so a node row is
 * plain elements styled by the module CSS (no Mantine component per row: their prop and style
 * resolution was most of a row's cost), and it re-renders only when what it shows changes: the
 * position comes as numbers and the row object is compared field by field, because the flattened
 * list makes a new object for every row whenever any node's state changes.
 */
import { formatClock } from '../../lib/date-time';
import { Button, Loader, Text } from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconFile,
  IconFolder,
  IconFolderOpen,
  IconRefresh,
} from '@tabler/icons-react';
import { type CSSProperties, memo } from 'react';
import { type NodeMark, useExplorerStore } from '../../stores/explorer-store';
import { TreeFilterRowView } from './TreeFilterRowView';
import classes from './TreeRowView.module.css';
import type { TreePlaceholderRow, TreeRow } from './tree-model';

export const ROW_HEIGHT = 28;

/** DOM id of a node row, for the container's aria-activedescendant. */
export function treeItemId(path: string): string {
  return `tree-item-${encodeURIComponent(path)}`;
}
const INDENT = 16;

interface TreeRowViewProps {
  connectionId: string;
  row: TreeRow;
  selected: boolean;
  /** Offset from the top of the list and height, in px (from the virtualizer). */
  start: number;
  size: number;
  onSelect(path: string): void;
  onToggle(path: string): void;
  onRetry(path: string): void;
  onFilter(path: string, text: string): void;
}

const MARK_LABEL: Record<NodeMark['kind'], string> = {
  'data-changed': 'data changed',
  'children-changed': 'children changed',
  deleted: 'deleted',
  created: 'created again',
};

/** What the live view saw on this node, until the operator looks at it. */
function ChangeMark({ mark }: { mark: NodeMark }) {
  return (
    <span
      className={classes.mark}
      data-kind={mark.kind}
      data-testid="tree-mark"
      title={`${MARK_LABEL[mark.kind]}${mark.missed ? ' while the session was down' : ''} at ${formatClock(mark.at)}`}
    >
      {MARK_LABEL[mark.kind]}
    </span>
  );
}

const numberFormat = new Intl.NumberFormat();

interface PlaceholderRowProps {
  row: TreePlaceholderRow;
  style: CSSProperties;
  onRetry(path: string): void;
}

function PlaceholderRow({ row, style, onRetry }: PlaceholderRowProps) {
  if (row.kind === 'loading') {
    return (
      <div
        className={classes.placeholder}
        style={style}
        data-testid="tree-row-loading"
        data-parent={row.parentPath}
      >
        <Loader size={12} />
        <Text size="xs" c="dimmed">
          Loading children…
        </Text>
      </div>
    );
  }
  if (row.kind === 'empty') {
    return (
      <div
        className={classes.placeholder}
        style={style}
        data-testid="tree-row-empty"
        data-parent={row.parentPath}
      >
        <Text size="xs" c="dimmed" fs="italic">
          no children
        </Text>
      </div>
    );
  }
  return (
    <div
      className={classes.placeholder}
      style={style}
      data-testid="tree-row-error"
      data-parent={row.parentPath}
    >
      <Text size="xs" c="red" truncate="end" title={row.message} style={{ minWidth: 0 }}>
        {row.message}
      </Text>
      <Button
        size="compact-xs"
        variant="light"
        color="red"
        leftSection={<IconRefresh size={12} />}
        onClick={() => onRetry(row.parentPath)}
        data-testid="tree-retry"
      >
        Retry
      </Button>
    </div>
  );
}

function TreeRowViewImpl({
  connectionId,
  row,
  selected,
  start,
  size,
  onSelect,
  onToggle,
  onRetry,
  onFilter,
}: TreeRowViewProps) {
  const style: CSSProperties = {
    height: size,
    transform: `translateY(${start}px)`,
    paddingLeft: 8 + row.depth * INDENT,
  };
  const mark = useExplorerStore((state) =>
    row.kind === 'node' ? state.byConnection[connectionId]?.marks[row.path] : undefined,
  );

  if (row.kind === 'filter') return <TreeFilterRowView row={row} style={style} onFilter={onFilter} />;
  if (row.kind !== 'node') return <PlaceholderRow row={row} style={style} onRetry={onRetry} />;

  const FolderIcon = row.expanded ? IconFolderOpen : IconFolder;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the tree container (aria-activedescendant), not per row.
    // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the tree container, which points at this row.
    <div
      className={classes.row}
      style={style}
      role="treeitem"
      id={treeItemId(row.path)}
      aria-level={row.depth + 1}
      aria-expanded={row.expandable ? row.expanded : undefined}
      aria-selected={selected}
      data-selected={selected || undefined}
      data-testid="tree-row"
      data-path={row.path}
      data-expanded={String(row.expanded)}
      data-mark={mark?.kind}
      onClick={() => onSelect(row.path)}
      onDoubleClick={() => row.expandable && onToggle(row.path)}
    >
      {row.expandable ? (
        <button
          type="button"
          className={classes.toggle}
          tabIndex={-1}
          aria-label={row.expanded ? `Collapse ${row.path}` : `Expand ${row.path}`}
          data-testid="tree-toggle"
          onClick={(event) => {
            event.stopPropagation();
            onToggle(row.path);
          }}
        >
          {row.expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        </button>
      ) : (
        <span className={classes.toggleSpacer} />
      )}
      {row.expandable ? (
        <FolderIcon size={15} className={classes.icon} />
      ) : (
        <IconFile size={15} className={classes.icon} />
      )}
      <div className={classes.labels}>
        {/* A long name is cut with an ellipsis: hovering shows it whole. */}
        <span className={classes.name} title={row.name} data-testid="tree-row-name">
          {row.name}
        </span>
        {row.childCount !== undefined && row.childCount > 0 ? (
          <span className={classes.count} data-testid="tree-child-count">
            {numberFormat.format(row.childCount)}
          </span>
        ) : null}
        {row.ephemeral ? (
          <span className={classes.ephemeral} title="Ephemeral: lives only as long as its owner's session">
            ephemeral
          </span>
        ) : null}
        {mark ? <ChangeMark mark={mark} /> : null}
        {row.loading ? <Loader size={10} /> : null}
      </div>
    </div>
  );
}

/** Rows hold only primitives: equal fields mean the same row, whatever object carries them. */
function sameRow(a: TreeRow, b: TreeRow): boolean {
  if (a === b) return true;
  const aFields = a as unknown as Record<string, unknown>;
  const bFields = b as unknown as Record<string, unknown>;
  const keys = Object.keys(aFields);
  if (keys.length !== Object.keys(bFields).length) return false;
  for (const key of keys) if (aFields[key] !== bFields[key]) return false;
  return true;
}

export const TreeRowView = memo(
  TreeRowViewImpl,
  (prev, next) =>
    prev.connectionId === next.connectionId &&
    prev.selected === next.selected &&
    prev.start === next.start &&
    prev.size === next.size &&
    prev.onSelect === next.onSelect &&
    prev.onToggle === next.onToggle &&
    prev.onRetry === next.onRetry &&
    prev.onFilter === next.onFilter &&
    sameRow(prev.row, next.row),
);
