/**
 * The runbooks this host ships: what each is for and when to choose it, its parameters and its
 * steps (for the default parameters: a choice such as mirror mode can add a step), and the way to
 * a new run. Recent runs are one click away.
 */
import { Accordion, Badge, Button, Group, List, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconBook2, IconPlus } from '@tabler/icons-react';
import { useEffect } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useRunbooksStore } from '../../stores/runbooks-store';
import { RecentRuns } from './RecentRuns';
import { STEP_KIND_LABELS } from './run-format';

export function RunbookCatalogue() {
  const catalogue = useRunbooksStore((state) => state.catalogue);
  const loadCatalogue = useRunbooksStore((state) => state.loadCatalogue);
  const navigate = useRunbooksStore((state) => state.navigate);

  useEffect(() => {
    void loadCatalogue();
  }, [loadCatalogue]);

  if (catalogue.status === 'error' && catalogue.runbooks.length === 0) {
    return (
      <ErrorState
        title="Could not read the runbooks"
        message={catalogue.error?.message}
        onRetry={() => void loadCatalogue()}
      />
    );
  }
  if (catalogue.runbooks.length === 0 && catalogue.status !== 'ready') {
    return <LoadingState label="Loading the runbooks…" />;
  }
  if (catalogue.runbooks.length === 0) {
    return (
      <EmptyState
        icon={<IconBook2 size={26} />}
        title="No runbooks"
        description="This host has no runbooks registered."
      />
    );
  }
  return (
    <ScrollArea h="100%">
      <Stack p="md" gap="md" data-testid="runbook-catalogue">
        <Title order={3}>Migrations</Title>
        <Text size="sm" c="dimmed">
          A runbook is a tested procedure: the app runs what it can, shows the exact commands for what you do
          by hand, checks every step, and keeps a record you can attach to the change ticket.
        </Text>
        <RecentRuns />
        {catalogue.runbooks.map((runbook) => (
          <Paper key={runbook.id} withBorder p="md" data-testid="runbook-card" data-runbook={runbook.id}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Title order={4}>{runbook.title}</Title>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {runbook.id}
                  </Text>
                </Stack>
                <Button
                  leftSection={<IconPlus size={16} />}
                  onClick={() => navigate({ page: 'wizard', runbookId: runbook.id })}
                  data-testid={`new-run-${runbook.id}`}
                >
                  New run
                </Button>
              </Group>
              <Text size="sm">{runbook.summary}</Text>
              <Accordion variant="contained" chevronPosition="left">
                <Accordion.Item value="steps">
                  <Accordion.Control data-testid="runbook-steps-toggle">
                    {runbook.steps.length} steps · {runbook.params.length} parameters
                  </Accordion.Control>
                  <Accordion.Panel>
                    <List type="ordered" spacing={6} size="sm">
                      {runbook.steps.map((step) => (
                        <List.Item key={step.id}>
                          <Group gap={6}>
                            <Text size="sm" fw={500}>
                              {step.title}
                            </Text>
                            <Badge size="xs" variant="default">
                              {STEP_KIND_LABELS[step.kind]}
                            </Badge>
                            {step.severity ? (
                              <Badge
                                size="xs"
                                variant="outline"
                                color={step.severity === 'block' ? 'red' : 'yellow'}
                              >
                                {step.severity}
                              </Badge>
                            ) : null}
                          </Group>
                          <Text size="xs" c="dimmed">
                            {step.why}
                          </Text>
                        </List.Item>
                      ))}
                    </List>
                  </Accordion.Panel>
                </Accordion.Item>
              </Accordion>
            </Stack>
          </Paper>
        ))}
      </Stack>
    </ScrollArea>
  );
}
