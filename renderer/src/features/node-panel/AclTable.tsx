import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import type { ZkAclView } from '../../api/types';

const PERMS: [letter: string, meaning: string][] = [
  ['c', 'create children'],
  ['d', 'delete children'],
  ['r', 'read data and list children'],
  ['w', 'write data'],
  ['a', 'set ACL'],
];

function PermBadges({ perms }: { perms: string }) {
  return (
    <Group gap={2} wrap="nowrap">
      {PERMS.map(([letter, meaning]) => {
        const granted = perms.includes(letter);
        return (
          <Tooltip key={letter} label={`${granted ? '' : 'no '}${meaning}`} withArrow>
            <Badge
              size="sm"
              radius="xs"
              variant={granted ? 'light' : 'outline'}
              color={granted ? 'teal' : 'gray'}
              opacity={granted ? 1 : 0.4}
            >
              {letter}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

export function AclTable({ acl }: { acl: ZkAclView[] }) {
  if (acl.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="node-acl">
        No ACL entries.
      </Text>
    );
  }
  return (
    <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="node-acl">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Scheme</Table.Th>
          <Table.Th>Id</Table.Th>
          <Table.Th>Permissions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {acl.map((entry) => (
          <Table.Tr key={`${entry.scheme}:${entry.id}`} data-testid="node-acl-entry">
            <Table.Td ff="monospace">{entry.scheme}</Table.Td>
            <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {entry.id}
            </Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <PermBadges perms={entry.perms} />
                <Text size="xs" c="dimmed" ff="monospace" data-testid="node-acl-perms">
                  {entry.perms}
                </Text>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
