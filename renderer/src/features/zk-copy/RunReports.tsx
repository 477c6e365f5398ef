/**
 * What a run found and did, as reports: the plan (the dry-run diff), the copy, and the verify
 * (Vitess's VDiff: matching, mismatched, extra on either side, ACL differences), each with the
 * example paths per category, so an operator can start looking where it matters.
 */
import { countOf, noun } from '../../../../shared/plural';
import { formatDateTime } from '../../lib/date-time';
import { Accordion, Alert, Badge, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type {
  CopyReport,
  PlanReport,
  RunResult,
  Samples,
  VerifyReport,
} from '../../../../electron/engines/zk-copy/types';
import { formatBytes } from '../background-jobs/BackgroundJobProgress';
import { fmt, formatSeconds } from './copy-format';

interface Cell {
  key: string;
  label: string;
  value: number;
  /** Worth attention when not zero. */
  warn?: boolean;
  good?: boolean;
}

function CountGrid({ cells, testId }: { cells: Cell[]; testId: string }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing={4} data-testid={testId}>
      {cells.map((cell) => (
        <Stack key={cell.key} gap={0} data-testid={`count-${cell.key}`} data-value={cell.value}>
          <Text
            size="lg"
            fw={600}
            c={cell.warn && cell.value > 0 ? 'red' : cell.good && cell.value > 0 ? 'green' : undefined}
          >
            {fmt.format(cell.value)}
          </Text>
          <Text size="xs" c="dimmed">
            {cell.label}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}

const SAMPLE_LABELS: Record<string, string> = {
  creates: 'Would be created',
  updates: 'Would be updated',
  aclUpdates: 'ACL would be set',
  deletes: 'Would be deleted (mirror)',
  conflicts: 'Conflicts',
  skippedEphemeral: 'Ephemeral, skipped',
  keptTargetEphemeral: 'Ephemeral on the target, kept',
  unreadable: 'Unreadable (no permission)',
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  errors: 'Errors',
  mismatched: 'Data differs',
  aclMismatched: 'ACL differs',
  extraSource: 'Only on the source',
  extraTarget: 'Only on the target',
};

function SampleList({ samples, testId }: { samples: Samples; testId: string }) {
  const categories = Object.entries(samples).filter(([, paths]) => paths.length > 0);
  if (categories.length === 0) return null;
  return (
    <Accordion variant="contained" multiple data-testid={testId}>
      {categories.map(([category, paths]) => (
        <Accordion.Item key={category} value={category}>
          <Accordion.Control data-testid={`samples-${category}`}>
            <Group gap="xs">
              <Text size="sm">{SAMPLE_LABELS[category] ?? category}</Text>
              <Badge size="xs" variant="light">
                {paths.length === 20 ? 'first 20' : paths.length}
              </Badge>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <Stack gap={2}>
              {paths.map((path) => (
                <Code key={path} style={{ overflowWrap: 'anywhere' }}>
                  {path}
                </Code>
              ))}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

function SequentialWarning({ count, samples }: { count: number; samples: string[] }) {
  if (count === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={16} />}
      data-testid="sequential-warning"
    >
      {countOf(count, 'node name')} {noun(count, 'ends', 'end')} in a 10-digit sequence number (e.g.{' '}
      <Code>{samples[0]}</Code>). A copy recreates them by name, but not their parent's sequence counter: new
      sequential nodes on the target may reuse numbers. Check that the application tolerates this, or let it
      recreate them.
    </Alert>
  );
}

function HiddenAclWarning({ count, samples }: { count: number; samples: string[] }) {
  if (count === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={16} />}
      data-testid="hidden-acl-warning"
    >
      {countOf(count, 'source node')} {noun(count, 'has', 'have')} digest ACLs this connection cannot see
      (e.g. <Code>{samples[0]}</Code>): without ADMIN on a node, ZooKeeper shows its digest as{' '}
      <Code>user:x</Code>. Copying ACLs would lock those users out, so the copy stops at the first one. Give
      the source connection a credential with ADMIN on them (that user, or a super user), or copy without
      ACLs.
    </Alert>
  );
}

export function PlanReportView({ plan }: { plan: PlanReport }) {
  return (
    <Stack gap="xs" data-testid="plan-report">
      <Group justify="space-between">
        <Title order={6}>Plan (dry run: nothing written)</Title>
        <Text size="xs" c="dimmed">
          {fmt.format(plan.sourceNodes)} source nodes · {formatBytes(plan.bytes)} to write ·{' '}
          {formatSeconds(plan.seconds)}
        </Text>
      </Group>
      <CountGrid
        testId="plan-counts"
        cells={[
          { key: 'creates', label: 'to create', value: plan.creates },
          { key: 'updates', label: 'to update (data)', value: plan.updates },
          { key: 'aclUpdates', label: 'ACLs to set', value: plan.aclUpdates },
          { key: 'unchanged', label: 'unchanged', value: plan.unchanged },
          { key: 'deletes', label: 'to delete (mirror)', value: plan.deletes, warn: true },
          { key: 'conflicts', label: 'conflicts', value: plan.conflicts, warn: true },
          { key: 'skippedEphemeral', label: 'ephemeral, skipped', value: plan.skippedEphemeral },
          { key: 'unreadable', label: 'unreadable', value: plan.unreadable, warn: true },
        ]}
      />
      {plan.keptTargetEphemeral > 0 ? (
        <Text size="xs" c="dimmed">
          {countOf(plan.keptTargetEphemeral, 'ephemeral node')} on the target{' '}
          {noun(plan.keptTargetEphemeral, 'stays (owned by a live session)', 'stay (owned by live sessions)')}
          .
        </Text>
      ) : null}
      <HiddenAclWarning
        count={plan.warnings.hiddenAcls ?? 0}
        samples={plan.warnings.hiddenAclSamples ?? []}
      />
      <SequentialWarning count={plan.warnings.sequentialNames} samples={plan.warnings.sequentialSamples} />
      {plan.unreadable > 0 ? (
        <Alert color="red" variant="light" data-testid="plan-unreadable">
          Some nodes cannot be read with this connection's credentials: the copy would stop there. Add a
          digest credential the ACL grants (edit the connection) and plan again.
        </Alert>
      ) : null}
      <SampleList samples={plan.samples} testId="plan-samples" />
    </Stack>
  );
}

export function CopyReportView({ copy }: { copy: CopyReport }) {
  const counts = copy.counts;
  return (
    <Stack gap="xs" data-testid="copy-report">
      <Group justify="space-between">
        <Title order={6}>Copy</Title>
        <Text size="xs" c="dimmed" data-testid="copy-report-summary">
          {fmt.format(counts.examined)} source nodes · {formatBytes(counts.bytes)} written ·{' '}
          {countOf(counts.batches, 'write request')} · {formatSeconds(copy.seconds)}
        </Text>
      </Group>
      <CountGrid
        testId="copy-counts"
        cells={[
          { key: 'created', label: 'created', value: counts.created, good: true },
          { key: 'updated', label: 'updated', value: counts.updated },
          { key: 'aclUpdated', label: 'ACLs set', value: counts.aclUpdated },
          { key: 'unchanged', label: 'unchanged (not rewritten)', value: counts.unchanged },
          { key: 'deleted', label: 'deleted', value: counts.deleted },
          { key: 'conflicts', label: 'conflicts', value: counts.conflicts, warn: true },
          { key: 'skippedEphemeral', label: 'ephemeral, skipped', value: counts.skippedEphemeral },
          { key: 'errors', label: 'errors', value: counts.errors, warn: true },
        ]}
      />
      <SequentialWarning count={copy.warnings.sequentialNames} samples={copy.warnings.sequentialSamples} />
      <SampleList samples={copy.samples} testId="copy-samples" />
    </Stack>
  );
}

export function VerifyReportView({
  verify,
  reconcile,
}: {
  verify: VerifyReport;
  reconcile?: RunResult['reconcile'];
}) {
  const counts = verify.counts;
  const differences =
    counts.mismatched + counts.aclMismatched + counts.extraSource + counts.extraTarget + counts.unreadable;
  return (
    <Stack gap="xs" data-testid="verify-report" data-differences={differences}>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={6}>Verify</Title>
          <Badge color={differences === 0 ? 'green' : 'red'} variant="light" data-testid="verify-verdict">
            {differences === 0 ? 'no differences' : countOf(differences, 'difference')}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed" data-testid="verify-report-when">
          as of {formatDateTime(verify.checkedAt)} · {formatSeconds(verify.seconds)}
        </Text>
      </Group>
      <CountGrid
        testId="verify-counts"
        cells={[
          { key: 'matching', label: 'matching', value: counts.matching, good: true },
          { key: 'mismatched', label: 'data differs', value: counts.mismatched, warn: true },
          { key: 'aclMismatched', label: 'ACL differs', value: counts.aclMismatched, warn: true },
          { key: 'extraSource', label: 'only on the source', value: counts.extraSource, warn: true },
          { key: 'extraTarget', label: 'only on the target', value: counts.extraTarget, warn: true },
          { key: 'skippedEphemeral', label: 'ephemeral, not compared', value: counts.skippedEphemeral },
          { key: 'unreadable', label: 'unreadable', value: counts.unreadable, warn: true },
        ]}
      />
      {reconcile ? (
        <Text size="sm" data-testid="reconcile-summary">
          Reconciled in {countOf(reconcile.passes, 'pass', 'passes')}: {countOf(reconcile.fixed, 'node')}{' '}
          fixed from the source.
        </Text>
      ) : null}
      <SampleList samples={verify.samples} testId="verify-samples" />
    </Stack>
  );
}
