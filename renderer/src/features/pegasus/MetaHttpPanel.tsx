/**
 * What the meta servers say over HTTP (`/meta/cluster`, `/meta/nodes`, `/meta/apps`, following 307
 * to the leader) beside what ZooKeeper says, fact by fact, each with its source and age. Optional:
 * the meta servers are often not reachable from the operator's laptop, and every other view works
 * without them.
 */
import { countOf } from '../../../../shared/plural';
import { Alert, Badge, Button, Code, Group, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconMinus, IconWorldWww, IconX } from '@tabler/icons-react';
import type { ApiOutputs } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusStore } from '../../stores/pegasus-store';
import { AgeText } from './AgeText';

type Report = ApiOutputs['pegasus']['metaHttp'];
type Fact = Report['facts'][number];
type FactValue = NonNullable<Fact['zookeeper']>;

function SourceBadge({ source }: { source: 'zookeeper' | 'http' }) {
  return (
    <Badge
      size="xs"
      variant="light"
      color={source === 'http' ? 'blue' : 'teal'}
      data-testid="pegasus-fact-source"
    >
      {source === 'http' ? 'HTTP' : 'ZooKeeper'}
    </Badge>
  );
}

function ValueCell({ value, testId }: { value: FactValue | null; testId: string }) {
  if (!value)
    return (
      <Text size="xs" c="dimmed">
        -
      </Text>
    );
  return (
    <Stack gap={2} data-testid={testId} data-source={value.source}>
      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {value.value === null ? '-' : String(value.value)}
      </Text>
      <Group gap={4}>
        <SourceBadge source={value.source} />
        <Tooltip label={value.origin}>
          <Text size="xs" c="dimmed">
            <AgeText at={value.observedAt} size="xs" testId="pegasus-fact-age" />
          </Text>
        </Tooltip>
      </Group>
    </Stack>
  );
}

function Agreement({ agree }: { agree: boolean | null }) {
  if (agree === null)
    return <IconMinus size={16} color="var(--mantine-color-dimmed)" aria-label="not comparable" />;
  return agree ? (
    <IconCheck size={16} color="var(--mantine-color-teal-5)" aria-label="agree" />
  ) : (
    <IconX size={16} color="var(--mantine-color-red-5)" aria-label="disagree" />
  );
}

function EndpointLine({
  name,
  result,
}: {
  name: string;
  result: Report['cluster'] | Report['nodes'] | Report['apps'];
}) {
  return (
    <Group gap="xs" data-testid="pegasus-endpoint" data-endpoint={name} data-ok={result.ok}>
      <Code>{name}</Code>
      {result.ok ? (
        <Text size="xs">
          answered by <b>{result.server}</b>
          {result.redirects.length > 0
            ? ` after ${countOf(result.redirects.length, 'redirect')} to the leader`
            : ''}{' '}
          <AgeText at={result.fetchedAt} size="xs" />
          {result.skipped.length > 0 ? ` (skipped: ${result.skipped.map((s) => s.server).join(', ')})` : ''}
        </Text>
      ) : (
        <Text size="xs" c="red">
          {result.error}
        </Text>
      )}
    </Group>
  );
}

function ReportView({ report }: { report: Report }) {
  const nodes = report.nodes.ok ? report.nodes.data.nodes : [];
  const allFailed = !report.cluster.ok && !report.nodes.ok && !report.apps.ok;
  return (
    <Stack gap="sm">
      {allFailed ? (
        <Alert
          color="red"
          variant="light"
          title="No meta server answered"
          data-testid="pegasus-metahttp-unreachable"
        >
          The views above still work from ZooKeeper. Check the addresses (the meta's RPC port, 34601 by
          default) and that this machine can reach them.
        </Alert>
      ) : null}
      <Stack gap={2}>
        <EndpointLine name="/meta/cluster" result={report.cluster} />
        <EndpointLine name="/meta/nodes?detail" result={report.nodes} />
        <EndpointLine name="/meta/apps?detail" result={report.apps} />
      </Stack>
      <Table withTableBorder striped fz="sm" data-testid="pegasus-facts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Fact</Table.Th>
            <Table.Th>ZooKeeper</Table.Th>
            <Table.Th>Meta HTTP</Table.Th>
            <Table.Th>Agree</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.facts.map((fact) => (
            <Table.Tr
              key={fact.key}
              data-testid="pegasus-fact"
              data-fact={fact.key}
              data-agree={String(fact.agree)}
            >
              <Table.Td>
                <Text size="sm" fw={600}>
                  {fact.label}
                </Text>
                {fact.note ? (
                  <Text size="xs" c="dimmed" maw={280}>
                    {fact.note}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <ValueCell value={fact.zookeeper} testId="pegasus-fact-zookeeper" />
              </Table.Td>
              <Table.Td>
                <ValueCell value={fact.http} testId="pegasus-fact-http" />
              </Table.Td>
              <Table.Td>
                <Agreement agree={fact.agree} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {nodes.length > 0 ? (
        <Table withTableBorder fz="sm" data-testid="pegasus-http-nodes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Replica server (HTTP)</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Primaries</Table.Th>
              <Table.Th>Secondaries</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {nodes.map((node) => (
              <Table.Tr key={node.address}>
                <Table.Td ff="monospace">{node.address}</Table.Td>
                <Table.Td>
                  <Badge size="xs" color={node.status === 'ALIVE' ? 'teal' : 'red'}>
                    {node.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{node.primaryCount ?? '-'}</Table.Td>
                <Table.Td>{node.secondaryCount ?? '-'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

export function MetaHttpPanel({ connectionId }: { connectionId: string }) {
  const state = usePegasusStore((s) => s.byConnection[connectionId]);
  const { setMetaServers, loadMetaHttp } = usePegasusStore.getState();
  const entry = state?.metaHttp;
  return (
    <Stack gap="sm" data-testid="pegasus-metahttp">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void loadMetaHttp(connectionId);
        }}
      >
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1, maxWidth: 520 }}
            label="Meta servers (host:port, comma separated)"
            placeholder="meta-1:34601,meta-2:34601"
            value={state?.metaServers ?? ''}
            onChange={(event) => setMetaServers(connectionId, event.currentTarget.value)}
            error={
              entry?.status === 'error' && entry.error?.fieldErrors.metaServers
                ? entry.error.fieldErrors.metaServers
                : undefined
            }
            data-testid="pegasus-meta-servers-input"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Button
            type="submit"
            leftSection={<IconWorldWww size={14} />}
            loading={entry?.status === 'loading'}
            disabled={!state?.metaServers.trim()}
            data-testid="pegasus-meta-http-fetch"
          >
            Ask the meta servers
          </Button>
        </Group>
      </form>
      {entry?.status === 'error' && !entry.error?.fieldErrors.metaServers ? (
        <ErrorState
          title="Could not ask the meta servers"
          message={entry.error?.message}
          onRetry={() => void loadMetaHttp(connectionId)}
        />
      ) : entry?.status === 'loading' && !entry.data ? (
        <LoadingState
          label="Asking the meta servers…"
          hint="Each server gets 5 s; unreachable ones are skipped."
        />
      ) : entry?.data ? (
        <ReportView report={entry.data} />
      ) : (
        <EmptyState
          title="Meta HTTP is optional"
          description="Where the meta servers are reachable, their HTTP API adds what ZooKeeper does not hold: the function level, which replica servers are alive, the leader's own health counts."
        />
      )}
    </Stack>
  );
}
