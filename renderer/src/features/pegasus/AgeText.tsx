/**
 * "12 seconds ago", ticking: every fact in the Pegasus views says how old it is, because ZooKeeper
 * facts date from the last load and HTTP facts from the last answer.
 */
import { Text, type TextProps, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/date-time';
import { formatRelativeTime } from '../../lib/relative-time';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function AgeText({ at, testId, ...props }: { at: number; testId?: string } & TextProps) {
  const now = useNow(5000);
  return (
    <Tooltip label={formatDateTime(at)} withArrow>
      <Text span data-testid={testId} data-at={at} {...props}>
        {formatRelativeTime(Math.min(at, now), now)}
      </Text>
    </Tooltip>
  );
}
