/**
 * Search within a subtree: by path (prefix, glob, regex) and/or content (substring, regex). Patterns
 * are checked as they are typed (a regex that does not compile says why, before anything runs);
 * results stream in with progress and can be cancelled; a click on a result opens it in the tree.
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlayerStop, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { DEFAULT_SEARCH_MAX_NODES, MAX_SEARCH_MAX_NODES } from '../../../../shared/api/subtree-search';
import { compilePathMatcher, compileRegex, type PathMatchMode } from '../../../../shared/path-match';
import { validateZkPath } from '../../../../shared/zk-path';
import { useExplorerStore } from '../../stores/explorer-store';
import classes from './SearchPanel.module.css';
import { useSearchStore } from './search-store';

type ContentMode = 'off' | 'substring' | 'regex';

const fmt = new Intl.NumberFormat();
const RESULT_HEIGHT = 44;

export function SearchPanel({ connectionId, initialRoot }: { connectionId: string; initialRoot: string }) {
  const search = useSearchStore((state) => state.byConnection[connectionId]);
  const { start, cancel } = useSearchStore.getState();
  const [root, setRoot] = useState(initialRoot);
  const [pathMode, setPathMode] = useState<PathMatchMode | 'off'>('glob');
  const [pathPattern, setPathPattern] = useState('');
  const [contentMode, setContentMode] = useState<ContentMode>('off');
  const [contentPattern, setContentPattern] = useState('');
  const [ignoreCase, setIgnoreCase] = useState(false);
  const [maxNodes, setMaxNodes] = useState<number>(DEFAULT_SEARCH_MAX_NODES);

  const rootError = validateZkPath(root);
  const pathError =
    pathMode === 'off' || pathPattern === ''
      ? null
      : (() => {
          const compiled = compilePathMatcher(pathMode, pathPattern, { caseSensitive: !ignoreCase });
          return compiled.ok ? null : compiled.error;
        })();
  const contentError =
    contentMode === 'regex' && contentPattern !== ''
      ? (() => {
          const compiled = compileRegex(contentPattern, { caseSensitive: !ignoreCase });
          return compiled.ok ? null : compiled.error;
        })()
      : null;
  const usesPath = pathMode !== 'off' && pathPattern !== '';
  const usesContent = contentMode !== 'off' && contentPattern !== '';
  const canRun = !rootError && !pathError && !contentError && (usesPath || usesContent);
  const runningNow = search?.status === 'running';

  const run = () => {
    if (!canRun) return;
    start({
      connectionId,
      root,
      path: usesPath
        ? { mode: pathMode as PathMatchMode, pattern: pathPattern, caseSensitive: !ignoreCase }
        : undefined,
      content: usesContent
        ? { mode: contentMode as 'substring' | 'regex', pattern: contentPattern, caseSensitive: !ignoreCase }
        : undefined,
      maxNodes,
    });
  };

  return (
    <Stack gap="xs" className={classes.panel} data-testid="search-panel">
      <TextInput
        size="xs"
        label="Within"
        value={root}
        onChange={(event) => setRoot(event.currentTarget.value)}
        error={rootError ? `Path ${rootError}` : undefined}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-testid="search-root"
      />
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <SegmentedControl
          size="xs"
          value={pathMode}
          onChange={(value) => setPathMode(value as PathMatchMode | 'off')}
          data={[
            { value: 'off', label: 'Any path' },
            { value: 'prefix', label: 'Prefix' },
            { value: 'glob', label: 'Glob' },
            { value: 'regex', label: 'Regex' },
          ]}
          data-testid="search-path-mode"
        />
      </Group>
      {pathMode !== 'off' ? (
        <TextInput
          size="xs"
          placeholder={
            pathMode === 'glob'
              ? '*.lock, or /apps/*/0'
              : pathMode === 'prefix'
                ? 'meta, or /apps/1'
                : 'apps/\\d+$'
          }
          value={pathPattern}
          onChange={(event) => setPathPattern(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Enter' && run()}
          error={pathError}
          aria-label="Path pattern"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="search-path-pattern"
        />
      ) : null}
      <SegmentedControl
        size="xs"
        value={contentMode}
        onChange={(value) => setContentMode(value as ContentMode)}
        data={[
          { value: 'off', label: 'Any content' },
          { value: 'substring', label: 'Contains' },
          { value: 'regex', label: 'Content regex' },
        ]}
        data-testid="search-content-mode"
      />
      {contentMode !== 'off' ? (
        <TextInput
          size="xs"
          placeholder={contentMode === 'regex' ? '"status":"AS_(DROPPED|DROPPING)"' : 'AS_DROPPED'}
          value={contentPattern}
          onChange={(event) => setContentPattern(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Enter' && run()}
          error={contentError}
          aria-label="Content pattern"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-testid="search-content-pattern"
        />
      ) : null}
      <Group gap="xs" justify="space-between" align="flex-end">
        <Checkbox
          size="xs"
          label="Ignore case"
          checked={ignoreCase}
          onChange={(event) => setIgnoreCase(event.currentTarget.checked)}
        />
        <NumberInput
          size="xs"
          label="Read at most (nodes)"
          value={maxNodes}
          onChange={(value) => setMaxNodes(typeof value === 'number' ? value : DEFAULT_SEARCH_MAX_NODES)}
          min={1}
          max={MAX_SEARCH_MAX_NODES}
          step={10_000}
          thousandSeparator=","
          w={150}
          data-testid="search-max-nodes"
        />
      </Group>
      <Group gap="xs">
        {runningNow ? (
          <Button
            size="xs"
            color="red"
            variant="light"
            leftSection={<IconPlayerStop size={14} />}
            onClick={() => cancel(connectionId)}
            data-testid="search-cancel"
          >
            Cancel
          </Button>
        ) : (
          <Button
            size="xs"
            leftSection={<IconSearch size={14} />}
            onClick={run}
            disabled={!canRun}
            data-testid="search-run"
          >
            Search
          </Button>
        )}
      </Group>
      {search && search.status !== 'idle' ? <SearchResults connectionId={connectionId} /> : null}
    </Stack>
  );
}

