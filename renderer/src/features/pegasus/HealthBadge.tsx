import { Badge, Tooltip } from '@mantine/core';
import { HEALTH_COLOR, HEALTH_LABEL, HEALTH_MEANING, type HealthClass } from './health-colors';

export function HealthBadge({ level, testId }: { level: HealthClass; testId?: string }) {
  return (
    <Tooltip label={HEALTH_MEANING[level]} withArrow>
      <Badge
        data-testid={testId}
        data-health={level}
        color={HEALTH_COLOR[level]}
        variant={level === 'healthy' ? 'light' : 'filled'}
        size="sm"
        styles={{ root: { textTransform: 'none' } }}
      >
        {HEALTH_LABEL[level]}
      </Badge>
    </Tooltip>
  );
}
