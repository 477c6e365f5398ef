/**
 * A snapshot against the live tree it was taken from: what was created, updated, deleted and given
 * another ACL since, counted as the walk goes, with example paths.
 */
import { formatClock, formatDateTime } from '../../lib/date-time';
import {
  Accordion,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconGitCompare } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { SnapshotChangeKind, SnapshotComparison, SnapshotView } from '../../../../shared/api/snapshots';
import { toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import { BackgroundJobProgress } from '../background-jobs/BackgroundJobProgress';
import { useBackgroundJob } from '../background-jobs/use-background-job';
import { formatSnapshotTime } from './offline-profile';

const fmt = new Intl.NumberFormat('en-US');

const KINDS: { kind: SnapshotChangeKind | 'unreadable'; label: string; color: string; hint: string }[] = [
  { kind: 'created', label: 'Created', color: 'green', hint: 'in the live tree, not in the snapshot' },
  { kind: 'updated', label: 'Updated', color: 'blue', hint: 'data differs from the snapshot' },
  { kind: 'deleted', label: 'Deleted', color: 'red', hint: 'in the snapshot, gone from the live tree' },
  { kind: 'aclChanged', label: 'ACL changed', color: 'violet', hint: 'ACL differs from the snapshot' },
  {
    kind: 'unreadable',
    label: 'Unreadable',
    color: 'orange',
    hint: 'live nodes these credentials cannot read',
  },
];

function CountCard({
  label,
  count,
  color,
  hint,
  testId,
}: {
  label: string;
  count: number;
  color: string;
  hint: string;
  testId: string;
}) {
  return (
    <Stack gap={0} data-testid={testId} data-count={count}>
      <Group gap={6}>
        <Badge color={color} variant={count > 0 ? 'filled' : 'light'} size="lg">
          {fmt.format(count)}
        </Badge>
        <Text size="sm" fw={600}>
          {label}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Stack>
  );
}

export function CompareSnapshotModal({
  snapshot,
  opened,
  onClose,
}: {
  snapshot: SnapshotView;
  opened: boolean;
  onClose(): void;
}) {
  const job = useBackgroundJob<SnapshotComparison>();
  const started = useRef(false);
  // A start refusal (connection removed, snapshot incomplete) is shown like a job failure.
  const [startError, setStartError] = useState<string | null>(null);
  const result = job.state.result;
  const live = job.state.progress?.counts;

  const start = async () => {
    started.current = true;
    setStartError(null);
    try {
      const begun = await api.snapshots.compare.mutate({ snapshotId: snapshot.id });
      job.follow(begun.jobId);
    } catch (caught) {
      job.reset();
      setStartError(toApiError(caught).message);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: start once when the dialog opens.
  useEffect(() => {
    if (opened && !started.current) void start();
  }, [opened]);

  const close = () => {
    if (job.running) void job.cancel();
    job.reset();
    started.current = false;
    setStartError(null);
    onClose();
  };

  const counts = result?.counts ?? (live as SnapshotComparison['counts'] | undefined);
  const failure = job.state.failure ?? startError;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={`Compare with the live tree: ${snapshot.root}`}
      size="xl"
      data-testid="compare-modal"
    >
      <Stack gap="sm">
        <Text size="sm">
          Snapshot of <Code>{snapshot.root}</Code> on '{snapshot.connectionName}' taken{' '}
          {formatSnapshotTime(snapshot.createdAt)}, against the tree as it is now. Changes are counted from
          the live tree's side: what happened since the snapshot.
        </Text>
        {job.state.jobId && !result && !failure ? (
          <BackgroundJobProgress
            progress={job.state.progress}
            streamError={job.state.streamError}
            onCancel={() => void job.cancel()}
            startingLabel="Reading the live tree…"
          />
        ) : null}
        {result?.liveRootMissing ? (
          <Alert color="red" variant="light" data-testid="compare-root-missing">
            {snapshot.root} no longer exists in the live tree: everything in the snapshot counts as deleted.
          </Alert>
        ) : null}
        {counts ? (
          <SimpleGrid
            cols={{ base: 2, md: 3 }}
            spacing="sm"
            data-testid="compare-counts"
            data-final={result ? 'true' : 'false'}
          >
            {KINDS.map((kind) => (
              <CountCard
                key={kind.kind}
                label={kind.label}
                count={counts[kind.kind] ?? 0}
                color={kind.color}
                hint={kind.hint}
                testId={`compare-count-${kind.kind}`}
              />
            ))}
            <CountCard
              label="Unchanged"
              count={counts.unchanged ?? 0}
              color="gray"
              hint={`of ${fmt.format(counts.compared ?? 0)} nodes in both`}
              testId="compare-count-unchanged"
            />
          </SimpleGrid>
        ) : null}
        {result ? (
          <>
            {KINDS.every((kind) => result.samples[kind.kind].length === 0) ? (
              <Alert color="teal" variant="light" data-testid="compare-identical">
                The live tree matches the snapshot (data and ACLs), as of {formatClock(result.checkedAt)}.
              </Alert>
            ) : (
              <Accordion variant="separated" multiple data-testid="compare-samples">
                {KINDS.filter((kind) => result.samples[kind.kind].length > 0).map((kind) => (
                  <Accordion.Item key={kind.kind} value={kind.kind}>
                    <Accordion.Control data-testid={`compare-samples-${kind.kind}`}>
                      {kind.label}: first {result.samples[kind.kind].length}
                    </Accordion.Control>
                    <Accordion.Panel>
                      <List size="xs" spacing={2}>
                        {result.samples[kind.kind].map((sample) => (
                          <List.Item key={sample.path}>
                            <Text span ff="monospace" size="xs">
                              {sample.path}
                            </Text>{' '}
                            <Text span c="dimmed" size="xs">
                              {sample.detail}
                            </Text>
                          </List.Item>
                        ))}
                      </List>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            )}
            <Text size="xs" c="dimmed">
              Checked at {formatDateTime(result.checkedAt)}: the live tree may have changed since.
            </Text>
          </>
        ) : null}
        {failure ? (
          <Alert color="red" variant="light" data-testid="compare-error">
            {failure}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} data-testid="compare-close">
            Close
          </Button>
          {result || failure ? (
            <Button
              leftSection={<IconGitCompare size={14} />}
              onClick={() => {
                job.reset();
                void start();
              }}
              data-testid="compare-again"
            >
              Compare again
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
