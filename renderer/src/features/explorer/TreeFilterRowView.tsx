/**
 * The filter box above the children of an expanded node with many children: filters the names as
 * the operator types (substring, or a glob with * ? [...]), and says how many of how many are shown.
 */
import { CloseButton, Text, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import { type CSSProperties, memo } from 'react';
import classes from './TreeRowView.module.css';
import type { TreeFilterRow } from './tree-model';

const numberFormat = new Intl.NumberFormat();

interface TreeFilterRowViewProps {
  row: TreeFilterRow;
  style: CSSProperties;
  onFilter(path: string, text: string): void;
}

function TreeFilterRowViewImpl({ row, style, onFilter }: TreeFilterRowViewProps) {
  const counts =
    row.text === ''
      ? `${numberFormat.format(row.total)} children`
      : `${numberFormat.format(row.shown)} of ${numberFormat.format(row.total)}`;
  return (
    <div
      className={classes.placeholder}
      style={style}
      data-testid="tree-filter-row"
      data-parent={row.parentPath}
    >
      <TextInput
        size="xs"
        value={row.text}
        // Short enough to read whole beside the count in a narrow tree pane; the title says more.
        placeholder="Filter: text or glob"
        title="Filter the children by text, or by a glob like app-* (* ? [...])"
        leftSection={<IconFilter size={12} />}
        rightSection={
          row.text === '' ? null : (
            <CloseButton
              size="xs"
              aria-label="Clear the filter"
              onClick={() => onFilter(row.parentPath, '')}
            />
          )
        }
        onChange={(event) => onFilter(row.parentPath, event.currentTarget.value)}
        // Keys typed here are text, not tree navigation.
        onKeyDown={(event) => event.stopPropagation()}
        aria-label={`Filter the children of ${row.parentPath}`}
        data-testid="tree-filter"
        style={{ flex: 1, minWidth: 0 }}
      />
      <Text size="xs" c="dimmed" className={classes.count} data-testid="tree-filter-count">
        {counts}
      </Text>
    </div>
  );
}

export const TreeFilterRowView = memo(TreeFilterRowViewImpl);
