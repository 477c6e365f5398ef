/**
 * The Health tab of a connection: every server of its connect string probed with the four-letter
 * words (srvr, mntr, conf, cons, ruok), side by side, refreshed on an interval the operator picks,
 * with the warnings that matter on a bad night (no leader, a server down, members disagreeing,
 * requests piling up) and what to add to zoo.cfg when a server refuses the words.
 */
import { Alert, Badge, Box, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconHeartbeat, IconRefresh, IconRoute } from '@tabler/icons-react';
import { type ReactNode, useEffect } from 'react';
import type { ConnectionProfile } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { REFRESH_CHOICES, useHealthStore } from '../../stores/health-store';
import { AgeText } from '../pegasus/AgeText';
import { HealthWarnings } from './HealthWarnings';
import { ServerComparisonTable } from './ServerComparisonTable';
import { WhitelistHelp } from './WhitelistHelp';

const KIND_LABEL = {
  ensemble: 'replicated ensemble',
  standalone: 'standalone server',
  mixed: 'not one ensemble',
  unknown: 'mode unknown',
} as const;

function useAutoRefresh(connectionId: string, seconds: number) {
  const probe = useHealthStore((s) => s.probe);
  useEffect(() => {
    void probe(connectionId);
    if (seconds <= 0) return undefined;
    const timer = setInterval(() => void probe(connectionId), seconds * 1000);
    return () => clearInterval(timer);
  }, [connectionId, seconds, probe]);
}

export function EnsembleHealthView({ connection }: { connection: ConnectionProfile }) {
  const state = useHealthStore((s) => s.byConnection[connection.id]);
  const { probe, setRefresh } = useHealthStore.getState();
  const refreshSec = state?.refreshSec ?? 10;
  useAutoRefresh(connection.id, refreshSec);
  const health = state?.data ?? null;

  const header = (
    <Group justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="wrap" style={{ minWidth: 0 }}>
        <IconHeartbeat size={18} />
        <Text fw={700}>Ensemble health</Text>
        {health ? (
          <>
            <Badge
              variant="light"
              color={health.summary.kind === 'mixed' ? 'red' : 'gray'}
              data-testid="health-kind"
            >
              {KIND_LABEL[health.summary.kind]}
            </Badge>
            <Badge
              variant="light"
              color={health.summary.reachable === health.summary.total ? 'teal' : 'red'}
              data-testid="health-reachable"
            >
              {health.summary.reachable} of {health.summary.total} answering
            </Badge>
            {health.summary.leader ? (
              <Text size="sm" data-testid="health-leader">
                leader <b>{health.summary.leader}</b>
              </Text>
            ) : null}
            {health.via ? (
              <Tooltip label="The probes went through this connection's SSH tunnel" withArrow>
                <Badge variant="outline" leftSection={<IconRoute size={12} />} data-testid="health-via">
                  via {health.via}
                </Badge>
              </Tooltip>
            ) : null}
            <Text size="xs" c="dimmed">
              probed <AgeText at={health.probedAt} size="xs" /> in {health.tookMs} ms
            </Text>
          </>
        ) : null}
      </Group>
      <Group gap="xs" wrap="nowrap">
        <Select
          size="xs"
          w={140}
          aria-label="Refresh interval"
          data-testid="health-interval"
          value={String(refreshSec)}
          onChange={(value) => value !== null && setRefresh(connection.id, Number(value))}
          data={REFRESH_CHOICES.map((sec) => ({
            value: String(sec),
            label: sec === 0 ? 'Refresh: off' : `Every ${sec} s`,
          }))}
          allowDeselect={false}
        />
        <Button
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          loading={state?.refreshing}
          onClick={() => void probe(connection.id)}
          data-testid="health-refresh"
        >
          Refresh
        </Button>
      </Group>
    </Group>
  );

  let body: ReactNode;
  if (!state || (state.status === 'loading' && !health) || state.status === 'idle') {
    body = (
      <LoadingState
        label="Asking every server for srvr, mntr, conf, cons and ruok…"
        hint="Each answer is bounded at 5 s; a server that does not answer is marked unreachable."
      />
    );
  } else if (!health) {
    body = (
      <ErrorState
        title="Could not probe the ensemble"
        message={state.error?.message}
        onRetry={() => void probe(connection.id)}
      />
    );
  } else {
    body = (
      <Stack gap="sm">
        {state.error ? (
          <Alert color="red" variant="light" py={6} data-testid="health-refresh-error">
            The last refresh failed; showing the previous probe. {state.error.message}
          </Alert>
        ) : null}
        <HealthWarnings warnings={health.warnings} />
        <ServerComparisonTable servers={health.servers} />
        <WhitelistHelp health={health} />
        <Text size="xs" c="dimmed">
          Figures come from each server's own four-letter-word answers, a few milliseconds apart: small
          differences in zxid or counts between members are normal while writes happen.
        </Text>
      </Stack>
    );
  }

  return (
    <Stack gap="sm" p="sm" h="100%" style={{ minHeight: 0 }} data-testid="health-view">
      {header}
      <Box style={{ flex: 1, minHeight: 0, overflow: 'auto' }}>{body}</Box>
    </Stack>
  );
}
