/**
 * The cluster profiles: each with its root, meta servers and tools, "Check tools", edit and remove.
 * Profiles of the cluster being viewed come first. Opened from the Pegasus view, which prefills a
 * new profile with the connection, the detected root and the meta servers it knows.
 */
import { Badge, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { IconPencil, IconPlus, IconServer2, IconStethoscope, IconTrash } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useConnectionsStore } from '../../stores/connections-store';
import { type PegasusProfileView, usePegasusProfilesStore } from '../../stores/pegasus-profiles-store';
import type { ProfilePrefill } from './profile-form-model';
import { ProfileFormModal } from './ProfileFormModal';
import { RemoveProfileModal } from './RemoveProfileModal';
import { ToolCheckView } from './ToolCheckView';

function toolsSummary(profile: PegasusProfileView): string[] {
  const shell = profile.tools.shell;
  return [
    shell ? (shell.kind === 'run.sh' ? 'run.sh shell' : 'pegasus_shell') : 'no shell',
    profile.tools.adminCli ? 'admin-cli' : 'no admin-cli',
  ];
}

function ProfileCard({
  profile,
  current,
  onEdit,
  onRemove,
}: {
  profile: PegasusProfileView;
  current: boolean;
  onEdit(): void;
  onRemove(): void;
}) {
  const connectionName = useConnectionsStore(
    (state) => state.connections.find((connection) => connection.id === profile.connectionId)?.name ?? null,
  );
  const checkState = usePegasusProfilesStore((state) => state.checks[profile.id]);
  const check = usePegasusProfilesStore((state) => state.check);
  return (
    <Paper withBorder p="sm" data-testid="profile-item" data-name={profile.name}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <IconServer2 size={16} />
            <Text fw={600} truncate>
              {profile.name}
            </Text>
            {current ? (
              <Badge size="xs" color="teal" variant="light">
                this cluster
              </Badge>
            ) : null}
            {toolsSummary(profile).map((label) => (
              <Badge
                key={label}
                size="xs"
                variant="outline"
                color={label.startsWith('no ') ? 'gray' : 'blue'}
              >
                {label}
              </Badge>
            ))}
          </Group>
          <Group gap={4} wrap="nowrap">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconStethoscope size={14} />}
              loading={checkState?.running}
              onClick={() => void check(profile.id, { id: profile.id })}
              data-testid="profile-check"
            >
              Check tools
            </Button>
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPencil size={14} />}
              onClick={onEdit}
              data-testid="profile-edit"
            >
              Edit
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={onRemove}
              data-testid="profile-remove"
            >
              Remove
            </Button>
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          {connectionName ? `ZooKeeper: ${connectionName}` : 'No ZooKeeper connection'} · root{' '}
          <Code>{profile.clusterRoot ?? '-'}</Code> · meta servers{' '}
          <Code>{profile.metaServers.length > 0 ? profile.metaServers.join(',') : '-'}</Code>
        </Text>
        {checkState?.running ? (
          <Text size="xs" c="dimmed" data-testid="profile-check-running">
            Checking: cluster_info through the shell (up to 20 s), the meta HTTP API, ZooKeeper…
          </Text>
        ) : (
          <ToolCheckView result={checkState?.result ?? null} error={checkState?.error ?? null} />
        )}
      </Stack>
    </Paper>
  );
}

export function ProfilesPanel({ prefill }: { prefill?: ProfilePrefill }) {
  const { status, profiles, error, load } = usePegasusProfilesStore();
  const [editing, setEditing] = useState<PegasusProfileView | 'new' | null>(null);
  const [removing, setRemoving] = useState<PegasusProfileView | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const isCurrent = (profile: PegasusProfileView) =>
    !!prefill?.connectionId &&
    profile.connectionId === prefill.connectionId &&
    (!prefill.clusterRoot || profile.clusterRoot === prefill.clusterRoot);
  const ordered = [...profiles].sort((a, b) => Number(isCurrent(b)) - Number(isCurrent(a)));

  let body: ReactNode;
  if (status === 'error' && profiles.length === 0) {
    body = (
      <ErrorState
        title="Could not load the cluster profiles"
        message={error?.message}
        onRetry={() => void load()}
      />
    );
  } else if ((status === 'idle' || status === 'loading') && profiles.length === 0) {
    body = (
      <LoadingState
        label="Loading the cluster profiles…"
        hint="Read from the local store; gives up after 30 s."
      />
    );
  } else if (profiles.length === 0) {
    body = (
      <EmptyState
        title="No cluster profiles yet"
        description="A profile says where a cluster's metadata is and which tools runbooks may run for it (the Pegasus shell, admin-cli). Without one, every step shows its commands to run by hand."
        icon={<IconServer2 />}
        actions={
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setEditing('new')}
            data-testid="profile-add-empty"
          >
            Add a profile for this cluster
          </Button>
        }
      />
    );
  } else {
    body = (
      <Stack gap="sm" data-testid="profile-list">
        {ordered.map((profile) => (
          <ProfileCard
            key={profile.id}
            profile={profile}
            current={isCurrent(profile)}
            onEdit={() => setEditing(profile)}
            onRemove={() => setRemoving(profile)}
          />
        ))}
      </Stack>
    );
  }

  const suggestedName = prefill?.clusterRoot?.split('/').filter(Boolean).at(-1);
  return (
    <Stack gap="sm" data-testid="profiles-panel">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Where each cluster's tools are, for runbook steps. Paths and addresses only: no secret is stored
          here.
        </Text>
        {profiles.length > 0 ? (
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setEditing('new')}
            data-testid="profile-add"
          >
            Add profile
          </Button>
        ) : null}
      </Group>
      {status === 'error' && profiles.length > 0 ? (
        <Text size="xs" c="red">
          Refresh failed: {error?.message}
        </Text>
      ) : null}
      {body}
      {editing ? (
        <ProfileFormModal
          profile={editing === 'new' ? undefined : editing}
          prefill={editing === 'new' ? { ...prefill, name: suggestedName } : undefined}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {removing ? <RemoveProfileModal profile={removing} onClose={() => setRemoving(null)} /> : null}
    </Stack>
  );
}
