/**
 * Decode and read problems, each naming the znode it concerns. They never stop a view; they are
 * shown so the operator knows which facts are missing and where to look in the explorer.
 */
import { Alert, Code, List, ScrollArea, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

interface Warning {
  path: string;
  message: string;
}

export function WarningsList({
  warnings,
  total,
  title = 'Some nodes could not be read or decoded',
  testId = 'pegasus-warnings',
}: {
  warnings: readonly Warning[];
  total?: number;
  title?: string;
  testId?: string;
}) {
  if (warnings.length === 0) return null;
  const count = total ?? warnings.length;
  return (
    <Alert
      data-testid={testId}
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={`${title} (${count})`}
    >
      <ScrollArea.Autosize mah={120} type="auto">
        <List size="xs" spacing={2} styles={{ itemWrapper: { display: 'block' } }}>
          {warnings.map((warning) => (
            <List.Item key={`${warning.path}\u0000${warning.message}`} data-testid="pegasus-warning">
              <Code>{warning.path}</Code>{' '}
              <Text span size="xs">
                {warning.message}
              </Text>
            </List.Item>
          ))}
        </List>
      </ScrollArea.Autosize>
      {count > warnings.length ? (
        <Text size="xs" c="dimmed" mt={4}>
          {count - warnings.length} more not shown; the JSON export has the first {warnings.length}.
        </Text>
      ) : null}
    </Alert>
  );
}
