/**
 * The Copy tab of a connection ("Copy and compare subtrees"): copy a subtree of this connection (or
 * of another one, or of a saved snapshot) into any saved connection, see the plan first, follow the run's phases, read the verify report,
 * reconcile, clean up the old tree, and come back to past runs (an interrupted one resumes from its
 * checkpoint, also after an app restart: runs live in the host's store).
 */
import { Badge, Button, Card, Grid, Group, ScrollArea, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconCopy, IconHistory, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { ConnectionProfile } from '../../../../shared/api/connections';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { LoadingState } from '../../components/LoadingState';
import { useConnectionsStore } from '../../stores/connections-store';
import { useExplorerStore } from '../../stores/explorer-store';
import { CleanupModal } from './CleanupModal';
import { CopyForm } from './CopyForm';
import { initialValues, toCopyInput, toDiffInput } from './copy-form-model';
import { useCopyFormStore } from './copy-form-store';
import { runEndpoints, runsOfConnection } from './copy-format';
import { useCopyRunsStore } from './copy-runs-store';
import { MirrorConfirmModal } from './MirrorConfirmModal';
import { RunPanel } from './RunPanel';
import { RunsTable } from './RunsTable';

const STREAM_LABELS = {
  connecting: { color: 'gray', text: 'connecting to live progress…' },
  live: { color: 'green', text: 'live' },
  lost: { color: 'orange', text: 'live progress lost, reconnecting…' },
} as const;

export function CopyView({ connection }: { connection: ConnectionProfile }) {
  const selectedPath = useExplorerStore((state) => state.byConnection[connection.id]?.selectedPath ?? '/');
  const values = useCopyFormStore((state) => state.forms[connection.id]) ?? initialValues(selectedPath);
  const setForm = useCopyFormStore((state) => state.setForm);
  const status = useCopyRunsStore((state) => state.status);
  const loadError = useCopyRunsStore((state) => state.error);
  const allRuns = useCopyRunsStore((state) => state.runs);
  const stream = useCopyRunsStore((state) => state.stream);
  const selectedId = useCopyRunsStore((state) => state.selected[connection.id] ?? null);
  // The selected run stays listed even when it involves neither this connection nor its snapshots.
  const runs = useMemo(
    () => runsOfConnection(allRuns, connection.id, selectedId),
    [allRuns, connection.id, selectedId],
  );
  const selected = runs.find((run) => run.id === selectedId) ?? null;
  const targetProfile = useConnectionsStore((state) =>
    state.connections.find((candidate) => candidate.id === values.targetConnectionId),
  );
  const [busy, setBusy] = useState<'plan' | 'start' | 'compare' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmMirror, setConfirmMirror] = useState(false);
  const [cleaning, setCleaning] = useState(false);

  useEffect(() => {
    const store = useCopyRunsStore.getState();
    const release = store.follow();
    void store.load();
    return release;
  }, []);

  const store = useCopyRunsStore.getState;
  const select = (runId: string | null) => store().select(connection.id, runId);

  const perform = async (kind: 'plan' | 'start' | 'compare', action: () => Promise<void>) => {
    setBusy(kind);
    setFormError(null);
    try {
      await action();
    } catch (caught) {
      setFormError((caught as { message?: string }).message ?? String(caught));
    } finally {
      setBusy(null);
    }
  };

  const plan = () =>
    perform('plan', async () => {
      const run = await store().createRun(toCopyInput(values, connection.id));
      select(run.id);
      await store().plan(run.id);
    });

  const startCopy = (typed?: string) =>
    perform('start', async () => {
      const run = await store().createRun(toCopyInput(values, connection.id));
      select(run.id);
      await store().start(run.id, typed);
      setConfirmMirror(false);
    });

  const compare = () =>
    perform('compare', async () => {
      const run = await store().diff(toDiffInput(values, connection.id));
      select(run.id);
    });

  const resume = (runId: string) => {
    select(runId);
    void store()
      .resume(runId)
      .catch((caught: { message?: string }) => setFormError(caught.message ?? String(caught)));
  };

  let runsBody: React.ReactNode;
  if (status === 'loading' && runs.length === 0) {
    runsBody = <LoadingState label="Loading past runs…" hint="Gives up after 30 s" />;
  } else if (status === 'error' && runs.length === 0) {
    runsBody = (
      <ErrorState
        title="Could not list the copy runs"
        message={loadError?.message}
        onRetry={() => void store().load()}
      />
    );
  } else if (runs.length === 0) {
    runsBody = (
      <Text size="sm" c="dimmed" data-testid="copy-runs-empty">
        No copies, comparisons or cleanups involving {connection.name} yet.
      </Text>
    );
  } else {
    runsBody = <RunsTable runs={runs} selectedId={selectedId} onSelect={select} onResume={resume} />;
  }

  const cleanupPath = (() => {
    const source = selected ? runEndpoints(selected).source : undefined;
    return source?.kind === 'zk' && source.connectionId === connection.id ? source.path : values.sourcePath;
  })();

  return (
    <ScrollArea h="100%" type="auto">
      <Stack gap="sm" p="sm" data-testid="zk-copy-view">
        <Group justify="space-between">
          <Group gap="xs">
            <IconCopy size={18} />
            <Title order={5}>Copy and compare subtrees</Title>
            <Tooltip label="Progress of running copies comes over a live stream from the host">
              <Badge
                size="xs"
                variant="dot"
                color={STREAM_LABELS[stream].color}
                data-testid="copy-stream-state"
              >
                {STREAM_LABELS[stream].text}
              </Badge>
            </Tooltip>
          </Group>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={() => setCleaning(true)}
            data-testid="copy-cleanup-open"
          >
            Clean up a tree…
          </Button>
        </Group>
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <Card withBorder padding="sm">
              <CopyForm
                connection={connection}
                values={values}
                onChange={(next) => setForm(connection.id, next)}
                busy={busy}
                error={formError}
                onPlan={() => void plan()}
                onStart={() => (values.mode === 'mirror' ? setConfirmMirror(true) : void startCopy())}
                onCompare={() => void compare()}
              />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            {selected ? (
              <RunPanel key={selected.id} run={selected} onSelectRun={select} />
            ) : (
              <Card withBorder padding="sm" h="100%">
                <EmptyState
                  icon={<IconCopy size={26} />}
                  title="No run selected"
                  description="Plan a copy to see what it would create, update, delete or skip before anything is written; start it to follow its progress here; or open a past run below."
                />
              </Card>
            )}
          </Grid.Col>
        </Grid>
        <Stack gap={4}>
          <Group gap="xs">
            <IconHistory size={16} />
            <Title order={6}>Runs</Title>
          </Group>
          {runsBody}
        </Stack>
      </Stack>
      {confirmMirror ? (
        <MirrorConfirmModal
          opened
          targetLabel={`${targetProfile?.name ?? '?'}:${values.targetPath.trim()}`}
          targetPath={values.targetPath.trim()}
          busy={busy === 'start'}
          error={formError}
          onClose={() => setConfirmMirror(false)}
          onConfirm={(typed) => void startCopy(typed)}
        />
      ) : null}
      {cleaning ? (
        <CleanupModal
          connection={connection}
          initialPath={cleanupPath}
          onClose={() => setCleaning(false)}
          onStarted={(runId) => select(runId)}
        />
      ) : null}
    </ScrollArea>
  );
}
