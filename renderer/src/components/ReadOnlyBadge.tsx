import { Badge, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';

/** Connections are read-only until switched: the badge says so wherever a connection is named. */
export function ReadOnlyBadge({ readOnly }: { readOnly: boolean }) {
  return (
    <Tooltip
      label={
        readOnly
          ? 'Read-only: nothing is written to this ensemble'
          : 'Read-write: writes are allowed and audited'
      }
      withArrow
    >
      <Badge
        size="xs"
        variant="outline"
        color={readOnly ? 'gray' : 'orange'}
        leftSection={readOnly ? <IconLock size={10} /> : undefined}
        styles={{ root: { textTransform: 'none' } }}
      >
        {readOnly ? 'read-only' : 'read-write'}
      </Badge>
    </Tooltip>
  );
}
