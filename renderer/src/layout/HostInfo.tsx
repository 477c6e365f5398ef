/** Version and mode of the core host, read once: useful in bug reports and screenshots. */
import { Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { SystemInfo } from '../api/types';
import { platform } from '../platform';

export function HostInfo() {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    let live = true;
    api.system.info
      .query()
      .then((result) => live && setInfo(result))
      .catch(() => {
        // Only decoration: the views report API problems where they matter.
      });
    return () => {
      live = false;
    };
  }, []);
  if (!info) return null;
  return (
    <Tooltip label={`Data: ${info.dataDir} · signed in as ${info.actor}`} withArrow>
      <Text size="xs" c="dimmed" data-testid="host-info" visibleFrom="sm">
        v{info.version} · {platform.kind}
      </Text>
    </Tooltip>
  );
}
