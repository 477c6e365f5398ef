/**
 * Editing the ACL of the open node, or of its whole subtree. The change is checked against the ACL
 * version the operator reviewed; a recursive change runs as a host job with progress.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../api/api-error';
import type { ZkAclView, ZkNodeView } from '../../api/types';
import { useExplorerStore } from '../../stores/explorer-store';
import { editApi } from './edit-api';
import { JobProgress } from './JobProgress';
import { useTreeJob } from './use-tree-job';

const SCHEMES = ['world', 'digest', 'ip', 'auth', 'sasl', 'x509'];
const LETTERS = ['c', 'd', 'r', 'w', 'a'] as const;

interface AclEditorModalProps {
  connectionId: string;
  node: ZkNodeView;
  opened: boolean;
  onClose(): void;
}

export function AclEditorModal({ connectionId, node, opened, onClose }: AclEditorModalProps) {
  const [entries, setEntries] = useState<ZkAclView[]>(() => node.acl.map((entry) => ({ ...entry })));
  const [recursive, setRecursive] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const job = useTreeJob(() => void useExplorerStore.getState().loadDetail(connectionId, node.path));

  const patch = (index: number, change: Partial<ZkAclView>) =>
    setEntries((current) => current.map((entry, i) => (i === index ? { ...entry, ...change } : entry)));
  const togglePerm = (index: number, letter: string) => {
    const perms = entries[index]?.perms ?? '';
    const next = perms.includes(letter) ? perms.replace(letter, '') : perms + letter;
    patch(index, { perms: LETTERS.filter((l) => next.includes(l)).join('') });
  };

  const close = () => {
    setError(null);
    setDone(null);
    job.reset();
    onClose();
  };

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await editApi.setAcl({
        connectionId,
        path: node.path,
        acl: entries,
        aversion: node.stat.aversion,
        recursive,
      });
      if (result.kind === 'job') job.follow(result.jobId);
      else {
        setDone(`ACL set (ACL version ${result.stat.aversion}).`);
        void useExplorerStore.getState().loadDetail(connectionId, node.path);
      }
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const invalid = entries.length === 0 || entries.some((entry) => entry.perms === '' || entry.scheme === '');

  return (
    <Modal opened={opened} onClose={close} title={`ACL of ${node.path}`} size="xl" data-testid="acl-modal">
      <Stack gap="sm">
        <Table verticalSpacing={4} data-testid="acl-editor">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={120}>Scheme</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th w={190}>Permissions</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position while edited.
              <Table.Tr key={index} data-testid="acl-editor-row">
                <Table.Td>
                  <Select
                    size="xs"
                    data={SCHEMES}
                    value={entry.scheme}
                    onChange={(value) => value && patch(index, { scheme: value })}
                    allowDeselect={false}
                    aria-label="Scheme"
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    value={entry.id}
                    onChange={(event) => patch(index, { id: event.currentTarget.value })}
                    placeholder={entry.scheme === 'digest' ? 'user:base64(sha1(user:password))' : 'anyone'}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    aria-label="Id"
                    data-testid="acl-editor-id"
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {LETTERS.map((letter) => (
                      <Checkbox
                        key={letter}
                        size="xs"
                        label={letter}
                        checked={entry.perms.includes(letter)}
                        onChange={() => togglePerm(index, letter)}
                        data-testid={`acl-perm-${letter}`}
                      />
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="sm"
                    onClick={() => setEntries((current) => current.filter((_, i) => i !== index))}
                    aria-label="Remove this entry"
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="space-between">
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => setEntries((current) => [...current, { scheme: 'digest', id: '', perms: 'r' }])}
          >
            Add entry
          </Button>
          <Checkbox
            label={`Apply to every node below ${node.path} too`}
            checked={recursive}
            onChange={(event) => setRecursive(event.currentTarget.checked)}
            data-testid="acl-recursive"
          />
        </Group>
        <Text size="xs" c="dimmed">
          Checked against ACL version {node.stat.aversion}. ZooKeeper ACLs are not inherited: a new child gets
          the ACL given when it is created. Removing your own admin (a) permission locks this connection out
          of changing it again.
        </Text>
        {recursive ? (
          <Text size="xs" c="dimmed" data-testid="acl-snapshot-note">
            Before any ACL changes, a snapshot of the subtree (data and current ACLs) is saved in the local
            store: you can browse it offline and compare it with the live tree afterwards.
          </Text>
        ) : null}
        {job.state.jobId ? (
          <JobProgress state={job.state} verb="Changed" onCancel={() => void job.cancel()} />
        ) : null}
        {done ? (
          <Alert color="teal" variant="light" data-testid="acl-done">
            {done}
          </Alert>
        ) : null}
        {error ? (
          <Alert color="red" variant="light" data-testid="acl-error">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="acl-close">
            Close
          </Button>
          <Button
            onClick={apply}
            loading={busy}
            disabled={invalid || job.state.jobId !== null || done !== null}
            data-testid="acl-apply"
          >
            {recursive ? 'Apply to the subtree' : 'Apply'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
