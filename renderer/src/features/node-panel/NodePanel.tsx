/**
 * Everything about the selected node: path, data (text / JSON / hex), stat and ACL. A node deleted
 * while it is open gets its own state with a way back to the parent; the tree is left intact.
 */
import {
  ActionIcon,
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
import { isNoNode } from '../../api/api-error';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useExplorerStore } from '../../stores/explorer-store';
import { AclTable } from './AclTable';
import { NodeDataTabs } from './NodeDataTabs';
import classes from './NodePanel.module.css';
import { isEphemeral, StatTable } from './StatTable';

function PathHeader({ path, busy, onRefresh }: { path: string; busy: boolean; onRefresh(): void }) {
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

export function NodePanel({ connectionId }: { connectionId: string }) {
  const selectedPath = useExplorerStore((state) => state.byConnection[connectionId]?.selectedPath ?? null);
  const detail = useExplorerStore((state) => state.byConnection[connectionId]?.detail ?? null);
  const { refresh, goToParent } = useExplorerStore.getState();

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
        <NodeDataTabs key={`${path}@${view.stat.mzxid}`} dataBase64={view.dataBase64} />
        <section>
          <Group gap="xs" mb={6}>
            <Title order={6}>Stat</Title>
            {isEphemeral(view.stat) ? (
              <Text size="xs" c="violet">
                ephemeral node: it disappears when its session ends
              </Text>
            ) : null}
          </Group>
          <StatTable stat={view.stat} />
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
      <PathHeader path={path} busy={detail.status === 'loading' && !!view} onRefresh={onRefresh} />
      <ScrollArea className={classes.body} type="auto">
        {body}
      </ScrollArea>
    </div>
  );
}
