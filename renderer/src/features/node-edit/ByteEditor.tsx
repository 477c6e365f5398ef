/**
 * Editing node data as bytes. Text and JSON go through a code editor (CodeMirror); binary data is
 * edited as hex or base64. Text editing is offered only for bytes a text editor keeps exactly: valid
 * UTF-8, no control characters, no CR (editors turn CRLF into LF), so an edit never changes bytes the
 * operator did not touch.
 */
import { Alert, Button, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { CodeEditor } from '../../components/CodeEditor';
import { type ByteInputFormat, formatBytes, type ParsedBytes, parseByteInput } from '../../lib/data-encode';
import { analyzeData } from '../../lib/data-format';

export type EditorFormat = 'text' | 'json' | 'hex' | 'base64';

export type ByteEditorValue = ParsedBytes;

/** Whether a text editor would keep these bytes exactly. */
export function isTextEditable(bytes: Uint8Array): boolean {
  const analysis = analyzeData(bytes);
  return analysis.utf8.valid && !analysis.hasControlChars && !analysis.utf8.text.includes('\r');
}

function initialFormat(bytes: Uint8Array): EditorFormat {
  if (!isTextEditable(bytes)) return 'hex';
  const analysis = analyzeData(bytes);
  return analysis.json.ok && analysis.json.structured ? 'json' : 'text';
}

const inputFormat = (format: EditorFormat): ByteInputFormat => (format === 'json' ? 'text' : format);

function parse(format: EditorFormat, text: string): ParsedBytes {
  const parsed = parseByteInput(inputFormat(format), text);
  if (!parsed.ok || format !== 'json') return parsed;
  try {
    JSON.parse(text);
    return parsed;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Not valid JSON (${reason}). Fix it, or switch to Text to save it as it is.` };
  }
}

interface ByteEditorProps {
  initial: Uint8Array;
  onChange(value: ByteEditorValue): void;
  /** Overrides the guessed starting format (e.g. 'text' for a new node). */
  startFormat?: EditorFormat;
}

export function ByteEditor({ initial, onChange, startFormat }: ByteEditorProps) {
  const [format, setFormat] = useState<EditorFormat>(() => startFormat ?? initialFormat(initial));
  const [text, setText] = useState(() => formatBytes(inputFormat(format), initial));
  const [switchError, setSwitchError] = useState<string | null>(null);
  const parsed = useMemo(() => parse(format, text), [format, text]);

  useEffect(() => onChange(parsed), [parsed, onChange]);

  const switchTo = (next: EditorFormat) => {
    setSwitchError(null);
    const current = parseByteInput(inputFormat(format), text);
    if (!current.ok) {
      setSwitchError(`Fix the ${format} first: ${current.error}`);
      return;
    }
    if ((next === 'text' || next === 'json') && !isTextEditable(current.bytes)) {
      setSwitchError(
        'These bytes are not plain UTF-8 text (or contain CR or control characters, which a text editor would change): edit them as hex or base64.',
      );
      return;
    }
    setFormat(next);
    setText(formatBytes(inputFormat(next), current.bytes));
  };

  const prettyPrint = () => {
    try {
      setText(JSON.stringify(JSON.parse(text), null, 2));
    } catch {
      // The error is already shown under the editor.
    }
  };

  return (
    <Stack gap="xs" data-testid="byte-editor" data-format={format}>
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={format}
          onChange={(value) => switchTo(value as EditorFormat)}
          data={[
            { value: 'text', label: 'Text' },
            { value: 'json', label: 'JSON' },
            { value: 'hex', label: 'Hex' },
            { value: 'base64', label: 'Base64' },
          ]}
          data-testid="byte-editor-format"
        />
        <Group gap="xs">
          {format === 'json' ? (
            <Button size="compact-xs" variant="subtle" onClick={prettyPrint} disabled={!parsed.ok}>
              Format JSON
            </Button>
          ) : null}
          <Text size="xs" c="dimmed" data-testid="byte-editor-size">
            {parsed.ok ? `${parsed.bytes.length.toLocaleString()} bytes` : ''}
          </Text>
        </Group>
      </Group>
      {format === 'text' || format === 'json' ? (
        <CodeEditor
          value={text}
          language={format === 'json' ? 'json' : 'text'}
          onChange={setText}
          minHeight="120px"
          testId="byte-editor-code"
        />
      ) : (
        <Textarea
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={16}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          placeholder={format === 'hex' ? '00 ff 41 …' : 'AP9B…'}
          aria-label={`Data as ${format}`}
          data-testid="byte-editor-raw"
        />
      )}
      {switchError ? (
        <Alert color="yellow" variant="light" py={6} data-testid="byte-editor-switch-error">
          {switchError}
        </Alert>
      ) : null}
      {!parsed.ok ? (
        <Text size="xs" c="red" data-testid="byte-editor-error">
          {parsed.error}
        </Text>
      ) : null}
    </Stack>
  );
}
