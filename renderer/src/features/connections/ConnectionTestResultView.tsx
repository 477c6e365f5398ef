import { Alert, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { ConnectionTestResult } from '../../api/types';

export function ConnectionTestResultView({ result }: { result: ConnectionTestResult }) {
  return (
    <Alert
      data-testid="connection-test-result"
      data-ok={String(result.ok)}
      color={result.ok ? 'green' : 'red'}
      variant="light"
      icon={result.ok ? <IconCircleCheck /> : <IconCircleX />}
      title={
        <Group gap="xs">
          <span>{result.ok ? 'Connection works' : 'Connection failed'}</span>
          <Text span size="xs" c="dimmed">
            {result.latencyMs} ms
          </Text>
        </Group>
      }
    >
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {result.message}
      </Text>
      {result.tunnel ? (
        <Text size="xs" c="dimmed" mt={4} data-testid="connection-test-tunnel">
          From the jump host {result.tunnel.jumpHost}:{' '}
          {result.tunnel.targets.map((t) => `${t.target} ${t.ok ? 'reachable' : 'refused'}`).join(', ')}
        </Text>
      ) : null}
    </Alert>
  );
}
