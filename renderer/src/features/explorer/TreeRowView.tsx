/** One row of the virtualized tree: a node, or a placeholder (loading / no children / error). */
import { ActionIcon, Button, Group, Loader, Text } from '@mantine/core';
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
  style: CSSProperties;
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
      title={`${MARK_LABEL[mark.kind]}${mark.missed ? ' while the session was down' : ''} at ${new Date(mark.at).toLocaleTimeString()}`}
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
  style,
  onSelect,
  onToggle,
  onRetry,
  onFilter,
}: TreeRowViewProps) {
  const indent = { paddingLeft: 8 + row.depth * INDENT };
  const mark = useExplorerStore((state) =>
    row.kind === 'node' ? state.byConnection[connectionId]?.marks[row.path] : undefined,
  );

  if (row.kind === 'filter')
    return <TreeFilterRowView row={row} style={{ ...style, ...indent }} onFilter={onFilter} />;
  if (row.kind !== 'node')
    return <PlaceholderRow row={row} style={{ ...style, ...indent }} onRetry={onRetry} />;

  const FolderIcon = row.expanded ? IconFolderOpen : IconFolder;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the tree container (aria-activedescendant), not per row.
    // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the tree container, which points at this row.
    <div
      className={classes.row}
      style={{ ...style, ...indent }}
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
        <ActionIcon
          size="sm"
          variant="transparent"
          color="gray"
          tabIndex={-1}
          aria-label={row.expanded ? `Collapse ${row.path}` : `Expand ${row.path}`}
          data-testid="tree-toggle"
          onClick={(event) => {
            event.stopPropagation();
            onToggle(row.path);
          }}
        >
          {row.expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        </ActionIcon>
      ) : (
        <span className={classes.toggleSpacer} />
      )}
      {row.expandable ? (
        <FolderIcon size={15} className={classes.icon} />
      ) : (
        <IconFile size={15} className={classes.icon} />
      )}
      <Group gap={6} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
        <Text size="sm" ff="monospace" truncate="end" className={classes.name}>
          {row.name}
        </Text>
        {row.childCount !== undefined && row.childCount > 0 ? (
          <Text size="xs" c="dimmed" className={classes.count} data-testid="tree-child-count">
            {numberFormat.format(row.childCount)}
          </Text>
        ) : null}
        {row.ephemeral ? (
          <Text
            size="xs"
            c="violet"
            className={classes.count}
            title="Ephemeral: lives only as long as its owner's session"
          >
            ephemeral
          </Text>
        ) : null}
        {mark ? <ChangeMark mark={mark} /> : null}
        {row.loading ? <Loader size={10} /> : null}
      </Group>
    </div>
  );
}

export const TreeRowView = memo(TreeRowViewImpl);
