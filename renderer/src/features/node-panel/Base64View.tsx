/** The exact bytes as standard base64: what to paste into another tool or a ticket without loss. */
import { Text } from '@mantine/core';
import classes from './DataViews.module.css';

export function Base64View({ base64 }: { base64: string }) {
  if (base64 === '') {
    return (
      <div className={classes.box} data-testid="node-base64">
        <Text c="dimmed" fs="italic" size="sm">
          (empty)
        </Text>
      </div>
    );
  }
  return (
    <pre className={`${classes.box} ${classes.text}`} data-testid="node-base64">
      {base64}
    </pre>
  );
}
