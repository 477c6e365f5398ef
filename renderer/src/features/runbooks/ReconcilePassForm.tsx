/**
 * Entering one reconciliation pass of a dual-write run: the job's three figures, the consistency
 * they mean against the run's threshold shown before confirming, and the passes recorded so far. The
 * confirmation carries the figures in the note the host parses and records (reconcile-pass.ts).
 */
import { Badge, Button, Group, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { StepView } from '../../../../shared/api/run-views';
import { checkPass, formatPercent, type PassFigures, recordedPasses } from './reconcile-pass';

export function ReconcilePassForm({
  thresholdPpm,
  busy,
  disabled,
  onConfirm,
}: {
  thresholdPpm: number;
  busy: boolean;
  disabled: boolean;
  onConfirm: (note: string) => void;
}) {
  const [figures, setFigures] = useState<PassFigures>({ compared: '', mismatched: '', repaired: '' });
  const [remark, setRemark] = useState('');
  const entered = figures.compared !== '' || figures.mismatched !== '' || figures.repaired !== '';
  const check = checkPass(figures, thresholdPpm, remark);
  const field = (name: keyof PassFigures, label: string) => (
    <TextInput
      label={label}
      inputMode="numeric"
      ff="monospace"
      value={figures[name]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setFigures((current) => ({ ...current, [name]: value }));
      }}
      data-testid={`reconcile-${name}`}
    />
  );
  return (
    <Stack gap="xs" data-testid="reconcile-form">
      <Text size="xs" c="dimmed">
        Figures of this pass from the reconciliation job. Threshold: at most {thresholdPpm} mismatched rows
        per million compared ({formatPercent(100 - thresholdPpm / 10_000)} consistent).
      </Text>
      <SimpleGrid cols={3}>
        {field('compared', 'Rows compared')}
        {field('mismatched', 'Rows mismatched')}
        {field('repaired', 'Rows repaired')}
      </SimpleGrid>
      {check.ok ? (
        <Group gap="xs" data-testid="reconcile-consistency" data-under={check.underThreshold ? 'yes' : 'no'}>
          <Text size="sm">
            Consistency <b>{formatPercent(check.consistencyPercent)}</b> ({Math.round(check.ppm * 100) / 100}{' '}
            per million mismatched)
          </Text>
          <Badge color={check.underThreshold ? 'green' : 'orange'} variant="light">
            {check.underThreshold ? 'under the threshold' : 'over the threshold: another pass follows'}
          </Badge>
        </Group>
      ) : entered ? (
        <Text size="sm" c="red" data-testid="reconcile-problem">
          {check.problem}
        </Text>
      ) : null}
      <TextInput
        label="Note (optional, goes into the report with the figures)"
        value={remark}
        onChange={(event) => setRemark(event.currentTarget.value)}
        data-testid="confirm-note"
      />
      <Group>
        <Button
          disabled={disabled || !check.ok}
          loading={busy}
          onClick={() => check.ok && onConfirm(check.note)}
          data-testid="reconcile-record"
        >
          Record this pass
        </Button>
      </Group>
    </Stack>
  );
}

/** The passes recorded so far (a failed pass's step keeps them all in its result). */
export function ReconcilePasses({ step }: { step: StepView }) {
  const passes = recordedPasses(step);
  if (passes.length === 0) return null;
  return (
    <Table withTableBorder fz="xs" data-testid="reconcile-passes" data-count={passes.length}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Pass</Table.Th>
          <Table.Th>Compared</Table.Th>
          <Table.Th>Mismatched</Table.Th>
          <Table.Th>Repaired</Table.Th>
          <Table.Th>Consistency</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {passes.map((pass) => (
          <Table.Tr key={pass.pass} data-testid="reconcile-pass-row" data-pass={pass.pass}>
            <Table.Td>{pass.pass}</Table.Td>
            <Table.Td ff="monospace">{pass.compared}</Table.Td>
            <Table.Td ff="monospace">{pass.mismatched}</Table.Td>
            <Table.Td ff="monospace">{pass.repaired}</Table.Td>
            <Table.Td ff="monospace">{formatPercent(pass.consistencyPercent)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
