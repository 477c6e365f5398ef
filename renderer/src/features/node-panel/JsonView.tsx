import { Alert, Text } from '@mantine/core';
import { CodeEditor } from '../../components/CodeEditor';
import type { JsonResult } from '../../lib/data-format';
import classes from './DataViews.module.css';

export function JsonView({ json, empty }: { json: JsonResult; empty: boolean }) {
  if (empty) {
    return (
      <div className={classes.box} data-testid="node-json">
        <Text c="dimmed" fs="italic" size="sm">
          (empty)
        </Text>
      </div>
    );
  }
  if (!json.ok) {
    return (
      <Alert color="gray" variant="light" data-testid="node-json" data-json="false">
        {json.reason}
      </Alert>
    );
  }
  // Highlighted and foldable (CodeMirror), read-only: editing has its own editor.
  return (
    <div data-testid="node-json" data-json="true">
      <CodeEditor value={json.pretty} language="json" readOnly />
    </div>
  );
}