function SearchResults({ connectionId }: { connectionId: string }) {
  const search = useSearchStore((state) => state.byConnection[connectionId]);
  const reveal = useExplorerStore((state) => state.reveal);
  const scrollRef = useRef<HTMLDivElement>(null);
  const matches = search?.matches ?? [];
  const virtualizer = useVirtualizer({
    count: matches.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => RESULT_HEIGHT,
    overscan: 10,
  });
  const maxNodes = search?.request?.maxNodes ?? DEFAULT_SEARCH_MAX_NODES;
  const summary = useMemo(() => {
    if (!search) return '';
    const { visited, matched, elapsedMs } = search.progress;
    return `${fmt.format(visited)} node${visited === 1 ? '' : 's'} read · ${fmt.format(Math.max(matched, matches.length))} match${
      matches.length === 1 ? '' : 'es'
    } · ${(elapsedMs / 1000).toFixed(1)} s`;
  }, [search, matches.length]);
  if (!search) return null;

  return (
    <Stack gap={6} className={classes.results} data-testid="search-results" data-status={search.status}>
      <Text size="xs" c="dimmed" data-testid="search-summary">
        {search.status === 'running' ? 'Searching… ' : ''}
        {summary}
      </Text>
      {search.status === 'running' ? (
        <Progress size="xs" value={(100 * search.progress.visited) / maxNodes} animated />
      ) : null}
      {search.status === 'cancelled' ? (
        <Alert color="gray" variant="light" py={6} data-testid="search-cancelled">
          Cancelled: the results below are what was found before.
        </Alert>
      ) : null}
      {search.status === 'failed' ? (
        <Alert color="red" variant="light" py={6} data-testid="search-error">
          {search.error}
        </Alert>
      ) : null}
      {search.outcome?.note ? (
        <Alert
          color={search.outcome.stoppedBy || search.outcome.rootMissing ? 'orange' : 'yellow'}
          variant="light"
          py={6}
          data-testid="search-note"
        >
          {search.outcome.note}
        </Alert>
      ) : null}
      {search.status === 'done' && matches.length === 0 && !search.outcome?.rootMissing ? (
        <Text size="sm" c="dimmed" data-testid="search-empty">
          No matches.
        </Text>
      ) : null}
      <div ref={scrollRef} className={classes.list}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const match = matches[item.index];
            if (!match) return null;
            return (
              <button
                type="button"
                key={item.key}
                className={classes.result}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => reveal(connectionId, match.path)}
                data-testid="search-result"
                data-path={match.path}
              >
                <Text size="xs" ff="monospace" truncate="end" title={match.path}>
                  {match.path}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" truncate="end">
                  {match.snippet ??
                    `${fmt.format(match.dataLength)} bytes${match.numChildren > 0 ? ` · ${fmt.format(match.numChildren)} children` : ''}${match.ephemeral ? ' · ephemeral' : ''}`}
                </Text>
              </button>
            );
          })}
        </div>
      </div>
    </Stack>
  );
}
