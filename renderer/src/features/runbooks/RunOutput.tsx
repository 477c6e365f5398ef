/**
 * The run's live output (tool output, engine progress messages, the runner's log), virtualized so
 * a chatty tool cannot slow the view. It follows new lines while the operator is at the bottom;
 * scrolling up stops that (to read something calmly) until they scroll back down.
 */
import { formatClock } from '../../lib/date-time';
import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { RunOutputLine } from '../../../../shared/api/run-views';

const ROW_HEIGHT = 18;
/** How close to the bottom still counts as "at the bottom" (a fraction of a row jitters). */
const BOTTOM_SLACK_PX = ROW_HEIGHT * 2;

const STREAM_COLORS: Record<RunOutputLine['stream'], string | undefined> = {
  log: 'var(--mantine-color-dimmed)',
  stdout: undefined,
  stderr: 'var(--mantine-color-red-5)',
};

export function RunOutput({
  lines,
  stepTitles,
}: {
  lines: RunOutputLine[];
  stepTitles: Record<number, string>;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (following && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [following, lines.length, virtualizer]);

  const onScroll = () => {
    const element = parentRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    if (atBottom !== following) setFollowing(atBottom);
  };

  return (
    <Paper withBorder p={0} data-testid="run-output" data-lines={lines.length}>
      <Group justify="space-between" px="xs" py={4}>
        <Text size="sm" fw={600}>
          Output{' '}
          <Text span size="xs" c="dimmed">
            ({lines.length} lines{lines.length > 0 ? ', newest at the bottom' : ''})
          </Text>
        </Text>
        {following ? (
          <Badge variant="light" color="teal" size="sm">
            following
          </Badge>
        ) : (
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => setFollowing(true)}
            data-testid="output-follow"
          >
            Jump to newest
          </Button>
        )}
      </Group>
      <div
        ref={parentRef}
        onScroll={onScroll}
        style={{
          height: 260,
          overflow: 'auto',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
        }}
      >
        {lines.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs" data-testid="run-output-empty">
            No output yet. Steps that run tools or the copy engine print here as they work.
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const line = lines[item.index] as RunOutputLine;
              return (
                <div
                  key={line.seq}
                  data-testid="run-output-line"
                  title={stepTitles[line.index]}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                    whiteSpace: 'pre',
                    paddingInline: 8,
                    color: STREAM_COLORS[line.stream],
                  }}
                >
                  <span style={{ opacity: 0.6 }}>
                    {formatClock(line.at)} #{line.index + 1}{' '}
                  </span>
                  {line.line}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </Paper>
  );
}
