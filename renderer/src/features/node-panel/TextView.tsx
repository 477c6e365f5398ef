/**
 * The data as UTF-8 text. Bytes that did not decode are shown as a highlighted U+FFFD (one per
 * invalid sequence) with their offset on hover, so a broken byte never passes for real text.
 */
import { Alert, Text } from '@mantine/core';
import type { Utf8Decoded } from '../../lib/utf8-marked';
import classes from './DataViews.module.css';

/** Past this many segments (garbage interleaved with text) the Hex tab is the better view. */
const MAX_SEGMENTS = 4000;

interface TextViewProps {
  utf8: Utf8Decoded;
  hasControlChars: boolean;
}

export function TextView({ utf8, hasControlChars }: TextViewProps) {
  if (utf8.segments.length === 0) {
    return (
      <div className={classes.box} data-testid="node-text">
        <Text c="dimmed" fs="italic" size="sm">
          (empty)
        </Text>
      </div>
    );
  }
  const shown = utf8.segments.slice(0, MAX_SEGMENTS);
  const hidden = utf8.segments.length - shown.length;
  return (
    <>
      {!utf8.valid ? (
        <Alert color="yellow" variant="light" py={6} mb="xs" data-testid="node-text-invalid">
          This data is not valid UTF-8: {utf8.invalidSequences} invalid byte sequence
          {utf8.invalidSequences === 1 ? '' : 's'} shown as a highlighted {'\uFFFD'}. The Hex tab shows the
          exact bytes.
        </Alert>
      ) : hasControlChars ? (
        <Alert color="yellow" variant="light" py={6} mb="xs">
          This text contains control characters (such as NUL), which do not display. The Hex tab shows them.
        </Alert>
      ) : null}
      <pre className={`${classes.box} ${classes.text}`} data-testid="node-text">
        {shown.map((segment) =>
          segment.invalid ? (
            <mark
              key={segment.byteOffset}
              className={classes.invalid}
              title={`${segment.byteLength} byte${segment.byteLength === 1 ? '' : 's'} at offset ${segment.byteOffset} are not UTF-8`}
              data-testid="invalid-bytes"
            >
              {segment.text}
            </mark>
          ) : (
            <span key={segment.byteOffset}>{segment.text}</span>
          ),
        )}
        {hidden > 0 ? (
          <span className={classes.more}>{`\n… ${hidden} more segments: see the Hex tab`}</span>
        ) : null}
      </pre>
    </>
  );
}
