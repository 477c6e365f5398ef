import { Center, EmptyState as MantineEmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  /** Buttons that get the operator out of the empty state. */
  actions?: ReactNode;
}

export function EmptyState({ title, description, icon, actions }: EmptyStateProps) {
  return (
    <Center h="100%" mih={200} p="lg">
      <MantineEmptyState
        data-testid="empty-state"
        title={title}
        description={description}
        icon={icon}
        withIndicatorBackground={!!icon}
      >
        {actions ? <MantineEmptyState.Actions>{actions}</MantineEmptyState.Actions> : null}
      </MantineEmptyState>
    </Center>
  );
}
