import { ActionIcon, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconDots, IconLock, IconLockOpen, IconPencil, IconTrash } from '@tabler/icons-react';
import type { ConnectionProfile } from '../../api/types';
import { ConnectionStateBadge } from '../../components/ConnectionStateBadge';
import { ReadOnlyBadge } from '../../components/ReadOnlyBadge';
import { useConnectionDialogs } from '../../stores/connection-dialogs-store';
import { sessionBadgeStateOf, useSessionState } from '../../stores/sessions-store';
import classes from './ConnectionListItem.module.css';

interface ConnectionListItemProps {
  profile: ConnectionProfile;
  selected: boolean;
  onSelect(id: string): void;
}

export function ConnectionListItem({ profile, selected, onSelect }: ConnectionListItemProps) {
  const session = useSessionState(profile.id);
  const openDialog = useConnectionDialogs((state) => state.open);
  return (
    <Group
      className={classes.item}
      data-selected={selected || undefined}
      gap={4}
      wrap="nowrap"
      align="flex-start"
    >
      <UnstyledButton
        className={classes.main}
        onClick={() => onSelect(profile.id)}
        data-testid={`connection-item-${profile.name}`}
        aria-current={selected ? 'true' : undefined}
      >
        <Stack gap={2}>
          <Text size="sm" fw={600} truncate="end">
            {profile.name}
          </Text>
          <Text
            size="xs"
            c="dimmed"
            ff="monospace"
            truncate="end"
            title={`${profile.connectString}${profile.chroot ?? ''}`}
          >
            {profile.connectString}
            {profile.chroot ?? ''}
          </Text>
          <Group gap={4} mt={2}>
            <ReadOnlyBadge readOnly={profile.readOnly} />
            <ConnectionStateBadge
              size="xs"
              state={sessionBadgeStateOf(session)}
              message={session?.message}
              testId={`connection-item-state-${profile.name}`}
            />
          </Group>
        </Stack>
      </UnstyledButton>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Actions for ${profile.name}`}
            data-testid={`connection-menu-${profile.name}`}
          >
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={<IconPencil size={14} />}
            onClick={() => openDialog({ kind: 'edit', id: profile.id })}
            data-testid="connection-edit"
          >
            Edit
          </Menu.Item>
          <Menu.Item
            leftSection={profile.readOnly ? <IconLockOpen size={14} /> : <IconLock size={14} />}
            onClick={() => openDialog({ kind: 'mode', id: profile.id })}
            data-testid="connection-mode"
          >
            {profile.readOnly ? 'Switch to read-write…' : 'Switch to read-only'}
          </Menu.Item>
          <Menu.Item
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={() => openDialog({ kind: 'delete', id: profile.id })}
            data-testid="connection-delete"
          >
            Delete
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
