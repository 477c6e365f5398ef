/**
 * Every table of the cluster, one row each, virtualized (a cluster can hold thousands of tables,
 * dropped ones included), with a filter bar and sortable columns. Unhealthy tables come first
 * until the operator sorts otherwise. A row opens the table's detail.
 */
import { countOf } from '../../../../shared/plural';
import {
  ActionIcon,
  Badge,
  Chip,
  Group,
  SegmentedControl,
  Select,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { usePegasusStore } from '../../stores/pegasus-store';
import { formatEpochSeconds, formatEpochSecondsDate, formatRatio } from './format';
import { HealthBadge } from './HealthBadge';
import {
  DEFAULT_FILTER,
  DEFAULT_SORT,
  type HealthFilter,
  isFiltered,
  nextSort,
  type OverviewRow,
  type SortKey,
  type StatusFilter,
  type TableFilter,
  type TableSort,
  visibleRows,
} from './table-rows';
import classes from './TablesGrid.module.css';

const ROW_HEIGHT = 36;
/** The columns' least width (TablesGrid.module.css): fits the main view of a 1440 px window. */
const GRID_MIN_WIDTH = 1100;
const HEADER_HEIGHT = 34;

function SortHeader({
  label,
  sortKey,
  sort,
  onSort,
}: {
  label: string;
  sortKey: SortKey;
  sort: TableSort;
  onSort: (key: SortKey) => void;
}) {
  const active = sort.key === sortKey;
  return (
    <button type="button" onClick={() => onSort(sortKey)} data-testid={`pegasus-sort-${sortKey}`}>
      {label}
      {active ? sort.direction === 'asc' ? <IconArrowUp size={12} /> : <IconArrowDown size={12} /> : null}
    </button>
  );
}

function Flags({ row }: { row: OverviewRow }) {
  return (
    <Group gap={4} wrap="nowrap">
      {row.splitting ? (
        <Tooltip
          label={`Split in progress: ${row.partitionsFound} of ${row.partitionCount} partition nodes registered`}
        >
          <Badge size="xs" color="violet" data-testid="pegasus-flag-splitting">
            split
          </Badge>
        </Tooltip>
      ) : null}
      {row.bulkLoading ? (
        <Tooltip label={`Bulk loading${row.bulkLoadStatus ? `: ${row.bulkLoadStatus}` : ''}`}>
          <Badge size="xs" color="blue" data-testid="pegasus-flag-bulk-loading">
            bulk load
          </Badge>
        </Tooltip>
      ) : null}
      {row.duplicating ? (
        <Tooltip label={`${countOf(row.activeDuplications, 'duplication')} not removed`}>
          <Badge size="xs" color="cyan" data-testid="pegasus-flag-duplicating">
            dup ×{row.activeDuplications}
          </Badge>
        </Tooltip>
      ) : null}
      {row.warningCount > 0 || row.appNodeUnreadable ? (
        <Tooltip label={`${countOf(row.warningCount, 'warning')} about this table's nodes`}>
          <Badge size="xs" color="yellow" variant="outline">
            ⚠ {row.warningCount}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}

function envsText(envs: Record<string, string>): string {
  return Object.entries(envs)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

function TableRow({ row, onOpen }: { row: OverviewRow; onOpen: (appId: number) => void }) {
  const envCount = Object.keys(row.envs).length;
  const h = row.health;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a grid row of block cells; a <button> may only hold phrasing content.
    <div
      className={`${classes.body} ${row.status !== 'available' ? classes.dropped : ''}`}
      data-testid="pegasus-table-row"
      data-app-id={row.appId}
      data-health={row.healthLevel}
      onClick={() => onOpen(row.appId)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(row.appId);
        }
      }}
      role="button"
      tabIndex={0}
      aria-label={`Open table ${row.name ?? row.appId}`}
    >
      <div className={classes.cell}>
        <HealthBadge level={row.healthLevel} />
      </div>
      <div className={classes.mono}>{row.appId}</div>
      <div className={classes.cell} title={row.path}>
        <Text span fw={600} size="sm" data-testid="pegasus-table-name">
          {row.name ?? `(app ${row.appId}: undecoded)`}
        </Text>
      </div>
      <div className={classes.cell}>
        <Badge size="sm" variant="outline" color={row.status === 'available' ? 'teal' : 'gray'}>
          {row.status}
        </Badge>
      </div>
      <div className={classes.mono} title="partition nodes found / partition_count">
        {formatRatio(row.partitionsFound, row.partitionCount)}
      </div>
      <div className={classes.mono}>{row.maxReplicaCount ?? '-'}</div>
      <div className={classes.mono} title="fully healthy / unhealthy / write-unhealthy / read-unhealthy">
        {row.status === 'available'
          ? `${h.fullyHealthy} · ${h.unhealthy} · ${h.writeUnhealthy} · ${h.readUnhealthy}`
          : '-'}
      </div>
      <div className={classes.cell}>
        <Flags row={row} />
      </div>
      <div className={classes.cell}>
        {envCount > 0 ? (
          <Tooltip label={<pre style={{ margin: 0 }}>{envsText(row.envs)}</pre>} withArrow multiline>
            <Badge size="sm" variant="light" color="gray">
              {envCount}
            </Badge>
          </Tooltip>
        ) : (
          '-'
        )}
      </div>
      {/* Dates only, the time in the title: with the time the last two columns fell off a 1440 px window. */}
      <div className={classes.cell} title={formatEpochSeconds(row.createdAt)} data-testid="pegasus-created">
        {formatEpochSecondsDate(row.createdAt)}
      </div>
      <div
        className={classes.cell}
        title={
          row.status === 'dropped'
            ? `${row.dropExpired ? 'expired' : 'expires'} ${formatEpochSeconds(row.dropExpiresAt)}`
            : undefined
        }
      >
        {row.status === 'dropped' ? (
          // An expired drop says so in words (the date is in the title): what matters is that it is gone for good.
          <Text span size="sm" c={row.dropExpired ? 'red' : undefined} data-testid="pegasus-drop-expiry">
            {row.dropExpired ? 'expired' : formatEpochSecondsDate(row.dropExpiresAt)}
          </Text>
        ) : (
          '-'
        )}
      </div>
    </div>
  );
}

function FilterBar({
  connectionId,
  filter,
  shown,
  total,
}: {
  connectionId: string;
  filter: TableFilter;
  shown: number;
  total: number;
}) {
  const setFilter = usePegasusStore((s) => s.setFilter);
  const setSort = usePegasusStore((s) => s.setSort);
  const patch = (next: Partial<TableFilter>) => setFilter(connectionId, next);
  return (
    <Group gap="sm" wrap="wrap" data-testid="pegasus-table-filters">
      <TextInput
        size="xs"
        w={220}
        placeholder="Filter by name, id or path"
        leftSection={<IconSearch size={14} />}
        value={filter.text}
        onChange={(event) => patch({ text: event.currentTarget.value })}
        data-testid="pegasus-filter-text"
      />
      <SegmentedControl
        size="xs"
        value={filter.status}
        onChange={(value) => patch({ status: value as StatusFilter })}
        data={[
          { value: 'all', label: 'All' },
          { value: 'available', label: 'Available' },
          { value: 'dropped', label: 'Dropped' },
        ]}
        data-testid="pegasus-filter-status"
      />
      <Select
        size="xs"
        w={170}
        value={filter.health}
        onChange={(value) => patch({ health: (value ?? 'all') as HealthFilter })}
        data={[
          { value: 'all', label: 'Any health' },
          { value: 'not-healthy', label: 'Not fully healthy' },
          { value: 'write-unhealthy', label: 'Write-unhealthy' },
          { value: 'read-unhealthy', label: 'Read-unhealthy' },
          { value: 'healthy', label: 'Fully healthy' },
        ]}
        allowDeselect={false}
        data-testid="pegasus-filter-health"
      />
      <Chip size="xs" checked={filter.splitting} onChange={(checked) => patch({ splitting: checked })}>
        Splitting
      </Chip>
      <Chip size="xs" checked={filter.bulkLoading} onChange={(checked) => patch({ bulkLoading: checked })}>
        Bulk loading
      </Chip>
      <Chip
        size="xs"
        checked={filter.duplicating}
        onChange={(checked) => patch({ duplicating: checked })}
        wrapperProps={{ 'data-testid': 'pegasus-filter-duplicating' }}
      >
        Duplicating
      </Chip>
      {isFiltered(filter) ? (
        <Tooltip label="Clear the filters and sort unhealthy first">
          <ActionIcon
            size="sm"
            variant="subtle"
            onClick={() => {
              setFilter(connectionId, DEFAULT_FILTER);
              setSort(connectionId, DEFAULT_SORT);
            }}
          >
            <IconFilterOff size={14} />
          </ActionIcon>
        </Tooltip>
      ) : null}
      <Text size="xs" c="dimmed" data-testid="pegasus-table-count">
        {shown === total ? `${total} tables` : `${shown} of ${total} tables`}
      </Text>
    </Group>
  );
}

export function TablesGrid({ connectionId, rows }: { connectionId: string; rows: readonly OverviewRow[] }) {
  const filter = usePegasusStore((s) => s.byConnection[connectionId]?.filter ?? DEFAULT_FILTER);
  const sort = usePegasusStore((s) => s.byConnection[connectionId]?.sort ?? DEFAULT_SORT);
  const setSort = usePegasusStore((s) => s.setSort);
  const openTable = usePegasusStore((s) => s.openTable);
  const shown = useMemo(() => visibleRows(rows, filter, sort), [rows, filter, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    overscan: 12,
    getItemKey: (index) => shown[index]?.appId ?? index,
  });
  const onSort = (key: SortKey) => setSort(connectionId, nextSort(sort, key));
  const onOpen = (appId: number) => void openTable(connectionId, appId);
  const header = (label: string, key: SortKey) => (
    <SortHeader label={label} sortKey={key} sort={sort} onSort={onSort} />
  );

  return (
    <>
      <FilterBar connectionId={connectionId} filter={filter} shown={shown.length} total={rows.length} />
      <div className={classes.grid}>
        <div className={classes.scroll} ref={scrollRef} data-testid="pegasus-tables">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: GRID_MIN_WIDTH }}>
            <div className={classes.header}>
              <div>{header('Health', 'health')}</div>
              <div>{header('ID', 'appId')}</div>
              <div>{header('Name', 'name')}</div>
              <div>{header('Status', 'status')}</div>
              <div>{header('Partitions', 'partitionCount')}</div>
              <div>{header('Replicas', 'maxReplicaCount')}</div>
              <div title="fully healthy · unhealthy · write-unhealthy · read-unhealthy">
                Full · unh · w · r
              </div>
              <div>Activity</div>
              <div>Envs</div>
              <div>{header('Created', 'createdAt')}</div>
              <div>{header('Drop expires', 'dropExpiresAt')}</div>
            </div>
            {shown.length === 0 ? (
              <Text p="md" size="sm" c="dimmed" data-testid="pegasus-no-tables">
                {rows.length === 0 ? 'This cluster has no tables.' : 'No table matches the filters.'}
              </Text>
            ) : null}
            {virtualizer.getVirtualItems().map((item) => {
              const row = shown[item.index];
              if (!row) return null;
              return (
                <div
                  key={item.key}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    width: '100%',
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  <TableRow row={row} onOpen={onOpen} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
}
