/**
 * A version conflict side by side: what is stored now (theirs, left) and the operator's edit (yours,
 * right), in one representation (text, or hex lines for binary data) with the differences marked by
 * CodeMirror's merge view. Nothing is written from here without the operator choosing it.
 */
import { EditorView } from '@codemirror/view';
import { Alert, Group, Stack, Text, useComputedColorScheme } from '@mantine/core';
import CodeMirrorMerge from 'react-codemirror-merge';
import { useMemo } from 'react';
import type { WriteConflict } from '../../../../shared/api/node-edit';
import { base64ToBytes } from '../../lib/base64';
import { conflictSides } from '../../lib/conflict-sides';

const wrap = [EditorView.lineWrapping];

export function ConflictView({ conflict, yours }: { conflict: WriteConflict; yours: Uint8Array }) {
  const scheme = useComputedColorScheme('dark');
  const sides = useMemo(
    () => (conflict.theirs ? conflictSides(base64ToBytes(conflict.theirs.dataBase64), yours) : null),
    [conflict, yours],
  );
  if (!conflict.theirs || !sides) {
    return (
      <Alert color="orange" variant="light" data-testid="conflict-deleted">
        {conflict.path} was deleted by someone else after you opened version {conflict.expectedVersion}. Your
        edit was not written.
      </Alert>
    );
  }
  return (
    <Stack gap="xs" data-testid="conflict-view" data-representation={sides.representation}>
      <Text size="sm">
        {conflict.path} is now at version {conflict.theirs.stat.version}; your edit was based on version{' '}
        {conflict.expectedVersion}. Nothing was written. {sides.summary}
      </Text>
      <Group grow gap="xs">
        <Text size="xs" fw={600} c="dimmed">
          Theirs (stored now, version {conflict.theirs.stat.version})
        </Text>
        <Text size="xs" fw={600} c="dimmed">
          Yours (not written)
        </Text>
      </Group>
      <div
        style={{
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 4,
          maxHeight: '50vh',
          overflow: 'auto',
        }}
      >
        <CodeMirrorMerge
          theme={scheme === 'dark' ? 'dark' : 'light'}
          orientation="a-b"
          highlightChanges
          gutter
        >
          <CodeMirrorMerge.Original value={sides.theirs} readOnly editable={false} extensions={wrap} />
          <CodeMirrorMerge.Modified value={sides.yours} readOnly editable={false} extensions={wrap} />
        </CodeMirrorMerge>
      </div>
    </Stack>
  );
}
