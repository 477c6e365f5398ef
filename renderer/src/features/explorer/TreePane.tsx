/**
 * The lazy tree, virtualized over the flattened visible rows: the DOM holds only the rows in view
 * (plus overscan), whether a node has ten children or a hundred thousand.
 */
import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { IconFoldUp, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef } from 'react';
import { ROOT_PATH, useExplorerStore } from '../../stores/explorer-store';
import classes from './TreePane.module.css';
import { treeKeyAction } from './tree-keyboard';
import { flattenTree, rowIndexOf } from './tree-model';
import { ROW_HEIGHT, TreeRowView, treeItemId } from './TreeRowView';
import { useVisibleChildInfo } from './use-visible-child-info';

const rowHeight = () => ROW_HEIGHT;

interface TreePaneProps {
  connectionId: string;
  onOpenSearch?: () => void;
}

export function TreePane({ connectionId, onOpenSearch }: TreePaneProps) {
  const explorer = useExplorerStore((state) => state.byConnection[connectionId]);
  const { toggle, select, loadChildren, refreshAll, collapse, setFilter } = useExplorerStore.getState();
  const nodes = explorer?.nodes;
  const expanded = explorer?.expanded;
  const filters = explorer?.filters;
  const selectedPath = explorer?.selectedPath ?? null;

  const rows = useMemo(
    () => flattenTree(nodes ?? {}, expanded ?? {}, ROOT_PATH, { filters: filters ?? {} }),
    [nodes, expanded, filters],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable between renders: the virtualizer rebuilds its measurements of every row (100k calls of
  // both) whenever getItemKey changes identity, which an inline function did on every scroll frame.
  const getItemKey = useCallback((index: number) => rows[index]?.key ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: rowHeight,
    overscan: 15,
    getItemKey,
  });

  const onSelect = useCallback((path: string) => select(connectionId, path), [select, connectionId]);
  const onToggle = useCallback((path: string) => toggle(connectionId, path), [toggle, connectionId]);
  const onRetry = useCallback(
    (path: string) => void loadChildren(connectionId, path),
    [loadChildren, connectionId],
  );
  const onFilter = useCallback(
    (path: string, text: string) => setFilter(connectionId, path, text),
    [setFilter, connectionId],
  );
  const virtualItems = virtualizer.getVirtualItems();
  useVisibleChildInfo(connectionId, rows, nodes, virtualItems);

  // Keep the selected row in view when the selection moves (keyboard, "go to parent"); not when
  // rows change, or expanding a node far below would jump back to the selection.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    if (selectedPath === null) return;
    const index = rowIndexOf(rowsRef.current, selectedPath);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedPath, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = treeKeyAction(event.key, rows, selectedPath);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'select') onSelect(action.path);
    else onToggle(action.path);
  };

  const collapseAll = () => {
    for (const path of Object.keys(expanded ?? {})) if (path !== ROOT_PATH) collapse(connectionId, path);
  };

  return (
    <div className={classes.pane}>
      <Group justify="space-between" className={classes.toolbar} wrap="nowrap">
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          Tree
        </Text>
        <Group gap={2}>
          {onOpenSearch ? (
            <Tooltip label="Search this subtree" withArrow>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                onClick={onOpenSearch}
                aria-label="Search"
                data-testid="tree-search"
              >
                <IconSearch size={14} />
              </ActionIcon>
            </Tooltip>
          ) : null}
          <Tooltip label="Collapse all" withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              onClick={collapseAll}
              aria-label="Collapse all"
            >
              <IconFoldUp size={14} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Reload every expanded node and the open node" withArrow>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              onClick={() => refreshAll(connectionId)}
              aria-label="Reload the tree"
              data-testid="tree-refresh"
            >
              <IconRefresh size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <div
        ref={scrollRef}
        className={classes.scroller}
        role="tree"
        aria-label="ZooKeeper tree"
        tabIndex={0}
        aria-activedescendant={selectedPath === null ? undefined : treeItemId(selectedPath)}
        onKeyDown={onKeyDown}
        data-testid="tree"
        data-row-count={rows.length}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualItems.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <TreeRowView
                key={item.key}
                connectionId={connectionId}
                row={row}
                selected={row.kind === 'node' && row.path === selectedPath}
                start={item.start}
                size={item.size}
                onSelect={onSelect}
                onToggle={onToggle}
                onRetry={onRetry}
                onFilter={onFilter}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
