import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface LoadingStateProps {
  label: ReactNode;
  /** What bounds the wait, e.g. "Gives up after 8 s": a spinner should never look endless. */
  hint?: ReactNode;
}

export function LoadingState({ label, hint }: LoadingStateProps) {
  return (
    <Center data-testid="loading-state" h="100%" mih={160} p="lg">
      <Stack align="center" gap="xs">
        <Loader size="md" />
        <Text fw={500}>{label}</Text>
        {hint ? (
          <Text size="sm" c="dimmed" ta="center">
            {hint}
          </Text>
        ) : null}
      </Stack>
    </Center>
  );
}
