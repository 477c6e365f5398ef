/**
 * Everything about the selected node: path, data (text / JSON / hex / base64), stat and ACL, the
 * write actions, and what the live view saw change. A node deleted while it is open gets its own
 * state with a way back to the parent; the tree is left intact.
 */
import { formatClock } from '../../lib/date-time';
import {
  ActionIcon,
  Alert,
  Button,
  CopyButton,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconArrowUp, IconCheck, IconCopy, IconRefresh } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { isNoNode } from '../../api/api-error';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { profileById, useConnectionsStore } from '../../stores/connections-store';
import { type NodeMark, useExplorerStore } from '../../stores/explorer-store';
import { useSessionState } from '../../stores/sessions-store';
import { EditDataForm } from '../node-edit/EditDataForm';
import { NodeActions } from '../node-edit/NodeActions';
import { AclTable } from './AclTable';
import { NodeDataTabs } from './NodeDataTabs';
import classes from './NodePanel.module.css';
import { isEphemeral, StatTable } from './StatTable';

interface PathHeaderProps {
  path: string;
  busy: boolean;
  onRefresh(): void;
  actions?: ReactNode;
}

function PathHeader({ path, busy, onRefresh, actions }: PathHeaderProps) {
  return (
    <Group justify="space-between" wrap="nowrap" className={classes.header}>
      <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
        <Text ff="monospace" fw={600} truncate="end" title={path} data-testid="node-path">
          {path}
        </Text>
        <CopyButton value={path} timeout={1500}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy path'} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? 'teal' : 'gray'}
                size="sm"
                onClick={copy}
                aria-label="Copy path"
                data-testid="node-copy-path"
              >
                {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Group gap={6} wrap="nowrap">
        {busy ? <Loader size={14} /> : null}
        {actions}
        <Button
          size="compact-sm"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          onClick={onRefresh}
          data-testid="node-refresh"
        >
          Refresh
        </Button>
      </Group>
    </Group>
  );
}

const CHANGE_TEXT: Record<NodeMark['kind'], string> = {
  'data-changed': 'Its data was changed by someone else; the panel shows the new version.',
  'children-changed': 'Its children changed; the tree shows the new list.',
  deleted: 'It was deleted by someone else. What you see is the last version read.',
  created: 'It was created again; the panel shows the new node.',
};

/** What the live view saw happen to the open node, until dismissed. */
function ChangeBanner({ mark, onDismiss }: { mark: NodeMark; onDismiss(): void }) {
  return (
    <Alert
      color={mark.kind === 'deleted' ? 'red' : 'blue'}
      variant="light"
      py={6}
      mx="sm"
      mt="sm"
      withCloseButton
      onClose={onDismiss}
      data-testid="node-change-banner"
      data-kind={mark.kind}
    >
      {`Changed at ${formatClock(mark.at)}${mark.missed ? ' (while the session was being re-established)' : ''}: `}
      {CHANGE_TEXT[mark.kind]}
    </Alert>
  );
}

export function NodePanel({ connectionId }: { connectionId: string }) {
  const selectedPath = useExplorerStore((state) => state.byConnection[connectionId]?.selectedPath ?? null);
  const detail = useExplorerStore((state) => state.byConnection[connectionId]?.detail ?? null);
  const mark = useExplorerStore((state) =>
    selectedPath === null ? undefined : state.byConnection[connectionId]?.marks[selectedPath],
  );
  const readOnly = useConnectionsStore((state) => profileById(state, connectionId)?.readOnly ?? true);
  const ownSessionId = useSessionState(connectionId)?.sessionId;
  const [editing, setEditing] = useState<{ path: string; base: NonNullable<typeof detail>['view'] } | null>(
    null,
  );
  const { refresh, goToParent, clearMark } = useExplorerStore.getState();

  if (selectedPath === null || detail === null) {
    return (
      <EmptyState
        title="No node selected"
        description="Select a node in the tree to see its data, stat and ACL."
      />
    );
  }
  const path = detail.path;
  const onRefresh = () => refresh(connectionId, path);
  const view = detail.view?.path === path ? detail.view : undefined;
  const editBase = editing?.path === path ? editing.base : undefined;

  let body: React.ReactNode;
  if (detail.status === 'error' && detail.error && isNoNode(detail.error)) {
    body = (
      <ErrorState
        color="orange"
        title="This node no longer exists"
        message={`${path} was deleted after the tree listed it; the tree now shows its parent's current children.`}
        actions={
          <Button
            size="xs"
            variant="filled"
            color="orange"
            leftSection={<IconArrowUp size={14} />}
            onClick={() => goToParent(connectionId, path)}
            data-testid="node-go-parent"
          >
            Go to parent
          </Button>
        }
      />
    );
  } else if (detail.status === 'error' && detail.error) {
    body = <ErrorState title={`Could not read ${path}`} message={detail.error.message} onRetry={onRefresh} />;
  } else if (!view) {
    body = <LoadingState label={`Reading ${path}…`} />;
  } else {
    body = (
      <Stack gap="md" p="sm">
        {editBase ? (
          <EditDataForm
            key={`${path}@edit`}
            connectionId={connectionId}
            base={editBase}
            current={view}
            onDone={() => setEditing(null)}
          />
        ) : (
          <NodeDataTabs key={`${path}@${view.stat.mzxid}`} dataBase64={view.dataBase64} />
        )}
        <section>
          <Group gap="xs" mb={6}>
            <Title order={6}>Stat</Title>
            {isEphemeral(view.stat) ? (
              <Text size="xs" c="violet" data-testid="node-ephemeral-owner">
                ephemeral node owned by session {view.stat.ephemeralOwner}
                {view.stat.ephemeralOwner === ownSessionId ? " (this app's session)" : ''}: it disappears when
                that session ends
              </Text>
            ) : null}
          </Group>
          <StatTable stat={view.stat} ownSessionId={ownSessionId} />
        </section>
        <section>
          <Title order={6} mb={6}>
            ACL
          </Title>
          <AclTable acl={view.acl} />
        </section>
      </Stack>
    );
  }

  return (
    <div className={classes.panel} data-testid="node-panel" data-status={detail.status}>
      <PathHeader
        path={path}
        busy={detail.status === 'loading' && !!view}
        onRefresh={onRefresh}
        actions={
          view ? (
            <NodeActions
              connectionId={connectionId}
              node={view}
              readOnly={readOnly}
              editing={!!editBase}
              onEdit={() => setEditing({ path, base: view })}
            />
          ) : null
        }
      />
      {mark ? <ChangeBanner mark={mark} onDismiss={() => clearMark(connectionId, path)} /> : null}
      <ScrollArea className={classes.body} type="auto">
        {body}
      </ScrollArea>
    </div>
  );
}
