/** The dry run of an import: what the file is, and what applying it would create, update or skip. */
import { formatDateTime } from '../../lib/date-time';
import { Accordion, Alert, Code, List, Stack, Table, Text } from '@mantine/core';
import type { ImportPreview } from '../../../../shared/api/transfer';

const fmt = new Intl.NumberFormat('en-US');

const ROWS: { key: keyof ImportPreview; sample: string; label: string; hint: string }[] = [
  { key: 'creates', sample: 'creates', label: 'Creates', hint: 'nodes the target lacks' },
  { key: 'updates', sample: 'updates', label: 'Updates', hint: 'existing nodes whose data will be replaced' },
  {
    key: 'aclUpdates',
    sample: 'aclUpdates',
    label: 'ACL updates',
    hint: 'existing nodes whose ACL will be replaced',
  },
  {
    key: 'conflicts',
    sample: 'conflicts',
    label: 'Conflicts',
    hint: 'existing nodes with other data or ACL this policy leaves alone',
  },
  { key: 'unchanged', sample: 'unchanged', label: 'Unchanged', hint: 'already identical' },
  {
    key: 'skippedEphemeral',
    sample: 'skippedEphemeral',
    label: 'Ephemeral (skipped)',
    hint: 'ephemeral in the file: never imported',
  },
  {
    key: 'unreadable',
    sample: 'unreadable',
    label: 'Unreadable',
    hint: 'target nodes these credentials cannot read',
  },
];

export function ImportPreviewView({ preview }: { preview: ImportPreview }) {
  const { file } = preview;
  const withSamples = ROWS.filter((row) => (preview.samples[row.sample]?.length ?? 0) > 0);
  return (
    <Stack gap="xs" data-testid="import-preview">
      <Text size="sm">
        {file.format === 'zk-shell' ? "zk-shell's JSON backup" : 'Migration Desk export'} of{' '}
        <Code>{file.root}</Code>
        {file.source ? ` from ${file.source}` : ''}
        {file.exportedAt ? `, ${formatDateTime(file.exportedAt)}` : ''}: {fmt.format(file.nodeCount)} nodes,
        into <Code>{preview.path}</Code>.
      </Text>
      {file.complete ? null : (
        <Alert color="orange" variant="light" py={6}>
          The file says its export was incomplete (nodes its credentials could not read are missing from it).
        </Alert>
      )}
      <Table withTableBorder withColumnBorders fz="sm" data-testid="import-preview-counts">
        <Table.Tbody>
          {ROWS.map((row) => (
            <Table.Tr
              key={row.key}
              data-testid={`import-count-${row.key}`}
              data-count={String(preview[row.key])}
            >
              <Table.Td fw={600}>{row.label}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {fmt.format(preview[row.key] as number)}
              </Table.Td>
              <Table.Td c="dimmed">{row.hint}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {withSamples.length > 0 ? (
        <Accordion
          variant="separated"
          multiple
          defaultValue={withSamples.slice(0, 1).map((row) => row.sample)}
        >
          {withSamples.map((row) => (
            <Accordion.Item key={row.sample} value={row.sample}>
              <Accordion.Control data-testid={`import-samples-${row.sample}`}>
                {row.label}: first {preview.samples[row.sample]?.length} (paths relative to {preview.path})
              </Accordion.Control>
              <Accordion.Panel>
                <List size="xs" ff="monospace" spacing={2}>
                  {(preview.samples[row.sample] ?? []).map((sample) => (
                    <List.Item key={sample}>{sample}</List.Item>
                  ))}
                </List>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      ) : null}
    </Stack>
  );
}
