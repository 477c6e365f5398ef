/**
 * The write actions of the open node. On a read-only connection they are visible but disabled, with
 * the reason, so an operator knows writing is possible and what it takes.
 */
import { ActionIcon, Group, Tooltip } from '@mantine/core';
import {
  IconCamera,
  IconFileExport,
  IconFileImport,
  IconPencil,
  IconPlus,
  IconShieldLock,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { snapshotIdOfWorkspace } from '../../../../shared/api/snapshots';
import type { ZkNodeView } from '../../api/types';
import { CaptureSnapshotModal } from '../snapshots/CaptureSnapshotModal';
import { ExportModal } from '../transfer/ExportModal';
import { ImportModal } from '../transfer/ImportModal';
import { AclEditorModal } from './AclEditorModal';
import { CreateNodeModal } from './CreateNodeModal';
import { DeleteNodeModal } from './DeleteNodeModal';

interface NodeActionsProps {
  connectionId: string;
  node: ZkNodeView;
  readOnly: boolean;
  editing: boolean;
  onEdit(): void;
}

const READ_ONLY = 'Read-only connection: switch it to read-write in its menu to make changes';
const SNAPSHOT = 'A snapshot is read-only and offline: open the live connection to make changes';

export function NodeActions({ connectionId, node, readOnly, editing, onEdit }: NodeActionsProps) {
  const [dialog, setDialog] = useState<'create' | 'delete' | 'acl' | 'export' | 'import' | 'snapshot' | null>(
    null,
  );
  const isEphemeral = node.stat.ephemeralOwner !== '0x0';
  const offline = snapshotIdOfWorkspace(connectionId) !== null;
  const blocked = offline ? SNAPSHOT : READ_ONLY;
  const action = (
    label: string,
    testId: string,
    icon: React.ReactNode,
    onClick: () => void,
    disabled = false,
    reason?: string,
  ) => (
    <Tooltip label={readOnly ? blocked : (reason ?? label)} withArrow multiline maw={280}>
      <ActionIcon
        variant="default"
        size="md"
        onClick={onClick}
        disabled={readOnly || disabled}
        aria-label={label}
        data-testid={testId}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
  /** Actions that only read ZooKeeper (or the snapshot): available on read-only connections too. */
  const readAction = (
    label: string,
    testId: string,
    icon: React.ReactNode,
    onClick: () => void,
    disabledReason?: string,
  ) => (
    <Tooltip label={disabledReason ?? label} withArrow multiline maw={280}>
      <ActionIcon
        variant="default"
        size="md"
        onClick={onClick}
        disabled={disabledReason !== undefined}
        aria-label={label}
        data-testid={testId}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
  return (
    <Group gap={4} wrap="nowrap" data-testid="node-actions" data-read-only={readOnly}>
      {readAction('Export subtree…', 'node-export', <IconFileExport size={15} />, () => setDialog('export'))}
      {readAction(
        'Take a snapshot of this subtree…',
        'node-snapshot',
        <IconCamera size={15} />,
        () => setDialog('snapshot'),
        offline ? 'This is already a snapshot: take snapshots of the live connection' : undefined,
      )}
      {readAction(
        'Import…',
        'node-import',
        <IconFileImport size={15} />,
        () => setDialog('import'),
        offline ? SNAPSHOT : undefined,
      )}
      {action('Edit data', 'node-edit', <IconPencil size={15} />, onEdit, editing)}
      {action(
        'New child node',
        'node-create-child',
        <IconPlus size={15} />,
        () => setDialog('create'),
        isEphemeral,
        isEphemeral ? 'Ephemeral nodes cannot have children' : undefined,
      )}
      {action('Edit ACL', 'node-edit-acl', <IconShieldLock size={15} />, () => setDialog('acl'))}
      {action(
        node.stat.numChildren > 0 ? 'Delete subtree' : 'Delete node',
        'node-delete',
        <IconTrash size={15} />,
        () => setDialog('delete'),
        node.path === '/',
      )}
      {dialog === 'create' ? (
        <CreateNodeModal
          connectionId={connectionId}
          parent={node.path}
          opened
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'delete' ? (
        <DeleteNodeModal connectionId={connectionId} node={node} opened onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'export' ? (
        <ExportModal connectionId={connectionId} path={node.path} opened onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'import' ? (
        <ImportModal
          connectionId={connectionId}
          path={node.path}
          readOnly={readOnly}
          opened
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'snapshot' ? (
        <CaptureSnapshotModal
          connectionId={connectionId}
          path={node.path}
          opened
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'acl' ? (
        <AclEditorModal connectionId={connectionId} node={node} opened onClose={() => setDialog(null)} />
      ) : null}
    </Group>
  );
}
