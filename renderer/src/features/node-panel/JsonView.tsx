import { Alert, Text } from '@mantine/core';
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
  return (
    <pre className={`${classes.box} ${classes.text}`} data-testid="node-json" data-json="true">
      {json.pretty}
    </pre>
  );
}
