/**
 * Choosing the cluster root: the roots found in the ensemble (a bounded walk that says when it was
 * cut short), or a path typed by hand, checked before it is opened, with nearby roots suggested
 * when it is not one.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  List,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconDatabase, IconRefresh, IconSearch } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { usePegasusStore } from '../../stores/pegasus-store';
import { WarningsList } from './WarningsList';

const COUNT = new Intl.NumberFormat('en-US');
/** The detection's limits in words: "max-nodes" is the host's name for it, not the operator's. */
const LIMIT_WORDS: Record<string, string> = {
  'max-nodes': 'the most nodes it reads',
  'max-depth': 'the deepest level it looks at',
};

export function RootPicker({ connectionId }: { connectionId: string }) {
  const state = usePegasusStore((s) => s.byConnection[connectionId]);
  const { detect, validate, openRoot } = usePegasusStore.getState();
  const [manual, setManual] = useState(state?.preferences?.lastRoot ?? '');
  const detection = state?.detection;
  const validation = state?.validation;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const root = manual.trim();
    if (!root) return;
    await validate(connectionId, root);
    const result = usePegasusStore.getState().byConnection[connectionId]?.validation.data;
    if (result?.ok) void openRoot(connectionId, root);
  };

  const checked = validation?.data && !validation.data.ok ? validation.data : null;

  return (
    <Stack p="md" gap="md" maw={900} data-testid="pegasus-root-picker">
      <Group justify="space-between">
        <Title order={4}>Pegasus cluster root</Title>
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconRefresh size={14} />}
          disabled={detection?.status === 'loading'}
          onClick={() => void detect(connectionId)}
          data-testid="pegasus-detect-again"
        >
          {detection?.status === 'loading' ? 'Looking…' : 'Look again'}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        A cluster root is the node whose <Code>apps</Code> child holds the tables (the meta server's{' '}
        <Code>cluster_root</Code>, e.g. <Code>/pegasus/&lt;cluster&gt;</Code>).
      </Text>

      {detection?.status === 'loading' && !detection.data ? (
        <LoadingState
          label="Looking for Pegasus cluster roots…"
          hint="Walks at most 6 levels and 5,000 nodes."
        />
      ) : detection?.status === 'error' ? (
        <ErrorState
          title="Could not look for cluster roots"
          message={detection.error?.message}
          onRetry={() => void detect(connectionId)}
        />
      ) : detection?.data ? (
        <Stack gap="xs" data-testid="pegasus-detected-roots">
          {detection.data.roots.length === 0 ? (
            <Text size="sm" data-testid="pegasus-no-roots">
              No Pegasus cluster root was found
              {detection.data.truncated ? ' within the bounds of the search' : ''}. Enter one below.
            </Text>
          ) : (
            detection.data.roots.map((root) => (
              <Card
                key={root.path}
                withBorder
                padding="sm"
                data-testid="pegasus-root-option"
                data-path={root.path}
                style={{ cursor: 'pointer' }}
                onClick={() => void openRoot(connectionId, root.path)}
              >
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="sm" wrap="nowrap">
                    <IconDatabase size={18} />
                    <Stack gap={0}>
                      <Text fw={600} ff="monospace" size="sm">
                        {root.path}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {root.tableCount} table nodes · e.g.{' '}
                        {root.sampleTable.name ?? `app ${root.sampleTable.appId}`}
                      </Text>
                    </Stack>
                  </Group>
                  <Group gap="xs" wrap="nowrap">
                    <Badge variant="light" size="sm">
                      {root.layout}
                    </Badge>
                    <Badge variant="outline" size="sm" color={root.loadable ? 'gray' : 'red'}>
                      apps: {root.appsState}
                    </Badge>
                  </Group>
                </Group>
              </Card>
            ))
          )}
          {detection.data.truncated ? (
            <Text size="xs" c="dimmed" data-testid="pegasus-detection-truncated">
              The search stopped at its bounds (
              {detection.data.limitsHit.map((limit) => LIMIT_WORDS[limit] ?? limit).join(', ')};{' '}
              {COUNT.format(detection.data.unexploredNodes)} nodes not looked at): a root deeper down can
              still be entered by hand.
            </Text>
          ) : null}
          <WarningsList warnings={detection.data.warnings} title="Parts of the tree could not be listed" />
        </Stack>
      ) : null}

      <form onSubmit={(event) => void submit(event)}>
        <Group align="flex-end" gap="xs">
          <TextInput
            style={{ flex: 1 }}
            label="Or enter a cluster root"
            placeholder="/pegasus/my-cluster"
            value={manual}
            onChange={(event) => setManual(event.currentTarget.value)}
            data-testid="pegasus-root-input"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Button
            type="submit"
            leftSection={<IconSearch size={14} />}
            disabled={validation?.status === 'loading'}
            data-testid="pegasus-root-open"
          >
            {validation?.status === 'loading' ? 'Checking…' : 'Open'}
          </Button>
        </Group>
      </form>
      {validation?.status === 'error' ? (
        <Alert color="red" variant="light" data-testid="pegasus-root-error">
          {validation.error?.message}
        </Alert>
      ) : null}
      {checked ? (
        <Alert
          color="orange"
          variant="light"
          title={`${checked.path} is not a Pegasus cluster root`}
          data-testid="pegasus-root-error"
        >
          <List size="sm">
            {checked.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
          {checked.suggestions.length > 0 ? (
            <Group gap="xs" mt="xs">
              <Text size="sm">Did you mean</Text>
              {checked.suggestions.map((suggestion) => (
                <Anchor
                  key={suggestion}
                  size="sm"
                  ff="monospace"
                  data-testid="pegasus-root-suggestion"
                  onClick={() => void openRoot(connectionId, suggestion)}
                >
                  {suggestion}
                </Anchor>
              ))}
            </Group>
          ) : null}
        </Alert>
      ) : null}
    </Stack>
  );
}
