/**
 * Replica placement: primaries and secondaries per replica server over available tables, as a
 * stacked bar chart, with the standard deviations the shell's `cluster_info` reports
 * (replica-placement.ts says exactly which formula). A balanced cluster shows flat bars.
 */
import { Box, Card, Group, ScrollArea, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip as ChartTooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../components/EmptyState';
import { AgeText } from './AgeText';
import type { OverviewData } from './table-rows';

type Placement = OverviewData['placement'];

const BAR_WIDTH = 34;
const CHART_HEIGHT = 300;

/** The host part, shortened for the axis: 'rs-1.c1.example.com:34801' -> 'rs-1:34801'. */
function shortName(address: string): string {
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : address;
  const port = colon > 0 ? address.slice(colon) : '';
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? address : `${host.split('.')[0]}${port}`;
}

export function PlacementChart({ placement }: { placement: Placement }) {
  const data = placement.nodes.map((node) => ({
    name: shortName(node.address),
    address: node.address,
    primaries: node.primaries,
    secondaries: node.secondaries,
  }));
  const { ref, width: available } = useElementSize();
  // Fill the pane; past that, scroll sideways rather than squeeze hundreds of servers.
  const width = Math.max(available || 640, data.length * (BAR_WIDTH + 16) + 80);
  return (
    <Box ref={ref}>
      <ScrollArea type="auto" data-testid="pegasus-placement-chart">
        <BarChart
          width={width}
          height={CHART_HEIGHT}
          data={data}
          margin={{ top: 8, right: 16, bottom: 40, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--mantine-color-dark-4)" />
          <XAxis
            dataKey="name"
            angle={-30}
            textAnchor="end"
            interval={0}
            tick={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }} />
          <ChartTooltip
            contentStyle={{
              background: 'var(--mantine-color-body)',
              border: '1px solid var(--mantine-color-default-border)',
            }}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.address ?? '')}
          />
          <Legend verticalAlign="top" height={28} />
          <Bar
            dataKey="primaries"
            name="primaries"
            stackId="replicas"
            fill="var(--mantine-color-teal-6)"
            maxBarSize={BAR_WIDTH}
            isAnimationActive={false}
          />
          <Bar
            dataKey="secondaries"
            name="secondaries"
            stackId="replicas"
            fill="var(--mantine-color-blue-5)"
            maxBarSize={BAR_WIDTH}
            isAnimationActive={false}
          />
        </BarChart>
      </ScrollArea>
    </Box>
  );
}

export function PlacementPanel({ overview }: { overview: OverviewData }) {
  const placement = overview.placement;
  if (placement.nodes.length === 0) {
    return (
      <EmptyState
        title="No replicas placed"
        description="No available table has a partition with a primary or secondary, so there is nothing to chart."
      />
    );
  }
  return (
    <Stack gap="sm" data-testid="pegasus-placement">
      <Card withBorder padding="sm">
        <Group gap="xl">
          <Tooltip label="shell cluster_info: primary_replica_count_stddev">
            <Stack gap={0}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Primary stddev
              </Text>
              <Text size="lg" fw={700} data-testid="pegasus-primary-stddev">
                {placement.primaryReplicaCountStddev.toFixed(2)}
              </Text>
            </Stack>
          </Tooltip>
          <Tooltip label="shell cluster_info: total_replica_count_stddev">
            <Stack gap={0}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Total stddev
              </Text>
              <Text size="lg" fw={700} data-testid="pegasus-total-stddev">
                {placement.totalReplicaCountStddev.toFixed(2)}
              </Text>
            </Stack>
          </Tooltip>
          <Stack gap={0}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Replica servers
            </Text>
            <Text size="lg" fw={700}>
              {placement.nodes.length}
            </Text>
          </Stack>
          <Text size="xs" c="dimmed" maw={420}>
            {placement.liveness === 'assumed-alive'
              ? 'ZooKeeper does not record liveness: every server counts as alive. The Meta HTTP tab recomputes these with the UNALIVE servers.'
              : 'With liveness from the meta servers.'}{' '}
            From ZooKeeper <AgeText at={overview.loadedAt} size="xs" />.
          </Text>
        </Group>
      </Card>
      <PlacementChart placement={placement} />
      <Table striped withTableBorder fz="sm" data-testid="pegasus-placement-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Replica server</Table.Th>
            <Table.Th>Primaries</Table.Th>
            <Table.Th>Secondaries</Table.Th>
            <Table.Th>Total</Table.Th>
            <Table.Th>Also seen as</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {placement.nodes.map((node) => (
            <Table.Tr key={node.address} data-testid="pegasus-placement-row" data-address={node.address}>
              <Table.Td ff="monospace">{node.address}</Table.Td>
              <Table.Td>{node.primaries}</Table.Td>
              <Table.Td>{node.secondaries}</Table.Td>
              <Table.Td>{node.total}</Table.Td>
              <Table.Td ff="monospace" c="dimmed">
                {node.otherAddresses.join(', ') || '-'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
