import { Alert, Button, Center, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface ErrorStateProps {
  title: ReactNode;
  /** The host's operator-facing message: shown verbatim, it says what to check. */
  message?: ReactNode;
  onRetry?: () => void;
  retryLabel?: string;
  /** Other ways out (e.g. "Go to parent"). */
  actions?: ReactNode;
  color?: string;
}

export function ErrorState({
  title,
  message,
  onRetry,
  retryLabel = 'Retry',
  actions,
  color = 'red',
}: ErrorStateProps) {
  return (
    <Center h="100%" p="lg">
      <Alert
        data-testid="error-state"
        color={color}
        variant="light"
        title={title}
        icon={<IconAlertTriangle />}
        maw={640}
        w="100%"
      >
        <Stack gap="sm">
          {message ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {message}
            </Text>
          ) : null}
          {onRetry || actions ? (
            <Group gap="xs">
              {onRetry ? (
                <Button
                  data-testid="error-retry"
                  size="xs"
                  variant="filled"
                  color={color}
                  leftSection={<IconRefresh size={14} />}
                  onClick={onRetry}
                >
                  {retryLabel}
                </Button>
              ) : null}
              {actions}
            </Group>
          ) : null}
        </Stack>
      </Alert>
    </Center>
  );
}
