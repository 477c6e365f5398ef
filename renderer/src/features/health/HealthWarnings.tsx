/** The warnings of a probe, worst first; each names the servers it is about. */
import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { EnsembleHealthData } from '../../stores/health-store';

const ORDER = { critical: 0, warning: 1, info: 2 } as const;
const LOOK = {
  critical: { color: 'red', icon: <IconAlertOctagon size={18} />, title: 'Critical' },
  warning: { color: 'yellow', icon: <IconAlertTriangle size={18} />, title: 'Warning' },
  info: { color: 'blue', icon: <IconInfoCircle size={18} />, title: 'Note' },
} as const;

export function HealthWarnings({ warnings }: { warnings: EnsembleHealthData['warnings'] }) {
  if (warnings.length === 0) {
    return (
      <Alert color="teal" variant="light" py={6} data-testid="health-all-good">
        Every server answered and they agree: no warnings.
      </Alert>
    );
  }
  const sorted = [...warnings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return (
    <Stack gap={6} data-testid="health-warnings">
      {sorted.map((warning) => {
        const look = LOOK[warning.severity];
        return (
          <Alert
            key={`${warning.code}:${warning.servers.join(',')}:${warning.message}`}
            color={look.color}
            variant="light"
            icon={look.icon}
            py={6}
            data-testid="health-warning"
            data-severity={warning.severity}
            data-code={warning.code}
          >
            <Text size="sm">
              <Text span fw={700}>
                {look.title}:{' '}
              </Text>
              {warning.message}
            </Text>
          </Alert>
        );
      })}
    </Stack>
  );
}
